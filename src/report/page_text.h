// Small pieces of text shared by the HTML pages (beat briefings, the
// borough front page).
// Thread safety: pure functions.
#pragma once

#include <string>

#include "stats/periods.h"

namespace hotspot::report {

// A file name as an href inside the page's folder: the characters that would
// change a relative link's meaning (space, #, ?, %, controls) percent-encoded,
// then HTML-escaped.
std::string link_target(const std::string& file);

// "2019/20 YTD (1 Apr 2019 to 31 Aug 2019)": a period's label and its days.
std::string period_words(const stats::Period& p);

}  // namespace hotspot::report

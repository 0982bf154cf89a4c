// Printing the engine's HTML pages (briefings, the front page) on A4, as
// they go to a JAG: the protective marking on every printed page, and tables
// whose blocks (one area's categories) are not split across pages.
//
// The marking is in CSS page-margin boxes (@page { @top-center {...} }),
// which Chromium prints from version 131 (Chrome, Edge and Debian's
// chromium package). Checked in a real browser by tests/report/print_test.cpp
// (headless Chromium prints briefings to PDF; pdftotext reads every page).
// Firefox and Safari do not draw margin boxes yet: there only the page's
// first and last page carry the banner (see banner() in briefing.cpp).
#pragma once

#include <string>

namespace hotspot::report {

// The protective marking of a run's outputs: "PUBLIC" for a public run
// (small counts withheld), else "RESTRICTED".
std::string marking(bool public_mode);

// CSS for an A4 print: the @page rule with the marking top centre and bottom
// left, "Page N of M" bottom right; a <tbody class="block"> (one block of a
// table, e.g. one area's categories) is kept on one page, as a table row is.
std::string print_css(bool public_mode);

}  // namespace hotspot::report

// The borough front page: what the analyst puts in front of the Joint
// Action Group. One self-contained HTML file (no external URLs, no scripts),
// written as the run's briefing.html and as a batch's index.html. In order:
// the JAG table in the CSP's published layout (a block per area of the table
// layer with the key categories' previous, current and % variance), the
// overview (study-area totals with the family group position), the top
// increases across every area, the finer areas (LSOAs) significantly above
// the comparator with the area they lie in, the borough heat map with area
// boundaries, labels and numbered hotspots beside their table, monthly
// small multiples per area, the packs with their status (batch) or the
// run's files, and the data-quality ledger.
//
// Public mode (result->disclosure set): every count is one the disclosure
// control published (the statistics tables' values or the marker; the
// ledger's shown() values; the public heat map's protected surface); the
// monthly small multiples are left out, as the public area layers carry no
// monthly counts.
#pragma once

#include <string>
#include <vector>

#include "hotspot/batch.h"
#include "hotspot/pipeline.h"
#include "hotspot/run_spec.h"
#include "io/out_table.h"

namespace hotspot::report {

struct FrontPageInput {
  const RunResult* result = nullptr;  // not owned; required
  const RunSpec* spec = nullptr;      // the spec the result was run with; required
  // The borough heat map; nullptr = the run's first surface (none: no map).
  const Surface* surface = nullptr;
  std::string surface_problem;        // why there is no heat map, when building it failed
  // A batch: every pack, linked as <folder>/briefing.html when written.
  const std::vector<PackStatus>* packs = nullptr;
  std::vector<std::string> files;     // a run: its output files, relative to the page
  // pipeline::stats_tables(*result, spec->stats) when the caller has built
  // them already (not owned); nullptr: the page builds them.
  const std::vector<io::OutTable>* stat_tables = nullptr;
};

// The page. Throws ConfigError when report.key_categories or
// report.overview_categories name a category the run does not have,
// OutputError when a file name is not a relative path inside the folder.
std::string front_page_html(const FrontPageInput& in);

// The page but its list of files or packs (in.files is not read; in.packs
// only for whether this is a batch's page), and the page finished from it
// with in.files / in.packs: the same bytes as front_page_html.
// Split so that a run can draw the costly part (tables, maps, small
// multiples: ~2 CPU-s on all English LSOAs) while its GeoPackage is still
// being written, before the file list is known.
struct FrontPageDraft {
  std::string head;  // everything before the files or packs section
  std::string tail;  // everything after it
};
FrontPageDraft draft_front_page(const FrontPageInput& in);
std::string finish_front_page(const FrontPageDraft& draft, const FrontPageInput& in);

// Writes the page to `path`: finished from `draft` when given (made from
// the same result and spec), else drawn whole.
void write_front_page(const std::string& path, const FrontPageInput& in, const FrontPageDraft* draft = nullptr);

}  // namespace hotspot::report

// The tables of the borough front page (front_page.h): the JAG table in
// the CSP's published layout, the overview with the family group position,
// the top increases across every area, and the finer areas flagged
// significantly above the comparator. Each returns HTML with every name
// escaped.
//
// Every count comes from the run's statistics tables
// (pipeline::stats_tables), the same rows as csv/comparison_<layer>.csv: in
// public mode they already hold the disclosure control's marker wherever a
// value is withheld, so nothing here can print a withheld count.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hotspot/pipeline.h"
#include "hotspot/run_spec.h"
#include "io/out_table.h"

namespace hotspot::report {

// What the tables are drawn from, resolved once.
struct FrontData {
  // `given`: pipeline::stats_tables(result, run_spec.stats) already built
  // (not owned), else they are built here.
  FrontData(const RunResult& result, const RunSpec& run_spec, const std::vector<io::OutTable>* given = nullptr);
  FrontData(const FrontData&) = delete;
  FrontData& operator=(const FrontData&) = delete;
  const RunResult& r;
  const RunSpec& spec;
  int layer = -1;                 // the JAG table's layer (stats.table_layer, else the last); -1 = none
  std::vector<io::OutTable> own_tables;  // built here when none were given
  const std::vector<io::OutTable>* tables = &own_tables;  // pipeline::stats_tables(r, spec.stats)
  // report.family with the rows of report.family_path (the file wins).
  std::map<std::string, std::map<std::string, double>> family;
  bool pub() const { return r.disclosure != nullptr; }
  const io::OutTable* table(const std::string& name) const;
};

// The JAG table's categories: report.key_categories (or the defaults) as
// the run names them, through stats.aliases and matched without regard to
// case ("All Crime" finds "All crime"). A category given in the config that
// the run does not have is a ConfigError naming the run's categories; a
// default the run lacks is left out.
std::vector<std::string> key_categories(const RunResult& r, const RunSpec& spec);
// Resolves report.key_categories and report.overview_categories: throws
// ConfigError as key_categories does, and reads report.family_path (an
// InputError when it is wrong): called before a batch builds its packs.
void check_report_categories(const RunResult& r, const RunSpec& spec);

// The study area's position among the family of comparator areas for one
// category: 1 = the lowest rate, `of` = the family plus the study area.
// An entry named own_name (the study area itself) is ignored: the run's own
// rate stands for it. nullopt when the rate is not a number.
struct FamilyPosition {
  int position = 0, of = 0;
};
std::optional<FamilyPosition> family_position(double own_rate, const std::map<std::string, double>& family,
                                              const std::string& own_name);

// Appended to `o`: one block per area of the JAG layer, in layer order,
// except areas whose every row of comparison_<layer> is 0 in both periods
// (returns how many were left out).
size_t append_jag_table_html(std::string& o, const FrontData& d, const std::vector<std::string>& keys);
std::string overview_html(const FrontData& d);
std::string increases_html(const FrontData& d);
std::string flagged_areas_html(const FrontData& d);

// Shared by the front page's files.
std::string html_table_rows(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                            const std::string& align, const std::string& id);
size_t column(const io::OutTable& t, const std::string& name);

}  // namespace hotspot::report

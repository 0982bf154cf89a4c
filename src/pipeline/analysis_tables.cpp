#include "pipeline/analysis_tables.h"

#include <cmath>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "io/format.h"

namespace hotspot::pipeline {

io::OutTable new_table(std::string name, std::initializer_list<io::Column> columns, io::GeometryKind kind) {
  io::OutTable out;
  out.name = std::move(name);
  out.kind = kind;
  out.columns.assign(columns.begin(), columns.end());
  return out;
}

std::string number_text(double v, int digits) {
  return std::isfinite(v) ? io::format_number(v, std::chars_format::general, digits) : "";
}

MultiPolygon cell_square(const Grid& g, size_t cell) {
  const int c = int(cell % size_t(g.nx)), r = int(cell / size_t(g.nx));
  const double x0 = g.x0 + c * g.cell, x1 = x0 + g.cell, y1 = g.y_top() - r * g.cell, y0 = y1 - g.cell;
  return {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
}

void keep_rows_near(io::OutTable& t, const Box& box) {
  size_t kept = 0;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const Box b = geo::bounds(t.polygons[i]);
    if (b.min_x > box.max_x || b.max_x < box.min_x || b.min_y > box.max_y || b.max_y < box.min_y) continue;
    if (kept != i) {  // a vector moved onto itself is left empty
      t.rows[kept] = std::move(t.rows[i]);
      t.polygons[kept] = std::move(t.polygons[i]);
    }
    ++kept;
  }
  t.rows.resize(kept), t.polygons.resize(kept);
}

io::OutTable parameters_table(std::string name, const std::string& key_column) {
  return new_table(std::move(name), {{key_column}, {"key"}, {"value"}});
}

void add_parameter_rows(io::OutTable& table, const std::string& analysis,
                        const std::map<std::string, std::string>& parameters, const std::vector<std::string>& notes,
                        const std::vector<std::string>& warnings) {
  for (const auto& [k, v] : parameters) table.rows.push_back({analysis, k, v});
  for (const std::string& note : notes) table.rows.push_back({analysis, "note", note});
  for (const std::string& w : warnings) table.rows.push_back({analysis, "warning", w});
}

std::map<std::string, std::string> raster_metadata(std::map<std::string, std::string> parameters,
                                                   const std::string& working_crs) {
  parameters["engine"] = std::string("hotspot ") + HOTSPOT_VERSION;
  parameters["crs"] = geo::crs_label(working_crs);
  return parameters;
}

}  // namespace hotspot::pipeline

// Population tables: a CSV (or TSV, .gz) read with the CSV reader, or a
// spreadsheet (.xlsx, .ods, ...) read through GDAL's drivers, joined to an
// area layer by code.
#include <cmath>
#include <map>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hotspot/errors.h"
#include "io/area_reader.h"
#include "io/csv_parser.h"
#include "io/delimited_reader.h"
#include "io/field_parse.h"
#include "io/gdal_error_scope.h"
#include "io/ogr_names.h"

namespace hotspot::io {
namespace {

// One row of the table: its 1-based data row (header excluded), the code
// and the population text.
struct PopulationRow {
  int64_t row = 0;
  std::string code;
  std::string value;
};

bool is_delimited_text(const std::string& path) {
  for (const char* ext : {".csv", ".tsv", ".txt", ".gz"}) {
    const std::string e = ext;
    if (path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

std::vector<PopulationRow> read_csv_rows(const PopulationSource& table, Ledger& ledger) {
  const std::string text = read_text_utf8(table.path, ledger);  // codes may be quoted in warnings
  std::string_view first = std::string_view(text).substr(0, text.find('\n'));
  CsvReader reader(text, guess_delimiter(first));
  std::vector<std::string_view> f;
  bool ok = true;
  if (!reader.next(f, &ok) || !ok) throw InputError(table.path + ": empty population table");
  const int code_i = column_index(f, table.code_field, table.path, "area code");
  const int value_i = column_index(f, table.value_field, table.path, "population");
  if (code_i < 0 || value_i < 0) throw ConfigError(table.path + ": a population table needs code and value columns");
  std::vector<PopulationRow> rows;
  int64_t row = 0;
  while (reader.next(f, &ok)) {
    ++row;
    if (!ok || size_t(std::max(code_i, value_i)) >= f.size())
      throw InputError(table.path + ": row " + std::to_string(row) + " (line " + std::to_string(reader.line()) +
                       "): malformed row (" + (ok ? "too few fields" : "unterminated quote") + ")");
    rows.push_back({row, std::string(trim(f[code_i])), std::string(trim(f[value_i]))});
  }
  return rows;
}

// A spreadsheet or any other table GDAL reads (first sheet / layer; the
// first row is the header).
std::vector<PopulationRow> read_gdal_rows(const PopulationSource& table) {
  // XLSX/ODS guess whether row 1 is a header; make it always one (other
  // drivers would warn about an option they do not know).
  const std::string ext = CPLGetExtension(table.path.c_str());
  const bool sheet = EQUAL(ext.c_str(), "xlsx") || EQUAL(ext.c_str(), "ods");
  const char* options[] = {"HEADERS=FORCE", nullptr};
  CPLErrorReset();
  GDALDatasetUniquePtr ds(GDALDataset::Open(table.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                            sheet ? options : nullptr, nullptr));
  if (!ds) throw InputError(table.path + ": cannot open as a table: " + ogr_open_failure());
  OGRLayer* layer = ds->GetLayer(0);
  if (!layer) throw InputError(table.path + ": has no sheet or layer");
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  std::vector<std::string> names;
  for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
  const std::vector<std::string_view> header(names.begin(), names.end());
  const int code_i = column_index(header, table.code_field, table.path, "area code");
  const int value_i = column_index(header, table.value_field, table.path, "population");
  if (code_i < 0 || value_i < 0) throw ConfigError(table.path + ": a population table needs code and value columns");
  std::vector<PopulationRow> rows;
  GdalErrorScope trap;
  int64_t row = 0;
  for (auto& f : *layer) {
    ++row;
    rows.push_back({row, std::string(trim(f->GetFieldAsString(code_i))), std::string(trim(f->GetFieldAsString(value_i)))});
  }
  if (trap.failed())
    throw InputError(table.path + ": read error after " + std::to_string(row) + " rows (GDAL: " + trap.first_failure() +
                     ")");
  return rows;
}

}  // namespace

void join_population(AreaLayer& layer, const PopulationSource& table, Ledger& ledger) {
  const std::vector<PopulationRow> rows = is_delimited_text(table.path) ? read_csv_rows(table, ledger) : read_gdal_rows(table);
  std::map<std::string, double> values;
  std::map<std::string, int64_t> row_of;  // code -> its first row, to name duplicates
  for (const PopulationRow& r : rows) {
    const std::string where = table.path + ": row " + std::to_string(r.row);
    if (r.code.empty() && r.value.empty()) continue;  // a blank row (spreadsheets often end with some)
    if (r.code.empty()) throw InputError(where + ": blank " + table.code_field);
    auto v = parse_number(r.value);
    if (!v || *v < 0)
      throw InputError(where + ", field " + table.value_field + ": not a population: " + describe_value(r.value) +
                       " (a number >= 0, '.' for decimals, no thousands separators)");
    auto [it, added] = row_of.emplace(r.code, r.row);
    if (!added)
      throw InputError(table.path + ": area code " + describe_value(r.code) + " appears twice (rows " +
                       std::to_string(it->second) + " and " + std::to_string(r.row) +
                       "); a population table needs one row per area");
    values[r.code] = *v;
  }
  layer.population.assign(layer.size(), std::nan(""));
  int64_t missing = 0;
  for (size_t i = 0; i < layer.size(); ++i) {
    auto it = values.find(layer.code[i]);
    if (it == values.end()) {
      ++missing;
      continue;
    }
    layer.population[i] = it->second;
    values.erase(it);  // what is left matched no area
  }
  if (missing)
    ledger.warnings.push_back("layer " + layer.name + ": " + std::to_string(missing) +
                              " areas have no population in " + table.path + " (excluded from rates)");
  if (!values.empty()) {
    // Rows for areas the layer does not have: a table for another area set
    // or year, or codes that differ (E01025700 vs e01025700, extra blanks).
    std::string examples;
    int shown = 0;
    for (auto it = values.begin(); it != values.end() && shown < 5; ++it, ++shown)
      examples += (examples.empty() ? "" : ", ") + describe_value(it->first);
    ledger.warnings.push_back(table.path + ": " + std::to_string(values.size()) + " population rows match no area of layer " +
                              layer.name + " (e.g. " + examples + "); check the table is for these areas");
  }
}

}  // namespace hotspot::io

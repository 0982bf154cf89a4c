#include <cmath>
#include <map>

#include "hotspot/errors.h"
#include "io/area_reader.h"
#include "io/csv_parser.h"
#include "io/delimited_reader.h"
#include "io/field_parse.h"

namespace hotspot::io {

void join_population(AreaLayer& layer, const PopulationSource& table, Ledger& ledger) {
  const std::string text = read_file(table.path);
  std::string_view first = std::string_view(text).substr(0, text.find('\n'));
  CsvReader reader(text, guess_delimiter(first));
  std::vector<std::string_view> f;
  bool ok = true;
  if (!reader.next(f, &ok) || !ok) throw InputError(table.path + ": empty population table");
  const int code_i = column_index(f, table.code_field, table.path, "area code");
  const int value_i = column_index(f, table.value_field, table.path, "population");
  if (code_i < 0 || value_i < 0) throw ConfigError(table.path + ": a population table needs code and value columns");
  std::map<std::string, double> values;
  int64_t row = 0;
  while (reader.next(f, &ok)) {
    ++row;
    const std::string where = table.path + ": row " + std::to_string(row);
    if (!ok || size_t(std::max(code_i, value_i)) >= f.size()) throw InputError(where + ": malformed row");
    auto v = parse_number(f[value_i]);
    if (!v || *v < 0) throw InputError(where + ", field " + table.value_field + ": not a population: " + describe_value(f[value_i]) +
                                   " (a number >= 0, '.' for decimals, no thousands separators)");
    values[std::string(trim(f[code_i]))] = *v;
  }
  layer.population.assign(layer.size(), std::nan(""));
  int64_t missing = 0;
  for (size_t i = 0; i < layer.size(); ++i) {
    auto it = values.find(layer.code[i]);
    if (it != values.end()) layer.population[i] = it->second;
    else ++missing;
  }
  if (missing)
    ledger.warnings.push_back("layer " + layer.name + ": " + std::to_string(missing) +
                              " areas have no population in " + table.path + " (excluded from rates)");
}

}  // namespace hotspot::io

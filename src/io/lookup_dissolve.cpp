#include <map>
#include <set>

#include "geo/geos_util.h"
#include "hotspot/errors.h"
#include "io/area_reader.h"
#include "io/csv_parser.h"
#include "io/delimited_reader.h"
#include "io/field_parse.h"

namespace hotspot::io {

AreaLayer dissolve_layer(const AreaSource& source, const AreaLayer& from, Ledger& ledger) {
  const DissolveSpec& d = *source.dissolve;
  const std::string text = read_text_utf8(d.lookup_path, ledger);  // names become output labels
  std::string_view first = std::string_view(text).substr(0, text.find('\n'));
  CsvReader reader(text, guess_delimiter(first));
  std::vector<std::string_view> f;
  bool ok = true;
  if (!reader.next(f, &ok) || !ok) throw InputError(d.lookup_path + ": empty lookup");
  const int from_i = column_index(f, d.from_field, d.lookup_path, "lookup from-code");
  const int to_i = column_index(f, d.to_field, d.lookup_path, "lookup to-code");
  const int name_i = column_index(f, d.to_name_field, d.lookup_path, "lookup name");
  const size_t width = f.size();

  std::map<std::string, size_t> from_index;
  for (size_t i = 0; i < from.size(); ++i) from_index[from.code[i]] = i;
  std::map<std::string, std::vector<const MultiPolygon*>> parts;  // to code -> parts
  std::map<std::string, std::vector<int32_t>> part_index;         // to code -> from areas
  std::map<std::string, std::string> names;
  std::set<std::string> used;
  int64_t row = 0;
  while (reader.next(f, &ok)) {
    ++row;
    const std::string where = d.lookup_path + ": row " + std::to_string(row);
    if (!ok || f.size() != width) throw InputError(where + ": malformed row");
    std::string from_code(trim(f[from_i])), to_code(trim(f[to_i]));
    if (from_code.empty() || to_code.empty()) throw InputError(where + ": blank " + d.from_field + " or " + d.to_field);
    auto it = from_index.find(from_code);
    if (it == from_index.end()) {
      ledger.warnings.push_back(where + ": " + from_code + " is not an area of layer " + from.name);
      continue;
    }
    if (!used.insert(from_code).second) throw InputError(where + ": " + from_code + " appears twice");
    parts[to_code].push_back(&from.geometry[it->second]);
    part_index[to_code].push_back(int32_t(it->second));
    if (name_i >= 0) names[to_code] = std::string(trim(f[name_i]));
  }
  std::vector<std::string> unused;
  for (const std::string& code : from.code)
    if (!used.count(code)) unused.push_back(code);
  if (!unused.empty())
    ledger.warnings.push_back("layer " + source.name + ": " + std::to_string(unused.size()) + " areas of layer " +
                              from.name + " are in no " + source.name + " (not in " + d.lookup_path +
                              "), e.g. " + unused.front());
  AreaLayer layer;
  layer.name = source.name;
  layer.dissolved_from = from.name;
  for (auto& [code, polys] : parts) {
    layer.code.push_back(code);
    layer.label.push_back(names[code]);
    layer.geometry.push_back(geo::dissolve(polys));
    layer.parts.push_back(part_index[code]);
  }
  return layer;
}

}  // namespace hotspot::io

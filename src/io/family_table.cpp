#include "io/family_table.h"

#include <cmath>
#include <cstdlib>
#include <vector>

#include "hotspot/errors.h"
#include "io/csv_parser.h"
#include "io/delimited_reader.h"

namespace hotspot::io {

std::map<std::string, std::map<std::string, double>> read_family_csv(const std::string& path) {
  const std::string text = read_file(path);
  CsvReader csv(text, ',');
  std::vector<std::string_view> f;
  bool ok = true;
  if (!csv.next(f, &ok) || !ok) throw InputError(path + ": family table: no header (area,category,rate)");
  int area = -1, category = -1, rate = -1;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == "area") area = int(i);
    if (f[i] == "category") category = int(i);
    if (f[i] == "rate") rate = int(i);
  }
  if (area < 0 || category < 0 || rate < 0)
    throw InputError(path + ": family table: the header must name the columns area, category and rate");
  std::map<std::string, std::map<std::string, double>> out;
  for (int64_t row = 1; csv.next(f, &ok); ++row) {
    const std::string where = path + ": data row " + std::to_string(row);
    if (!ok) throw InputError(where + ": unterminated quote");
    if (f.size() <= size_t(std::max({area, category, rate}))) throw InputError(where + ": too few fields");
    const std::string a(f[size_t(area)]), c(f[size_t(category)]), v(f[size_t(rate)]);
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || !end || *end != '\0' || !std::isfinite(x) || x < 0)
      throw InputError(where + ": field rate = '" + v + "' is not a non-negative number");
    if (a.empty() || c.empty()) throw InputError(where + ": field " + (a.empty() ? "area" : "category") + " is blank");
    if (!out[c].emplace(a, x).second)
      throw InputError(where + ": area '" + a + "' is listed twice for category '" + c + "'");
  }
  return out;
}

}  // namespace hotspot::io

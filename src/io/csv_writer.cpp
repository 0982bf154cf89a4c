#include <fstream>

#include "hotspot/errors.h"
#include "io/csv_parser.h"
#include "io/out_table.h"

namespace hotspot::io {

void write_csv(const std::string& path, const OutTable& table) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw OutputError(path + ": cannot create");
  std::vector<std::string_view> fields;
  for (const Column& c : table.columns) fields.push_back(c.name);
  out << join_csv(fields) << '\n';
  table.for_each_row([&](size_t, const std::vector<std::string>& row) {
    fields.assign(row.begin(), row.end());
    out << join_csv(fields) << '\n';
  });
  out.close();
  if (!out) throw OutputError(path + ": write failed");
}

}  // namespace hotspot::io

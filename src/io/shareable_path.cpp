#include "hotspot/shareable_path.h"

#include <filesystem>

namespace hotspot {

std::string shareable_path(const std::string& file, const std::string& folder, bool public_only_names) {
  namespace fs = std::filesystem;
  if (file.rfind("postgis:", 0) == 0) return file;  // a database table's name (io::postgis_source_name)
  const fs::path f = fs::absolute(file).lexically_normal();
  if (public_only_names) return f.filename().string();
  const fs::path base = fs::absolute(folder).lexically_normal();
  // A relative path that climbs to the root would spell out the machine's
  // folders ("../../../home/ann/data/x.csv"): the name alone then.
  auto a = f.begin(), b = base.begin();
  size_t shared = 0;
  for (; a != f.end() && b != base.end() && *a == *b; ++a, ++b) ++shared;
  if (shared <= 1) return f.filename().string();  // only "/" in common
  return f.lexically_relative(base).generic_string();
}

}  // namespace hotspot

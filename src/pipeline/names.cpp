#include "hotspot/names.h"

#include <algorithm>
#include <cctype>

namespace hotspot {
namespace {

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_name(const std::string& given, const std::vector<std::string>& valid) {
  const std::string g = lower(given);
  std::string best;
  size_t best_distance = std::max<size_t>(2, g.size() / 3) + 1;
  for (const std::string& v : valid) {
    const size_t d = edit_distance(g, lower(v));
    if (d < best_distance) best_distance = d, best = v;
  }
  return best;
}

std::string quoted_list(const std::vector<std::string>& names, size_t max) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < max; ++i) out += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > max) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out.empty() ? "none" : out;
}

std::string did_you_mean(const std::string& given, const std::vector<std::string>& valid) {
  const std::string c = closest_name(given, valid);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

std::string unknown_name(const std::string& what, const std::string& given, const std::vector<std::string>& valid) {
  return "unknown " + what + " '" + given + "'" + did_you_mean(given, valid) + "; valid: " + quoted_list(valid);
}

}  // namespace hotspot

#include "io/safe_name.h"

#include <array>
#include <cctype>
#include <string>

#include "hotspot/errors.h"

namespace hotspot::io {
namespace {

constexpr size_t kMaxComponent = 100;

bool allowed(char ch) {
  const unsigned char c = static_cast<unsigned char>(ch);
  return std::isalnum(c) || c == '.' || c == '_' || c == '-';
}

// Names Windows reserves for devices, with or without an extension.
bool is_device_name(std::string_view name) {
  static const std::array<std::string_view, 22> kDevices = {
      "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
      "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"};
  const std::string_view stem = name.substr(0, name.find('.'));
  for (std::string_view d : kDevices) {
    if (stem.size() != d.size()) continue;
    bool same = true;
    for (size_t i = 0; i < d.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(stem[i])) == d[i];
    if (same) return true;
  }
  return false;
}

}  // namespace

std::string safe_component(std::string_view name) {
  std::string out;
  for (char ch : name) {
    if (allowed(ch)) out.push_back(ch);
    else if (out.empty() || out.back() != '_') out.push_back('_');
  }
  size_t lead = 0;
  while (lead < out.size() && (out[lead] == '.' || out[lead] == '-')) ++lead;
  out.erase(0, lead);
  if (out.size() > kMaxComponent) out.resize(kMaxComponent);
  if (out.empty()) out = "_";
  if (is_device_name(out)) out.insert(0, "_");
  return out;
}

bool is_safe_component(std::string_view name) { return safe_component(name) == name; }

const std::string& ComponentSet::add(const std::string& name, const std::string& what) {
  std::string c = safe_component(name);
  if (auto clash = original_.find(c); clash != original_.end())
    throw ConfigError(clash->second == name
                          ? "two " + what + "s are named '" + name + "'; names must differ"
                          : what + "s '" + clash->second + "' and '" + name + "' both become the file name '" + c +
                                "'; rename one of them");
  return original_.emplace(std::move(c), name).first->first;
}

}  // namespace hotspot::io

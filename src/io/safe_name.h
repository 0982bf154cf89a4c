// Names that become paths. Layer names, surface names and area codes come
// from users' configs and data; every one of them is made into exactly one
// safe path component before it names a file or folder, so no name can
// climb out of the output folder ("../x"), hide ("..", ".x") or fail on
// another system (":", "\\", control characters, CON, over-long names).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace hotspot::io {

// One path component made of [A-Za-z0-9._-]: other bytes (and runs of
// them) become one '_', leading dots and dashes are dropped, Windows device
// names get a '_' prefix, length is capped at 100 bytes; never empty.
// "beat 56" -> "beat_56", "x/../../v" -> "x_.._.._v", "" -> "_".
std::string safe_component(std::string_view name);

// True when `name` is already one safe component (safe_component(name) == name).
bool is_safe_component(std::string_view name);

// Collects the names written into one folder and refuses two different
// names that sanitise to the same component ("a/b" and "a_b"): the second
// would silently replace the first.
class ComponentSet {
 public:
  // The safe component for `name`. Throws ConfigError naming both originals
  // (and `what`, e.g. "table") when two names give one component, or when
  // one name is added twice.
  const std::string& add(const std::string& name, const std::string& what);

 private:
  std::map<std::string, std::string> original_;  // component -> the name it came from
};

}  // namespace hotspot::io

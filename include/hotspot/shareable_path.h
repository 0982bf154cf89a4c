// How a file a run read is named in what it writes, so an output folder can
// be shared: no absolute path of the machine that made it.
#pragma once

#include <string>

namespace hotspot {

// `file` as seen from `folder` (e.g. "../../data/x.csv") when the two share a
// folder below the file-system root, so the outputs and inputs can be moved
// together; otherwise, or when `public_only_names`, the file name alone
// (its SHA-256 in the manifest identifies it).
std::string shareable_path(const std::string& file, const std::string& folder, bool public_only_names = false);

}  // namespace hotspot

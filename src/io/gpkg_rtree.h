// A GeoPackage layer's spatial index (SQLite's R-tree module) filled in one
// pass from all of its entries, instead of one INSERT per feature.
// Used by gpkg_rows.cpp once a layer's rows are in.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "hotspot/geometry.h"

namespace hotspot::io {

// One feature's envelope as SQLite's R-tree stores it: 32-bit floats,
// rounded outwards exactly as SQLite rounds a bound double.
struct RtreeEntry {
  int64_t id = 0;  // the feature's fid
  float min_x = 0, max_x = 0, min_y = 0, max_y = 0;
};
RtreeEntry rtree_entry(int64_t id, const Box& envelope);

// Writes `entries` into the empty R-tree virtual table `rtree` (its shadow
// tables rtree_node, rtree_rowid and rtree_parent, in the format SQLite's
// R-tree module reads and keeps up to date) as a packed tree
// (Sort-Tile-Recursive). Returns false, writing nothing, when the R-tree
// already holds entries or its node size is not one SQLite would use; the
// caller then inserts the rows one by one. Throws OutputError naming `path`
// on an SQLite error.
bool bulk_load_rtree(sqlite3* db, const std::string& path, const std::string& rtree,
                     const std::vector<RtreeEntry>& entries);

}  // namespace hotspot::io

// A layer's R-tree written as a packed tree straight into SQLite's shadow
// tables.
//
// Why by hand: SQLite's R-tree module inserts one entry at a time, each a
// descent, a node rewrite and often a split through the page cache; at
// national scale that was seconds per layer (233,090 recorded-code
// disagreements: ~5.7 CPU-s in a micro-benchmark with SQLite's default
// cache, ~2 s in the best insertion order) and the GeoPackage thread was
// the write stage's critical path. GDAL 3.6 (Debian 12) has no bulk loader.
// Packing the entries Sort-Tile-Recursive (Leutenegger et al., 1997) and
// writing each node once is linear after the sorts.
//
// The format, as SQLite's rtree.c reads it (and as `rtreecheck()` checks
// it, which the tests run): node 1 is the root; every node is a blob of the
// table's node size whose first two bytes are the tree's depth (root only,
// 0 elsewhere), the next two its number of cells, then the cells: an 8-byte
// id (a feature's fid in a leaf, a child's node number above) and the box
// as 4 floats (min x, max x, min y, max y), all big-endian. rtree_rowid maps
// each fid to its leaf, rtree_parent each node but the root to its parent.
// The tree stays an ordinary R-tree: SQLite's own inserts and deletes
// (GDAL's triggers, later edits in QGIS) work on it as on any other.
#include "io/gpkg_rtree.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>

#include "hotspot/errors.h"
#include "io/gpkg_rows.h"

namespace hotspot::io {
namespace {

// SQLite's rtreeValueDown / rtreeValueUp (rtree.c): a double that is not
// exactly a float is scaled by 1 -/+ 2^-23 before the cast, so the stored
// box always contains the true one.
constexpr double kTowards = 1.0 - 1.0 / 8388608.0, kAway = 1.0 + 1.0 / 8388608.0;
float value_down(double d) {
  float f = static_cast<float>(d);
  if (f > d) f = static_cast<float>(d * (d < 0 ? kAway : kTowards));
  return f;
}
float value_up(double d) {
  float f = static_cast<float>(d);
  if (f < d) f = static_cast<float>(d * (d < 0 ? kTowards : kAway));
  return f;
}

void put_u16(unsigned char* p, unsigned v) {
  p[0] = static_cast<unsigned char>(v >> 8);
  p[1] = static_cast<unsigned char>(v);
}
void put_u64(unsigned char* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}
void put_f32(unsigned char* p, float f) {
  uint32_t v = std::bit_cast<uint32_t>(f);
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}

// An entry of one level: a feature (leaves) or a node of the level below.
struct Cell {
  int64_t id;  // fid, or the child's index in `nodes`
  float box[4];  // min x, max x, min y, max y
  float cx() const { return box[0] / 2 + box[1] / 2; }
  float cy() const { return box[2] / 2 + box[3] / 2; }
};

struct Node {
  std::vector<Cell> cells;
  bool leaf = false;
};

Cell cover(int64_t id, const std::vector<Cell>& cells) {
  Cell c{id, {cells[0].box[0], cells[0].box[1], cells[0].box[2], cells[0].box[3]}};
  for (const Cell& e : cells) {
    c.box[0] = std::min(c.box[0], e.box[0]);
    c.box[1] = std::max(c.box[1], e.box[1]);
    c.box[2] = std::min(c.box[2], e.box[2]);
    c.box[3] = std::max(c.box[3], e.box[3]);
  }
  return c;
}

// One level of Sort-Tile-Recursive packing: `cells` into nodes of at most
// `capacity` cells, appended to `nodes`; returns the cells of the level
// above. Slices and runs are split evenly, so no node is left nearly empty.
// Ties are broken by id: the same entries give the same tree.
std::vector<Cell> pack_level(std::vector<Cell> cells, size_t capacity, bool leaf, std::vector<Node>& nodes) {
  const size_t n = cells.size();
  const size_t node_count = (n + capacity - 1) / capacity;
  const size_t slices = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(node_count))));
  auto by_x = [](const Cell& a, const Cell& b) { return a.cx() != b.cx() ? a.cx() < b.cx() : a.id < b.id; };
  auto by_y = [](const Cell& a, const Cell& b) { return a.cy() != b.cy() ? a.cy() < b.cy() : a.id < b.id; };
  std::sort(cells.begin(), cells.end(), by_x);
  std::vector<Cell> above;
  size_t begin = 0;
  for (size_t s = 0; s < slices; ++s) {
    const size_t end = n * (s + 1) / slices;
    std::sort(cells.begin() + static_cast<ptrdiff_t>(begin), cells.begin() + static_cast<ptrdiff_t>(end), by_y);
    const size_t k = end - begin, runs = (k + capacity - 1) / capacity;
    for (size_t r = 0; r < runs; ++r) {
      Node node;
      node.leaf = leaf;
      node.cells.assign(cells.begin() + static_cast<ptrdiff_t>(begin + k * r / runs),
                        cells.begin() + static_cast<ptrdiff_t>(begin + k * (r + 1) / runs));
      above.push_back(cover(static_cast<int64_t>(nodes.size()), node.cells));
      nodes.push_back(std::move(node));
    }
    begin = end;
  }
  return above;
}

struct Statement {
  sqlite3_stmt* s = nullptr;
  ~Statement() { sqlite3_finalize(s); }
};

class Writer {
 public:
  Writer(sqlite3* db, const std::string& path, const std::string& rtree) : db_(db), path_(path), rtree_(rtree) {}
  [[noreturn]] void fail(const std::string& what) const {
    throw OutputError(path_ + ": " + what + " (R-tree " + rtree_ + "): " + sqlite3_errmsg(db_));
  }
  void prepare(Statement& st, const std::string& sql) const {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) fail(sql);
  }
  void step(const Statement& st, const char* what) const {
    if (sqlite3_step(st.s) != SQLITE_DONE) fail(what);
    sqlite3_reset(st.s);
  }
  std::string table(const char* suffix) const { return quoted_identifier(rtree_ + suffix); }

 private:
  sqlite3* db_;
  const std::string& path_;
  const std::string& rtree_;
};

}  // namespace

RtreeEntry rtree_entry(int64_t id, const Box& e) {
  return {id, value_down(e.min_x), value_up(e.max_x), value_down(e.min_y), value_up(e.max_y)};
}

bool bulk_load_rtree(sqlite3* db, const std::string& path, const std::string& rtree,
                     const std::vector<RtreeEntry>& entries) {
  const Writer w(db, path, rtree);
  // The empty R-tree SQLite created: its root, one node of the table's size
  // with no cells, and nothing else.
  size_t node_size = 0;
  {
    Statement root, others;
    w.prepare(root, "SELECT data FROM " + w.table("_node") + " WHERE nodeno = 1");
    w.prepare(others, "SELECT (SELECT count(*) FROM " + w.table("_node") + "), (SELECT count(*) FROM " +
                          w.table("_rowid") + "), (SELECT count(*) FROM " + w.table("_parent") + ")");
    if (sqlite3_step(root.s) != SQLITE_ROW || sqlite3_step(others.s) != SQLITE_ROW) return false;
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(root.s, 0));
    node_size = static_cast<size_t>(sqlite3_column_bytes(root.s, 0));
    if (!blob || node_size < 4 || blob[2] != 0 || blob[3] != 0) return false;
    if (sqlite3_column_int64(others.s, 0) != 1 || sqlite3_column_int64(others.s, 1) != 0 ||
        sqlite3_column_int64(others.s, 2) != 0)
      return false;
  }
  constexpr size_t kCellBytes = 8 + 4 * 4;
  const size_t capacity = (node_size - 4) / kCellBytes;
  if (capacity < 4) return false;
  if (entries.empty()) return true;

  // Packed bottom up; the last level's single node is the root.
  std::vector<Node> nodes;
  std::vector<Cell> level;
  level.reserve(entries.size());
  for (const RtreeEntry& e : entries) level.push_back({e.id, {e.min_x, e.max_x, e.min_y, e.max_y}});
  unsigned depth = 0;
  bool leaf = true;
  while (level.size() > capacity) {
    level = pack_level(std::move(level), capacity, leaf, nodes);
    leaf = false;
    ++depth;
  }
  nodes.push_back({std::move(level), leaf});

  // Node numbers top down from the root (1), so parents come first.
  std::vector<int64_t> number(nodes.size(), 0);
  std::vector<size_t> order{nodes.size() - 1};
  number.back() = 1;
  for (size_t i = 0; i < order.size(); ++i) {
    const Node& node = nodes[order[i]];
    if (node.leaf) continue;
    for (const Cell& c : node.cells) {
      number[size_t(c.id)] = static_cast<int64_t>(order.size()) + 1;
      order.push_back(size_t(c.id));
    }
  }

  Statement update_root, insert_node, insert_parent, insert_rowid;
  w.prepare(update_root, "UPDATE " + w.table("_node") + " SET data = ?1 WHERE nodeno = 1");
  w.prepare(insert_node, "INSERT INTO " + w.table("_node") + " (nodeno, data) VALUES (?1, ?2)");
  w.prepare(insert_parent, "INSERT INTO " + w.table("_parent") + " (nodeno, parentnode) VALUES (?1, ?2)");
  w.prepare(insert_rowid, "INSERT INTO " + w.table("_rowid") + " (rowid, nodeno) VALUES (?1, ?2)");
  std::vector<std::pair<int64_t, int64_t>> leaf_of;  // (fid, leaf node number)
  std::vector<unsigned char> blob(node_size);
  for (size_t i = 0; i < order.size(); ++i) {
    const Node& node = nodes[order[i]];
    const int64_t nodeno = number[order[i]];
    std::fill(blob.begin(), blob.end(), 0);
    if (nodeno == 1) put_u16(blob.data(), depth);
    put_u16(blob.data() + 2, static_cast<unsigned>(node.cells.size()));
    unsigned char* p = blob.data() + 4;
    for (const Cell& c : node.cells) {
      const int64_t id = node.leaf ? c.id : number[size_t(c.id)];
      put_u64(p, static_cast<uint64_t>(id));
      for (int k = 0; k < 4; ++k) put_f32(p + 8 + 4 * k, c.box[k]);
      p += kCellBytes;
      if (node.leaf) leaf_of.emplace_back(c.id, nodeno);
    }
    const Statement& st = nodeno == 1 ? update_root : insert_node;
    const int blob_index = nodeno == 1 ? 1 : 2;
    if (nodeno != 1) sqlite3_bind_int64(st.s, 1, nodeno);
    sqlite3_bind_blob(st.s, blob_index, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
    w.step(st, "cannot write a node");
    if (!node.leaf)
      for (const Cell& c : node.cells) {
        sqlite3_bind_int64(insert_parent.s, 1, number[size_t(c.id)]);
        sqlite3_bind_int64(insert_parent.s, 2, nodeno);
        w.step(insert_parent, "cannot write a node's parent");
      }
  }
  // Fids in order: appends to rtree_rowid's B-tree.
  std::sort(leaf_of.begin(), leaf_of.end());
  for (const auto& [fid, nodeno] : leaf_of) {
    sqlite3_bind_int64(insert_rowid.s, 1, fid);
    sqlite3_bind_int64(insert_rowid.s, 2, nodeno);
    w.step(insert_rowid, "cannot write an entry's leaf");
  }
  return true;
}

}  // namespace hotspot::io

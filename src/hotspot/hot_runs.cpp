#include "hotspot/hot_runs.h"

#include <algorithm>
#include <utility>

#include "hotspot/fresh_buffer.h"

namespace hotspot::kde {
namespace {

bool hot(double v, double threshold) { return v >= threshold && v > 0; }

// The runs of one row, appended.
void append_row_runs(const Grid& g, int r, double threshold, std::vector<HotRun>& runs) {
  const double* row = g.values.data() + size_t(r) * size_t(g.nx);
  for (int c = 0; c < g.nx;) {
    if (!hot(row[c], threshold)) {
      ++c;
      continue;
    }
    const int begin = c;
    while (c < g.nx && hot(row[c], threshold)) ++c;
    runs.push_back({r, begin, c, 0});
  }
}

// Union-find over run indices; a set's root is its smallest index, i.e. its
// first run in row-major order.
struct Sets {
  std::vector<size_t> parent;
  size_t find(size_t i) {
    size_t root = i;
    while (parent[root] != root) root = parent[root];
    while (parent[i] != root) i = std::exchange(parent[i], root);
    return root;
  }
  void join(size_t a, size_t b) {
    a = find(a);
    b = find(b);
    if (a < b) parent[b] = a;
    if (b < a) parent[a] = b;
  }
};

}  // namespace

HotRuns hot_runs(const Grid& g, double threshold) {
  HotRuns h;
  h.row_first.reserve(size_t(g.ny) + 1);
  Sets sets;
  for (int r = 0; r < g.ny; ++r) {
    h.row_first.push_back(h.runs.size());
    append_row_runs(g, r, threshold, h.runs);
    for (size_t i = sets.parent.size(); i < h.runs.size(); ++i) sets.parent.push_back(i);
    if (r == 0) continue;
    // Runs of the row above that touch a run of this one, diagonals
    // included: columns [begin - 1, end] overlap.
    size_t above = h.row_first[size_t(r) - 1];
    const size_t above_end = h.row_first[size_t(r)];
    for (size_t i = h.row_first[size_t(r)]; i < h.runs.size(); ++i) {
      const HotRun& run = h.runs[i];
      while (above < above_end && h.runs[above].end < run.begin) ++above;  // ends left of begin - 1
      for (size_t a = above; a < above_end && h.runs[a].begin <= run.end; ++a) sets.join(i, a);
    }
  }
  h.row_first.push_back(h.runs.size());
  // Labels in the order of each set's first run, as a row-major flood fill
  // numbers its areas.
  for (size_t i = 0; i < h.runs.size(); ++i) {
    const size_t root = sets.find(i);
    h.runs[i].label = root == i ? ++h.count : h.runs[root].label;
  }
  return h;
}

int32_t HotRuns::at(int row, int col) const {
  const auto first = runs.begin() + long(row_first[size_t(row)]),
             last = runs.begin() + long(row_first[size_t(row) + 1]);
  const auto after = std::upper_bound(first, last, col, [](int c, const HotRun& run) { return c < run.begin; });
  if (after == first) return 0;
  const HotRun& run = *(after - 1);
  return col < run.end ? run.label : 0;
}

std::vector<int32_t> HotRuns::grid(int nx, int ny) const {
  std::vector<int32_t> lab;
  assign_fresh(lab, size_t(nx) * size_t(ny), int32_t{0});
  for (const HotRun& run : runs)
    std::fill_n(lab.begin() + long(size_t(run.row) * size_t(nx) + size_t(run.begin)), run.end - run.begin, run.label);
  return lab;
}

}  // namespace hotspot::kde

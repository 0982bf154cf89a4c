// Full-grid buffers that are filled right after they are allocated (heat-map
// grids, label grids), backed by transparent huge pages where the kernel
// offers them on request.
//
// Why: a fresh buffer costs one page fault per 4 KiB page on its first
// write. On the Leicestershire heat map (3091 x 2513 cells) perf put 28% of
// the run's CPU in page faults under the fills of fresh grids (this
// machine's kernel runs paravirtualised, where a fault is dear); with huge
// pages it is one fault per 2 MiB (bench/RESULTS.md, "Heat maps and peers,
// round 3"). Debian's kernels ship THP in "madvise" mode: only memory that
// asks for it gets huge pages. Values and layout are unaffected.
#pragma once

#include <cstddef>
#include <vector>

namespace hotspot {

// Asks for huge pages on the whole 4 KiB pages inside [p, p + bytes) (Linux
// madvise MADV_HUGEPAGE). A hint: ignored where unsupported; never fails.
void advise_huge_pages(void* p, size_t bytes);

// v = n copies of `value`. When v must grow, its new buffer is allocated
// untouched, advised (above), then filled, so the fill faults huge pages in.
template <typename T>
void assign_fresh(std::vector<T>& v, size_t n, const T& value) {
  if (v.capacity() < n) {
    std::vector<T>().swap(v);
    v.reserve(n);
    advise_huge_pages(v.data(), n * sizeof(T));
  }
  v.assign(n, value);
}

// Reserves room for n elements in an empty v, advised as above (for
// buffers filled by push_back).
template <typename T>
void reserve_fresh(std::vector<T>& v, size_t n) {
  if (v.capacity() >= n) return;
  std::vector<T> fresh;
  fresh.reserve(n);
  advise_huge_pages(fresh.data(), n * sizeof(T));
  fresh.insert(fresh.end(), v.begin(), v.end());
  v.swap(fresh);
}

}  // namespace hotspot

// Page hints for the few large, long-lived buffers of a national read (the
// merged table's columns, the duplicate-id set): transparent huge pages
// (hotspot/fresh_buffer.h says why) and pages made ahead of their writer.
//
// Measured on the 2-core bench machine (paravirtualised: a page fault is
// dear, and so is every write through 4 KB page tables): a 512 MB memset
// took 1.8 CPU-s in 4 KB pages, 0.3 CPU-s in 2 MB pages. The national
// read's profile had page faults at ~22% of its CPU.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace hotspot::io {

// hotspot::advise_huge_pages (fresh_buffer.h) on memory the caller only
// reads here: a hint, the contents are not touched.
void advise_huge_pages(const void* p, size_t bytes);

// The same over a vector's capacity (call it after reserve(), before the
// room is written: pages already made stay as they are).
template <class T>
void advise_huge_pages(const std::vector<T>& v) {
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

// A range of memory (begin, bytes): where a column's next rows will be written.
using Room = std::pair<const void*, size_t>;

// The room in v for its next `rows` rows (at most up to its capacity).
template <class T>
Room room_for(const std::vector<T>& v, size_t rows) {
  return {v.data() + v.size(), std::min(rows, v.capacity() - v.size()) * sizeof(T)};
}

// Makes the pages of `room` present and writable now (MADV_POPULATE_WRITE),
// so that the thread that later writes there takes no page faults and
// clears no pages. A hint, as advise_huge_pages: the contents are not
// touched (thread-safe against writers of the same memory) and errors
// (an old kernel, memory freed meanwhile) are ignored.
void populate(Room room);

}  // namespace hotspot::io

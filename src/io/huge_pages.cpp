#include "io/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

#include "hotspot/fresh_buffer.h"

namespace hotspot::io {

void advise_huge_pages(const void* p, size_t bytes) { hotspot::advise_huge_pages(const_cast<void*>(p), bytes); }

void populate(Room room) {
#ifdef MADV_POPULATE_WRITE
  constexpr uintptr_t kPage = 4096;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(room.first) & ~(kPage - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(room.first) + room.second;
  if (room.second > 0) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)room;
#endif
}

}  // namespace hotspot::io

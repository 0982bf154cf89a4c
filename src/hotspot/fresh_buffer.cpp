#include "hotspot/fresh_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace hotspot {

void advise_huge_pages(void* p, size_t bytes) {
  // Below one huge page there is nothing to gain.
  constexpr size_t kHuge = size_t(2) << 20;
  if (!p || bytes < kHuge) return;
  const auto page = uintptr_t(sysconf(_SC_PAGESIZE));
  const uintptr_t begin = (uintptr_t(p) + page - 1) / page * page;
  const uintptr_t end = (uintptr_t(p) + bytes) / page * page;
  if (end <= begin) return;
#ifdef MADV_HUGEPAGE
  // A hint only: EINVAL where THP is not built in, and the buffer then
  // simply stays on normal pages.
  (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

}  // namespace hotspot

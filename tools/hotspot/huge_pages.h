// Large runs re-run themselves once with glibc's malloc on transparent huge
// pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1). See huge_pages.cpp.
#pragma once

#include "hotspot/run_spec.h"

namespace hotspot::cli {

// argv as main() got it, for the re-run (call first thing in main).
void remember_argv(char** argv);

// Replaces this process with itself under glibc.malloc.hugetlb=1 when the
// run's inputs add up to at least HOTSPOT_HUGE_PAGES_MIN_MB (default 32) MB,
// the kernel gives huge pages on request (transparent_hugepage "madvise"),
// and neither GLIBC_TUNABLES nor HOTSPOT_HUGE_PAGES=0 is set. Returns (and
// the run goes on as it is) whenever any of these does not hold or exec fails.
void rerun_on_huge_pages_if_large(const RunSpec& spec);

// True in a process running with glibc.malloc.hugetlb=1.
bool on_huge_pages();

}  // namespace hotspot::cli

#include "huge_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "pipeline/memory_check.h"

namespace hotspot::cli {
namespace {

char** saved_argv = nullptr;

// Why: this VM-hosted 2-core machine spends a large share of every big run
// in page faults of fresh memory (pvm_irq_enable, one fault per 4 KiB:
// bench/RESULTS.md, "Lead: large runs on huge pages"). glibc's own tunable puts its
// heap and its mmap'ed blocks on 2 MiB pages (madvise), measured: England
// 6M Gi* 18.3 -> 15.2 s, all English LSOAs 6.2 -> 5.4 s, faults halved, the
// same peak. A tunable is read only when a process starts, hence the
// re-run; it costs the ~0.08 s of loading the libraries again, so small
// runs (the Leicestershire jobs) keep the normal way. The allocator changes
// no number: the outputs are identical
// (ConfigCli.HugePagesRerunWritesTheSameOutputs).
constexpr const char* kTunable = "glibc.malloc.hugetlb=1";

bool kernel_gives_huge_pages_on_request() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(f, mode);
  return mode.find("[madvise]") != std::string::npos;
}

uintmax_t min_bytes() {
  const char* mb = std::getenv("HOTSPOT_HUGE_PAGES_MIN_MB");
  return uintmax_t(mb ? std::strtoull(mb, nullptr, 10) : 32) << 20;
}

}  // namespace

void remember_argv(char** argv) { saved_argv = argv; }

bool on_huge_pages() {
  const char* t = std::getenv("GLIBC_TUNABLES");
  return t && std::string(t).find(kTunable) != std::string::npos;
}

void rerun_on_huge_pages_if_large(const RunSpec& spec) {
  if (!saved_argv || std::getenv("GLIBC_TUNABLES")) return;  // the user's own tunables (or the re-run) win
  const char* off = std::getenv("HOTSPOT_HUGE_PAGES");
  if (off && std::string(off) == "0") return;
  if (!kernel_gives_huge_pages_on_request()) return;
  // The inputs' sizes as the memory check counts them (incident text, a .gz
  // uncompressed; the area layers' files).
  const pipeline::MemoryEstimate e = pipeline::estimate_memory(spec);
  if (uintmax_t(e.input_bytes) + uintmax_t(e.area_bytes) < min_bytes()) return;
  if (setenv("GLIBC_TUNABLES", kTunable, 1) != 0) return;
  std::cout.flush();
  std::cerr.flush();
  execv("/proc/self/exe", saved_argv);
  unsetenv("GLIBC_TUNABLES");  // exec failed: go on as we are
}

}  // namespace hotspot::cli

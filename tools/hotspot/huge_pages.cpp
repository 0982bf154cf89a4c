#include "huge_pages.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>

namespace hotspot::cli {
namespace {

char** saved_argv = nullptr;

// Why: this VM-hosted 2-core machine spends a large share of every big run
// in page faults of fresh memory (pvm_irq_enable, one fault per 4 KiB:
// bench/RESULTS.md, "malloc on huge pages"). glibc's own tunable puts its
// heap and its mmap'ed blocks on 2 MiB pages (madvise), measured: England
// 6M Gi* 18.3 -> 15.2 s, all English LSOAs 6.2 -> 5.4 s, faults halved, the
// same peak. A tunable is read only when a process starts, hence the
// re-run; it costs the ~0.08 s of loading the libraries again, so small
// runs (the Leicestershire jobs) keep the normal way. The allocator changes
// no number: the outputs are identical (tests/pipeline/huge_pages_test).
constexpr const char* kTunable = "glibc.malloc.hugetlb=1";

uintmax_t bytes_under(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p(path);
  if (std::filesystem::is_regular_file(p, ec)) return std::filesystem::file_size(p, ec);
  uintmax_t total = 0;
  if (std::filesystem::is_directory(p, ec))
    for (auto it = std::filesystem::recursive_directory_iterator(p, ec); !ec && it != std::filesystem::end(it);
         it.increment(ec))
      if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;  // globs and PG: connections count 0
}

uintmax_t input_bytes(const RunSpec& spec) {
  uintmax_t total = 0;
  for (const auto& s : spec.incidents)
    for (const std::string& p : s.paths) total += bytes_under(p);
  for (const auto& a : spec.areas)
    for (const std::string& p : a.paths) total += bytes_under(p);
  return total;
}

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
  if (!kernel_gives_huge_pages_on_request() || input_bytes(spec) < min_bytes()) return;
  if (setenv("GLIBC_TUNABLES", kTunable, 1) != 0) return;
  std::cout.flush();
  std::cerr.flush();
  execv("/proc/self/exe", saved_argv);
  unsetenv("GLIBC_TUNABLES");  // exec failed: go on as we are
}

}  // namespace hotspot::cli

// Full-grid buffers asked onto huge pages (hotspot/fresh_buffer.h): the
// values are what assign() would give, and the kernel has marked the
// buffer's memory as eligible for transparent huge pages where it offers
// them on request (THP "madvise" or "always"; skipped where it is "never").
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hotspot/fresh_buffer.h"

namespace hotspot {
namespace {

// The THPeligible line of the /proc/self/smaps mapping holding `p`, or -1.
int thp_eligible(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in_mapping = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(':') > line.find(' ')) {
      in_mapping = uintptr_t(p) >= lo && uintptr_t(p) < hi;
      continue;
    }
    if (in_mapping && line.rfind("THPeligible:", 0) == 0) return std::stoi(line.substr(12));
  }
  return -1;
}

std::string thp_mode() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string s;
  std::getline(f, s);
  return s;
}

TEST(FreshBuffer, AssignFreshFillsLikeAssignAndKeepsTheBufferWhenItFits) {
  std::vector<double> v{1, 2, 3};
  assign_fresh(v, 5'000'000, 0.5);
  ASSERT_EQ(v.size(), 5'000'000u);
  EXPECT_EQ(v.front(), 0.5);
  EXPECT_EQ(v.back(), 0.5);
  const double* buffer = v.data();
  assign_fresh(v, 4'000'000, -1.0);  // smaller: same buffer, refilled
  EXPECT_EQ(v.data(), buffer);
  ASSERT_EQ(v.size(), 4'000'000u);
  EXPECT_EQ(v[123'456], -1.0);
  std::vector<int32_t> small;
  assign_fresh(small, 3, int32_t{7});  // under one huge page: plain
  EXPECT_EQ(small, (std::vector<int32_t>{7, 7, 7}));
}

TEST(FreshBuffer, ReserveFreshKeepsTheValuesAndMakesRoom) {
  std::vector<double> v{4, 5};
  reserve_fresh(v, 3'000'000);
  EXPECT_EQ(v, (std::vector<double>{4, 5}));
  EXPECT_GE(v.capacity(), 3'000'000u);
  const double* buffer = v.data();
  for (int i = 0; i < 1000; ++i) v.push_back(i);
  EXPECT_EQ(v.data(), buffer);  // no reallocation while within the reservation
}

TEST(FreshBuffer, AGridBufferIsEligibleForHugePages) {
  const std::string mode = thp_mode();
  if (mode.empty() || mode.find("[never]") != std::string::npos) GTEST_SKIP() << "no transparent huge pages here";
  std::vector<double> grid;
  assign_fresh(grid, size_t(3091) * 2513, 0.0);  // the Leicestershire heat map's cells
  // The middle of the buffer: whole 2 MiB pages lie there whatever the
  // allocation's alignment.
  EXPECT_EQ(thp_eligible(grid.data() + grid.size() / 2), 1) << "THP mode: " << mode;
}

}  // namespace
}  // namespace hotspot

// io/huge_pages.h: the page hints for the merged table of a national read.
#include "io/huge_pages.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "io/incident_batch.h"

namespace hotspot::io {
namespace {

// The hints change no value: a column advised, then written while another
// thread populates its room (as read_delimited_files does), holds exactly
// what was written, before and after the room.
TEST(HugePages, AdviceAndPopulateWhileWritingChangeNoValue) {
  std::vector<double> v;
  for (size_t i = 0; i < 1000; ++i) v.push_back(double(i));
  v.reserve(3 << 20);  // 24 MB: whole 2 MB pages inside
  advise_huge_pages(v);
  const Room room = room_for(v, 3 << 20);
  EXPECT_EQ(room.first, v.data() + 1000);
  EXPECT_EQ(room.second, ((3 << 20) - 1000) * sizeof(double));  // cut at the capacity
  std::thread populating([room] { populate(room); });
  for (size_t i = 1000; i < v.capacity(); ++i) v.push_back(double(i));
  populating.join();
  populate(room);  // on pages already written: nothing changes either
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], double(i)) << i;
  advise_huge_pages(nullptr, 0);  // nothing to advise: no effect, no error
  populate({nullptr, 0});
}

// room_for_rows names every reserved column's next rows, and only within
// the room reserve_rows made.
TEST(HugePages, TableRoomCoversEveryReservedColumnWithinItsCapacity) {
  IncidentTable t;
  t.x = {1, 2};
  t.y = {3, 4};
  t.month = {5, 5};
  t.minute = {0, 0};
  t.category = {0, 0};
  t.source = {0, 0};
  t.source_row = {1, 2};
  t.id.push_back("a");
  t.id.push_back("bc");
  t.location.push_back("X");
  t.location.push_back("Y");
  t.recorded["lsoa"].push_back("E01");
  t.recorded["lsoa"].push_back("E02");
  reserve_rows(t, 100, 1000);
  const std::vector<Room> rooms = room_for_rows(t, 10, 50);
  ASSERT_EQ(rooms.size(), 12u);  // 8 vectors (weight empty), id's ends and text, location, one recorded layer
  EXPECT_EQ(rooms[0].first, t.x.data() + 2);
  EXPECT_EQ(rooms[0].second, 10 * sizeof(double));
  EXPECT_EQ(rooms[6].second, 10 * sizeof(int64_t));  // source_row
  EXPECT_EQ(rooms[7].second, 0u);                    // weight: absent, no room
  EXPECT_EQ(rooms[8].second, 10 * sizeof(uint64_t)); // id ends
  EXPECT_EQ(rooms[9].second, 50u);                   // id text
  EXPECT_EQ(rooms[10].second, 10 * sizeof(uint32_t));
  EXPECT_EQ(rooms[11].second, 10 * sizeof(uint32_t));
  // More rows than reserved: only the room there is.
  EXPECT_EQ(room_for_rows(t, 1000, 0)[0].second, (t.x.capacity() - 2) * sizeof(double));
  for (const Room& r : rooms) populate(r);
  EXPECT_EQ(t.x, (std::vector<double>{1, 2}));
  EXPECT_EQ(t.id.strings(), (std::vector<std::string>{"a", "bc"}));
}

}  // namespace
}  // namespace hotspot::io

// How outputs name the files a run read: relative to the output folder when
// the two share a folder below the root, else the file name alone.
#include <gtest/gtest.h>

#include "hotspot/shareable_path.h"

namespace hotspot {
namespace {

TEST(ShareablePath, RelativeWhenTheyShareAFolder) {
  EXPECT_EQ(shareable_path("/home/ann/data/x.csv", "/home/ann/out/pack_1"), "../../data/x.csv");
  EXPECT_EQ(shareable_path("/home/ann/out/pack_1/in.csv", "/home/ann/out/pack_1"), "in.csv");
  EXPECT_EQ(shareable_path("/home/ann/data/./sub/../x.csv", "/home/ann/out/"), "../data/x.csv");
}

TEST(ShareablePath, NameAloneWhenOnlyTheRootIsShared) {
  // "../../../home/ann/data/x.csv" would spell the machine's folders out.
  EXPECT_EQ(shareable_path("/home/ann/data/x.csv", "/tmp/packs/beat_1"), "x.csv");
  EXPECT_EQ(shareable_path("/mnt/share/2019-01-street.csv", "/home/ann/out"), "2019-01-street.csv");
}

TEST(ShareablePath, PublicPacksNameFilesOnly) {
  EXPECT_EQ(shareable_path("/home/ann/data/x.csv", "/home/ann/out", true), "x.csv");
}

}  // namespace
}  // namespace hotspot

// Map PNGs (report/svg_png.h). librsvg is opened on the first map drawn,
// not linked: runs that draw no map must not load it (with cairo and glib,
// 30 libraries and 30-50 ms of start-up CPU; bench/RESULTS.md "perf-small6").
#include "report/svg_png.h"

#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hotspot::report {
namespace {

namespace fs = std::filesystem;

bool mapped(const std::string& library) {
  std::ifstream maps("/proc/self/maps");
  std::stringstream text;
  text << maps.rdbuf();
  return text.str().find(library) != std::string::npos;
}

TEST(SvgPng, LibrsvgIsLoadedOnlyWhenTheFirstMapIsDrawn) {
  EXPECT_FALSE(mapped("librsvg-2")) << "librsvg loaded at start-up";
  EXPECT_FALSE(mapped("libcairo")) << "cairo loaded at start-up";
  const fs::path out = fs::temp_directory_path() / ("hotspot_svg_png_" + std::to_string(getpid()) + ".png");
  // Left half red, right half blue, 200 x 100 user units drawn 400 pixels wide.
  write_svg_png(
      "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'>"
      "<rect width='100' height='100' fill='#ff0000'/>"
      "<rect x='100' width='100' height='100' fill='#0000ff'/></svg>",
      400, out.string());
  EXPECT_TRUE(mapped("librsvg-2"));
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_file(&image, out.c_str())) << image.message;
  EXPECT_EQ(image.width, 400u);
  EXPECT_EQ(image.height, 200u);
  image.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> rgb(PNG_IMAGE_SIZE(image));
  ASSERT_TRUE(png_image_finish_read(&image, nullptr, rgb.data(), 0, nullptr)) << image.message;
  const auto pixel = [&](int x, int y) { return &rgb[(size_t(y) * 400 + size_t(x)) * 3]; };
  EXPECT_EQ(pixel(50, 100)[0], 255);  // red
  EXPECT_EQ(pixel(50, 100)[2], 0);
  EXPECT_EQ(pixel(350, 100)[0], 0);  // blue
  EXPECT_EQ(pixel(350, 100)[2], 255);
  fs::remove(out);
}

TEST(SvgPng, AnUnreadableSvgIsAnErrorNamingThePath) {
  try {
    write_svg_png("not svg", 100, "/tmp/never_written.png");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/tmp/never_written.png"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("librsvg cannot read"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists("/tmp/never_written.png"));
}

}  // namespace
}  // namespace hotspot::report

#include "report/svg_png.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <cstring>
#include <vector>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <memory>

#include "hotspot/errors.h"

namespace hotspot::report {
namespace {

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

// The rendered pixels as an RGB PNG through GDAL's PNG driver at zlib level
// 1: cairo_surface_write_to_png compresses at libpng's default level, which
// took most of a beat pack's time for four 1600-pixel maps (measured with
// perf: zlib + libpng over a third of the batch); level 1 is ~4x faster for
// files ~30% larger. The page is painted white first, so every pixel is
// opaque and cairo's premultiplied ARGB is plain RGB.
void write_rgb_png(cairo_surface_t* surface, const std::string& path) {
  const int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  if (!data) throw OutputError(path + ": cairo gave no pixels");
  std::vector<uint8_t> planes(size_t(3) * size_t(w) * size_t(h));
  const size_t plane = size_t(w) * size_t(h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint32_t px;  // CAIRO_FORMAT_ARGB32: native-endian 32-bit words
      std::memcpy(&px, data + size_t(y) * size_t(stride) + size_t(x) * 4, 4);
      const size_t i = size_t(y) * size_t(w) + size_t(x);
      planes[i] = uint8_t(px >> 16), planes[plane + i] = uint8_t(px >> 8), planes[2 * plane + i] = uint8_t(px);
    }
  GDALAllRegister();
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
  if (!mem || !png) throw OutputError(path + ": GDAL lacks the MEM or PNG driver");
  GDALDatasetUniquePtr ds(mem->Create("", w, h, 3, GDT_Byte, nullptr));
  if (!ds || ds->RasterIO(GF_Write, 0, 0, w, h, planes.data(), w, h, GDT_Byte, 3, nullptr, 1, w, plane) != CE_None)
    throw OutputError(path + ": cannot fill the PNG raster: " + CPLGetLastErrorMsg());
  // No .aux.xml beside the picture.
  CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", "NO");
  const char* options[] = {"ZLEVEL=1", nullptr};
  GDALDatasetUniquePtr out(png->CreateCopy(path.c_str(), ds.get(), FALSE, const_cast<char**>(options), nullptr, nullptr));
  const bool ok = out != nullptr;
  out.reset();
  CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", nullptr);
  if (!ok) throw OutputError(path + ": cannot write the PNG: " + CPLGetLastErrorMsg());
}

}  // namespace

void write_svg_png(const std::string& svg, int width_px, const std::string& path) {
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, GObjectUnref> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) {
    const std::string why = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    throw OutputError(path + ": librsvg cannot read the map SVG: " + why);
  }
  gdouble w = 0, h = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &w, &h) || !(w > 0) || !(h > 0))
    throw OutputError(path + ": the map SVG has no size in pixels");
  const int height_px = std::max(1, int(std::lround(double(width_px) * h / w)));
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width_px, height_px));
  std::unique_ptr<cairo_t, ContextDestroy> cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  const RsvgRectangle viewport{0, 0, double(width_px), double(height_px)};
  if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) {
    const std::string why = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    throw OutputError(path + ": librsvg cannot render the map: " + why);
  }
  cairo_surface_flush(surface.get());
  write_rgb_png(surface.get(), path);
}

}  // namespace hotspot::report

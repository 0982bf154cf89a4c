#include "report/svg_png.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <png.h>

#include <bit>
#include <cmath>
#include <cstring>
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

// The rendered pixels written with libpng's simplified API, speed first
// (PNG_IMAGE_FLAG_FAST: no row filters, light zlib). cairo_surface_write_to_png
// (libpng's defaults) took over a third of a ten-beat batch for its forty
// 1600-pixel maps (perf: zlib + libpng); the maps are flat colour, so the
// files grow little. The page is painted white first, so every pixel is
// opaque: cairo's premultiplied ARGB32 (B, G, R, A bytes on little-endian)
// is plain BGRA.
void write_bgra_png(cairo_surface_t* surface, const std::string& path) {
  const unsigned char* data = cairo_image_surface_get_data(surface);
  if (!data) throw OutputError(path + ": cairo gave no pixels");
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = png_uint_32(cairo_image_surface_get_width(surface));
  image.height = png_uint_32(cairo_image_surface_get_height(surface));
  image.format = std::endian::native == std::endian::little ? PNG_FORMAT_BGRA : PNG_FORMAT_ARGB;
  image.flags = PNG_IMAGE_FLAG_FAST;
  if (!png_image_write_to_file(&image, path.c_str(), 0, data, cairo_image_surface_get_stride(surface), nullptr)) {
    const std::string why = image.message;
    png_image_free(&image);
    throw OutputError(path + ": cannot write the PNG: " + why);
  }
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
  write_bgra_png(surface.get(), path);
}

}  // namespace hotspot::report

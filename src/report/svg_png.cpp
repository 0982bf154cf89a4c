#include "report/svg_png.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <dlfcn.h>
#include <png.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <memory>

#include "hotspot/errors.h"

namespace hotspot::report {
namespace {

// librsvg, cairo and glib's functions, looked up in librsvg opened on the
// first map rendered (dlopen; its dependencies cairo and glib come with it,
// and dlsym searches them too). Why not linked: the 30 libraries they bring
// were loaded and relocated at every start, 30-50 ms of CPU on runs that
// draw no map (CMakeLists.txt, bench/RESULTS.md "perf-small6"). Loaded
// once; C++ initialises the static thread-safely, and a failed load throws
// and is tried again on the next call.
struct Rsvg {
  decltype(&g_object_unref) object_unref;
  decltype(&g_error_free) error_free;
  decltype(&rsvg_handle_new_from_data) new_from_data;
  decltype(&rsvg_handle_get_intrinsic_size_in_pixels) intrinsic_size;
  decltype(&rsvg_handle_render_document) render_document;
  decltype(&cairo_image_surface_create) surface_create;
  decltype(&cairo_image_surface_get_data) surface_data;
  decltype(&cairo_image_surface_get_width) surface_width;
  decltype(&cairo_image_surface_get_height) surface_height;
  decltype(&cairo_image_surface_get_stride) surface_stride;
  decltype(&cairo_surface_flush) surface_flush;
  decltype(&cairo_surface_destroy) surface_destroy;
  decltype(&cairo_create) create;
  decltype(&cairo_destroy) destroy;
  decltype(&cairo_set_source_rgb) set_source_rgb;
  decltype(&cairo_paint) paint;
};

template <typename F>
void bind(void* lib, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(lib, name));
  if (!f) throw OutputError(std::string("librsvg (" HOTSPOT_RSVG_SONAME ") has no ") + name);
}

Rsvg load_rsvg() {
  // Never closed: its functions are used until the process ends.
  void* lib = dlopen(HOTSPOT_RSVG_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    throw OutputError(std::string("cannot load " HOTSPOT_RSVG_SONAME " to draw map PNGs (Debian librsvg2-2): ") +
                      dlerror());
  Rsvg r{};
  bind(lib, "g_object_unref", r.object_unref);
  bind(lib, "g_error_free", r.error_free);
  bind(lib, "rsvg_handle_new_from_data", r.new_from_data);
  bind(lib, "rsvg_handle_get_intrinsic_size_in_pixels", r.intrinsic_size);
  bind(lib, "rsvg_handle_render_document", r.render_document);
  bind(lib, "cairo_image_surface_create", r.surface_create);
  bind(lib, "cairo_image_surface_get_data", r.surface_data);
  bind(lib, "cairo_image_surface_get_width", r.surface_width);
  bind(lib, "cairo_image_surface_get_height", r.surface_height);
  bind(lib, "cairo_image_surface_get_stride", r.surface_stride);
  bind(lib, "cairo_surface_flush", r.surface_flush);
  bind(lib, "cairo_surface_destroy", r.surface_destroy);
  bind(lib, "cairo_create", r.create);
  bind(lib, "cairo_destroy", r.destroy);
  bind(lib, "cairo_set_source_rgb", r.set_source_rgb);
  bind(lib, "cairo_paint", r.paint);
  return r;
}

const Rsvg& rsvg() {
  static const Rsvg r = load_rsvg();
  return r;
}

struct GObjectUnref {
  void operator()(gpointer p) const { rsvg().object_unref(p); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { rsvg().surface_destroy(s); }
};
struct ContextDestroy {
  void operator()(cairo_t* c) const { rsvg().destroy(c); }
};

// The rendered pixels written with libpng's simplified API, speed first
// (PNG_IMAGE_FLAG_FAST: no row filters, light zlib). cairo_surface_write_to_png
// (libpng's defaults) took over a third of a ten-beat batch for its forty
// 1600-pixel maps (perf: zlib + libpng); the maps are flat colour, so the
// files grow little. The page is painted white first, so every pixel is
// opaque: cairo's premultiplied ARGB32 (B, G, R, A bytes on little-endian)
// is plain BGRA.
void write_bgra_png(cairo_surface_t* surface, const std::string& path) {
  const Rsvg& r = rsvg();
  const unsigned char* data = r.surface_data(surface);
  if (!data) throw OutputError(path + ": cairo gave no pixels");
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = png_uint_32(r.surface_width(surface));
  image.height = png_uint_32(r.surface_height(surface));
  image.format = std::endian::native == std::endian::little ? PNG_FORMAT_BGRA : PNG_FORMAT_ARGB;
  image.flags = PNG_IMAGE_FLAG_FAST;
  if (!png_image_write_to_file(&image, path.c_str(), 0, data, r.surface_stride(surface), nullptr)) {
    const std::string why = image.message;
    png_image_free(&image);
    throw OutputError(path + ": cannot write the PNG: " + why);
  }
}

}  // namespace

void write_svg_png(const std::string& svg, int width_px, const std::string& path) {
  const Rsvg& r = rsvg();
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, GObjectUnref> handle(
      r.new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) {
    const std::string why = error ? error->message : "unknown error";
    if (error) r.error_free(error);
    throw OutputError(path + ": librsvg cannot read the map SVG: " + why);
  }
  gdouble w = 0, h = 0;
  if (!r.intrinsic_size(handle.get(), &w, &h) || !(w > 0) || !(h > 0))
    throw OutputError(path + ": the map SVG has no size in pixels");
  const int height_px = std::max(1, int(std::lround(double(width_px) * h / w)));
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(r.surface_create(CAIRO_FORMAT_ARGB32, width_px, height_px));
  std::unique_ptr<cairo_t, ContextDestroy> cr(r.create(surface.get()));
  r.set_source_rgb(cr.get(), 1, 1, 1);
  r.paint(cr.get());
  const RsvgRectangle viewport{0, 0, double(width_px), double(height_px)};
  if (!r.render_document(handle.get(), cr.get(), &viewport, &error)) {
    const std::string why = error ? error->message : "unknown error";
    if (error) r.error_free(error);
    throw OutputError(path + ": librsvg cannot render the map: " + why);
  }
  r.surface_flush(surface.get());
  write_bgra_png(surface.get(), path);
}

}  // namespace hotspot::report

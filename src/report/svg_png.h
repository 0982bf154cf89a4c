// An SVG rendered to PNG with librsvg + cairo (Debian librsvg2-dev) and written
// with libpng (libpng-dev): the
// briefing's maps as pictures for slides. A library, not a hand-written
// rasteriser: text, paths, CSS and the embedded heat-map image all render
// as a browser would draw them.
// Thread safety: librsvg handles are per call; safe from several threads.
#pragma once

#include <string>

namespace hotspot::report {

// Renders `svg` (a standalone document with width / height) to a PNG of
// width_px pixels wide, the height to scale, on a white background, and
// writes it to `path`. Throws OutputError naming the path and librsvg's or
// cairo's message.
void write_svg_png(const std::string& svg, int width_px, const std::string& path);

}  // namespace hotspot::report

#include "report/qgis_layouts.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "report/svg_map.h"  // html_escape: the same five entities XML needs

namespace hotspot::report {
namespace {

// QgsLayoutItemRegistry's item types (stable across QGIS 3.x).
constexpr int kPage = 65638, kMap = 65639, kPicture = 65640, kLabel = 65641, kLegend = 65642, kScaleBar = 65646;

// A4 landscape, millimetres. The map takes the left two thirds, the legend
// the right third; marking above and below, as on the briefing.
struct Rect {
  double x, y, w, h;
};
constexpr Rect kMarkTop{10, 3, 277, 7}, kTitle{10, 10, 277, 9}, kPeriod{10, 19, 277, 7}, kMapRect{10, 27, 200, 165},
    kLegendRect{215, 27, 72, 120}, kNorth{196, 29, 11, 16}, kScale{12, 180, 60, 10}, kAttribution{10, 193, 200, 10},
    kMarkBottom{215, 199, 72, 6};
constexpr double kPageW = 297, kPageH = 210;

std::string x(const std::string& s) { return html_escape(s); }

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Deterministic item ids (QGIS links legend, scale bar and north arrow to
// the map by these strings); `layout` keeps two layouts' items apart.
std::string uuid(int layout, int item) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "{0000%04d-0000-4000-8000-%012d}", layout, item);
  return buf;
}

// Qt's QFont::toString(): family, point size, pixel size, style hint,
// weight (50 normal, 75 bold), italic, underline, strike out, fixed pitch, raw mode.
std::string font(double points, bool bold) {
  return "DejaVu Sans," + num(points) + ",-1,5," + (bold ? "75" : "50") + ",0,0,0,0,0";
}

std::string colour_element(const char* name, int r, int g, int b) {
  return "<" + std::string(name) + " red=\"" + std::to_string(r) + "\" green=\"" + std::to_string(g) + "\" blue=\"" +
         std::to_string(b) + "\" alpha=\"255\"/>";
}

// The attributes every layout item has; `extra` adds the item's own.
std::string open_item(int type, const std::string& id, const std::string& uuid, const Rect& r, int z,
                      const std::string& extra, bool frame = false, bool background = false) {
  const std::string pos = num(r.x) + "," + num(r.y) + ",mm";
  return "      <LayoutItem type=\"" + std::to_string(type) + "\" id=\"" + x(id) + "\" uuid=\"" + uuid +
         "\" templateUuid=\"" + uuid + "\" position=\"" + pos + "\" positionOnPage=\"" + pos + "\" size=\"" +
         num(r.w) + "," + num(r.h) + ",mm\" referencePoint=\"0\" zValue=\"" + std::to_string(z) +
         "\" visibility=\"1\" positionLock=\"false\" frame=\"" + (frame ? "true" : "false") +
         "\" frameJoinStyle=\"miter\" outlineWidthM=\"0.3,mm\" background=\"" + (background ? "true" : "false") +
         "\" opacity=\"1\" itemRotation=\"0\" blendMode=\"0\" excludeFromExports=\"0\" groupUuid=\"\" " + extra +
         ">\n        " + colour_element("FrameColor", 0, 0, 0) + colour_element("BackgroundColor", 255, 255, 255) +
         "\n";
}

// Qt alignment flags: left 1, right 2, centre 4; top 32, vertical centre 128.
std::string label(int layout, int item, const std::string& id, const Rect& r, const std::string& text, double points,
                  bool bold, int halign, int red = 0) {
  return open_item(kLabel, id, uuid(layout, item), r, 5,
                   "labelText=\"" + x(text) + "\" htmlState=\"0\" marginX=\"0\" marginY=\"0\" halign=\"" +
                       std::to_string(halign) + "\" valign=\"128\"") +
         "        <LabelFont description=\"" + font(points, bold) + "\" style=\"\"/>\n        " +
         colour_element("FontColor", red, 0, 0) + "\n      </LayoutItem>\n";
}

std::string page() {
  return "      <PageCollection>\n" +
         open_item(kPage, "", "{00000000-0000-4000-8000-000000000000}", {0, 0, kPageW, kPageH}, 0, "", false, true) +
         "      </LayoutItem>\n        <GuideCollection visible=\"1\"/>\n      </PageCollection>\n";
}

std::string map_item(int layout, const LayoutInfo& info, bool atlas) {
  const Box e = fit_aspect(info.extent, kMapRect.w, kMapRect.h);
  return open_item(kMap, "map", uuid(layout, 1), kMapRect, 1,
                   "keepLayerSet=\"false\" followPreset=\"false\" followPresetName=\"\" drawCanvasItems=\"true\" "
                   "mapRotation=\"0\" mapFlags=\"0\" labelMargin=\"0,mm\" isTemporal=\"0\"",
                   true, true) +
         "        <Extent xmin=\"" + num(e.min_x) + "\" ymin=\"" + num(e.min_y) + "\" xmax=\"" + num(e.max_x) +
         "\" ymax=\"" + num(e.max_y) + "\"/>\n        <LayerSet/>\n        <AtlasMap atlasDriven=\"" +
         (atlas ? "1" : "0") + "\" margin=\"0.1\" scalingMode=\"2\"/>\n      </LayoutItem>\n";
}

std::string legend_item(int layout, const LayoutInfo& info) {
  std::ostringstream o;
  o << open_item(kLegend, "legend", uuid(layout, 2), kLegendRect, 2,
                 "title=\"Legend\" map_uuid=\"" + uuid(layout, 1) +
                     "\" resizeToContents=\"1\" columnCount=\"1\" symbolWidth=\"7\" symbolHeight=\"4\" "
                     "wrapChar=\"\" legendFilterByAtlas=\"0\" boxSpace=\"2\" columnSpace=\"2\" lineSpacing=\"1\" "
                     "fontColor=\"#000000\" rasterBorder=\"1\" rasterBorderWidth=\"0\" rasterBorderColor=\"0,0,0,255\"",
                 false, true)
    << "        <styles>\n";
  const struct {
    const char* name;
    double points;
    bool bold;
  } styles[] = {{"title", 11, true}, {"group", 9.5, true}, {"subgroup", 9, true}, {"symbol", 8, false},
                {"symbolLabel", 8, false}};
  for (const auto& s : styles)
    o << "          <style name=\"" << s.name << "\" marginTop=\"1.5\" marginBottom=\"1\" alignment=\"1\" indent=\"0\">"
      << "<styleFont description=\"" << font(s.points, s.bold) << "\" style=\"\"/></style>\n";
  o << "        </styles>\n        <layer-tree-group>\n";
  for (const ProjectLayer& l : info.legend)
    o << "          <layer-tree-layer id=\"" << x(l.id) << "\" name=\"" << x(l.name) << "\" source=\"" << x(l.source)
      << "\" providerKey=\"" << x(l.provider)
      << "\" checked=\"Qt::Checked\" expanded=\"1\" legend_exp=\"\" patch_size=\"-1,-1\" legend_split_behavior=\"0\"/>\n";
  o << "        </layer-tree-group>\n      </LayoutItem>\n";
  return o.str();
}

std::string north_arrow(int layout) {
  // A picture from QGIS's own SVG library (found by its relative name),
  // turned with the map's grid north.
  return open_item(kPicture, "north arrow", uuid(layout, 3), kNorth, 4,
                   "file=\"arrows/NorthArrow_02.svg\" mode=\"0\" resizeMode=\"0\" anchorPoint=\"0\" mapUuid=\"" +
                       uuid(layout, 1) +
                       "\" northMode=\"0\" northOffset=\"0\" pictureRotation=\"0\" svgFillColor=\"0,0,0,255\" "
                       "svgBorderColor=\"255,255,255,255\" svgBorderWidth=\"0.2\" pictureWidth=\"" +
                       num(kNorth.w) + "\" pictureHeight=\"" + num(kNorth.h) + "\"") +
         "      </LayoutItem>\n";
}

std::string scale_bar(int layout) {
  // Kilometres, two segments fitted between 30 and 60 mm.
  return open_item(kScaleBar, "scale bar", uuid(layout, 4), kScale, 3,
                   "style=\"Single Box\" mapUuid=\"" + uuid(layout, 1) +
                       "\" unitType=\"kilometers\" unitLabel=\"km\" numMapUnitsPerScaleBarUnit=\"1000\" "
                       "numSegments=\"2\" numSegmentsLeft=\"0\" numSubdivisions=\"1\" subdivisionsHeight=\"1.5\" "
                       "numUnitsPerSegment=\"1\" segmentSizeMode=\"1\" minBarWidth=\"30\" maxBarWidth=\"60\" "
                       "height=\"2.5\" labelBarSpace=\"2\" boxContentSpace=\"1.5\" alignment=\"0\" "
                       "labelVerticalPlacement=\"0\" labelHorizontalPlacement=\"0\" outlineWidth=\"0.3\" "
                       "lineJoinStyle=\"miter\" lineCapStyle=\"square\"",
                   false, true) +
         "      </LayoutItem>\n";
}

// One layout: `atlas` makes it the atlas over info.atlas.
std::string layout(int n, const std::string& name, const LayoutInfo& info, bool atlas) {
  const int red = info.marking == "PUBLIC" ? 0 : 170;
  std::string o = "    <Layout name=\"" + x(name) + "\" units=\"mm\" printResolution=\"300\" worldFileMap=\"\">\n" +
                  page() + label(n, 10, "marking", kMarkTop, info.marking, 12, true, 4, red) +
                  label(n, 11, "title", kTitle, atlas ? info.atlas_table + " [% @atlas_pagename %]" : info.title, 16, true, 1) +
                  label(n, 12, "period", kPeriod, info.period, 9.5, false, 1) + map_item(n, info, atlas) +
                  legend_item(n, info) + north_arrow(n) + scale_bar(n) +
                  label(n, 13, "attribution", kAttribution, attribution(info.year), 7, false, 1) +
                  label(n, 14, "marking bottom", kMarkBottom,
                        info.marking + (atlas ? " - page [% @atlas_featurenumber %] of [% @atlas_totalfeatures %]" : ""),
                        9, true, 2, red);
  if (atlas)
    o += "      <Atlas enabled=\"1\" coverageLayer=\"" + x(info.atlas.id) + "\" coverageLayerName=\"" +
         x(info.atlas.name) + "\" coverageLayerSource=\"" + x(info.atlas.source) + "\" coverageLayerProvider=\"" +
         x(info.atlas.provider) + "\" hideCoverage=\"0\" pageNameExpression=\"" + x(info.atlas_page_name) +
         "\" sortFeatures=\"0\" filterFeatures=\"0\" filenamePattern=\"" +
         x("'" + info.atlas_table + "_' || @atlas_featurenumber") + "\"/>\n";
  return o + "    </Layout>\n";
}

}  // namespace

std::string attribution(int year) {
  return "Contains OS data \u00A9 Crown copyright and database right" + (year > 0 ? " " + std::to_string(year) : "") +
         "; police.uk data under the Open Government Licence v3.0";
}

Box fit_aspect(const Box& box, double width, double height) {
  const double cx = (box.min_x + box.max_x) / 2, cy = (box.min_y + box.max_y) / 2;
  double w = std::max(box.max_x - box.min_x, 1.0), h = std::max(box.max_y - box.min_y, 1.0);
  if (w / h < width / height) w = h * width / height;
  else h = w * height / width;
  return {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
}

std::string layouts_xml(const LayoutInfo& info) {
  std::string o = "  <Layouts>\n" + layout(1, "A4 " + info.title, info, false);
  if (!info.atlas.id.empty()) o += layout(2, "A4 atlas: one page per " + info.atlas_table, info, true);
  return o + "  </Layouts>\n";
}

}  // namespace hotspot::report

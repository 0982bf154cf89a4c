#include "pipeline/surfaces.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include "geo/crs.h"
#include "geo/geos_util.h"
#include "geo/point_locator.h"
#include "hotspot/bandwidth.h"
#include "hotspot/fresh_buffer.h"
#include "hotspot/gistar.h"
#include "hotspot/gistar_band.h"
#include "hotspot/gistar_grid.h"
#include "hotspot/hotspot_areas.h"
#include "hotspot/kde.h"
#include "hotspot/names.h"
#include "io/format.h"
#include "pipeline/hotspot_rules.h"
#include "pipeline/selection.h"
#include "pipeline/spec_check.h"
#include "pipeline/surface_grid.h"
#include "stats/categories.h"
#include "stats/periods.h"

namespace hotspot::pipeline {
namespace {

std::string num(double v) { return io::format_number(v, std::chars_format::general, 10); }

// Which incidents a surface uses: its categories and period.
std::vector<bool> select(const SurfaceSpec& s, const RunSpec& spec, const IncidentTable& t) {
  const std::string where = "kde surface " + s.name + ": ";
  return incidents_selected(s.categories, s.period, spec, t, where, where);
}

// A grid of the same shape as g, every value `fill`.
Grid same_shape(const Grid& g, double fill) {
  Grid out{g.x0, g.y0, g.cell, g.nx, g.ny, {}};
  assign_fresh(out.values, g.size(), fill);
  return out;
}

// Gi* on the cell counts: the 3 x 3 cells (queen, computed on the grid
// directly, hotspot/gistar_grid.h), or every cell whose centre is within
// `band` metres (box sums, hotspot/gistar_band.h). Cells outside the study
// area are not units: s.counts holds NaN there, and neither version reads it.
void add_gistar(Surface& s, const std::vector<bool>& inside, bool fdr, bool queen, double band, int threads) {
  gistar::GiStar gi =
      queen ? gistar::grid_queen_gi_star(s.counts.nx, s.counts.ny, s.counts.values, inside, fdr, threads)
            : gistar::gi_star_grid_band(s.counts.values, s.counts.nx, s.counts.ny, inside, band, s.counts.cell, fdr,
                                        threads);
  // z is already NaN for every non-unit (outside the study area): moved, not copied.
  s.gi_z = Grid{s.counts.x0, s.counts.y0, s.counts.cell, s.counts.nx, s.counts.ny, std::move(gi.z)};
  s.gi_bin = same_shape(s.counts, NAN);
  for (size_t i = 0; i < s.counts.size(); ++i)
    if (inside[i]) s.gi_bin.values[i] = double(gi.bin[i]);
}

// Public surfaces: a cell whose kernel reaches k incidents or fewer would
// show where those few incidents are (the peak of an isolated bump is the
// incident's point), so its density is set to 0. Counted with the uniform
// kernel on the same support: the incidents within R of the cell centre.
void withhold_sparse_cells(const std::vector<kde::WeightedPoint>& pts, const kde::KdeOptions& o, int k, Surface& s) {
  std::vector<kde::WeightedPoint> ones = pts;
  for (auto& p : ones) p.w = 1;
  kde::KdeOptions count = o;
  count.kernel = kde::Kernel::kUniform;
  count.bandwidth = kde::KernelFunction(o.kernel, o.bandwidth, o.gaussian_cutoff).radius();
  count.units = kde::Units::kRaw;
  Grid within = s.density;
  kde::estimate(ones, count, within);
  int64_t withheld = 0;
  for (size_t i = 0; i < within.size(); ++i)
    if (within.values[i] > 0 && within.values[i] < k + 0.5 && s.density.values[i] != 0) {
      s.density.values[i] = 0;
      ++withheld;
    }
  s.parameters["public_withheld_cells"] = std::to_string(withheld) + " cells with " + std::to_string(k) +
                                          " or fewer incidents within the radius set to 0";
}

// Public surfaces, second step: every density is rounded down to a whole
// number of steps q = 2 (k + 1) x the peak of one incident's kernel (its
// value at distance 0, in the surface's units; x the largest weight). The
// exact densities would let someone who knows the kernel, the radius and
// the candidate points (police.uk's map points are public) solve for the
// number of incidents at each point, since every cell is a known linear sum
// of them; a step worth more than k incidents at one point leaves each cell
// an interval too wide to pin a small count (the reconstruction attack in
// tests/disclosure/heatmap_attack.py checks this on the demo).
void quantise_public_density(const std::vector<kde::WeightedPoint>& pts, const kde::KdeOptions& o, int k,
                             Surface& s) {
  const double peak = one_incident_peak(o, s.density.cell);
  double weight = 1;
  for (const auto& p : pts) weight = std::max(weight, p.w);
  // 2 (k + 1), not k + 1: with one step worth k + 1 incidents' peak, the
  // boundaries between levels across many small cells still outlined a few
  // small counts (13 of 161 on a town-centre beat, tests/disclosure/
  // heatmap_attack.py); with two, none (there and on a rural beat).
  const double step = 2 * (k + 1) * peak * weight;
  bool any = false;
  for (double& v : s.density.values)
    if (std::isfinite(v)) {
      v = std::floor(v / step) * step;
      any = any || v > 0;
    }
  if (!any)
    s.warnings.push_back("public: no cell of surface " + s.name + " reaches one density step (" + num(step) +
                         "), so its published heat map is blank; a longer period, more categories or a larger "
                         "radius would show more");
  s.parameters["public_density_step"] = num(step);
  s.parameters["public_density_rule"] = "densities rounded down to whole steps of " + num(step) + " (" +
                                        std::to_string(2 * (k + 1)) + " incidents' peak at one point)";
}

// Public mode: a hotspot area holding k or fewer incidents is not
// published at all (an outline around 0..k incidents places them; a
// high-density area with none in it is not a hotspot a reader can use).
// The others are ranked again 1, 2, ...
void drop_small_hotspots(Surface& s, int64_t k) {
  std::vector<HotspotArea> kept;
  for (HotspotArea& h : s.hotspots)
    if (h.incidents > k) kept.push_back(std::move(h));
  const size_t dropped = s.hotspots.size() - kept.size();
  for (size_t i = 0; i < kept.size(); ++i) kept[i].rank = int(i) + 1;
  s.hotspots = std::move(kept);
  if (dropped > 0)
    s.parameters["public_hotspots_left_out"] =
        std::to_string(dropped) + " hotspot areas with " + std::to_string(k) + " or fewer incidents";
}

Surface build_one(const SurfaceSpec& ss, const RunSpec& spec, const RunResult& r, Study& study, bool shapes) {
  const KdeSpec& k = spec.kde;
  const IncidentTable& t = r.incidents;
  Surface s;
  s.name = ss.name;
  const std::vector<bool> used = select(ss, spec, t);
  // Both lists sized once, on huge pages (fresh_buffer.h): grown by
  // doubling, their copies and page faults were ~1 s on one core before the
  // England job's KDE (6M points; bench/RESULTS.md, "England under 20 s").
  const size_t n_used = size_t(std::count(used.begin(), used.end(), true));
  std::vector<kde::WeightedPoint> pts;
  std::vector<Point> for_rule;
  reserve_fresh(pts, n_used);
  reserve_fresh(for_rule, n_used);
  for (size_t i = 0; i < t.size(); ++i)
    if (used[i]) pts.push_back({t.x[i], t.y[i], t.weight_at(i)});
  // Rules and the data extent see only incidents in the study area, or,
  // without one, incidents inside the first area layer.
  for (size_t i = 0; i < t.size(); ++i)
    if (used[i] && in_rule_area(study, r, i)) for_rule.push_back({t.x[i], t.y[i]});
  const kde::KdeOptions o = kde_options(k, spec.threads, for_rule);
  const double radius = kde::KernelFunction(o.kernel, o.bandwidth, o.gaussian_cutoff).radius();
  const GridChoice g = grid_choice(k, study, for_rule, radius, "kde surface " + ss.name, "no incidents to map", k.gistar);
  const Box& box = g.box;
  const double cell = g.cell;
  const bool explicit_extent = g.explicit_extent;
  const double cells = std::ceil((box.max_x - box.min_x) / cell) * std::ceil((box.max_y - box.min_y) / cell);
  if (cells > 1e7) s.warnings.push_back("surface " + ss.name + " has " + num(cells) + " cells (over 10^7)");
  if (radius < 2 * cell)
    s.warnings.push_back("surface " + ss.name + ": radius " + num(radius) + " m is under 2 cells (" + num(cell) + " m)");

  std::vector<Point>().swap(for_rule);  // used only for the bandwidth and the extent
  s.density = make_grid(box, cell, explicit_extent);
  const auto kde_start = std::chrono::steady_clock::now();
  kde::estimate(pts, o, s.density);
  s.kde_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - kde_start).count();
  if (spec.stats.public_mode) {
    withhold_sparse_cells(pts, o, spec.stats.suppress_below, s);
    quantise_public_density(pts, o, spec.stats.suppress_below, s);
  }
  const std::vector<bool>& inside = mask_of(s.density, study, spec.threads);
  // The cell counts are Gi*'s input and are written only beside it (the
  // _gistar.tif): without Gi* they are not made (a full grid of doubles,
  // 300 MB for England at 100 m, and its fill).
  if (k.gistar) {
    s.counts = same_shape(s.density, 0.0);
    for (const auto& p : pts) {
      const int c = s.counts.col_of(p.x), rr = s.counts.row_of(p.y);
      if (c >= 0 && rr >= 0) s.counts.at(c, rr) += p.w;
    }
  }
  // Not needed any more: freed before Gi* and the hotspot areas, the stage's
  // peak (24 bytes an incident; 144 MB for 6M).
  const size_t incidents = pts.size();
  std::vector<kde::WeightedPoint>().swap(pts);
  for (size_t i = 0; i < inside.size(); ++i)
    if (!inside[i]) {
      s.density.values[i] = NAN;
      if (k.gistar) s.counts.values[i] = NAN;
    }
  // Gi*'s neighbourhood by default spans the kernel radius: on 3 x 3 cells
  // of 25 m every police.uk map point is its own "hot spot" (issue 9).
  const double band_rule = gistar_band_by_rule(o.kernel, o.bandwidth, cell);
  const double band = k.gistar_distance > 0 ? k.gistar_distance : band_rule;
  if (k.gistar) {
    add_gistar(s, inside, k.fdr, k.gistar_queen, band, spec.threads);
    if (k.gistar_queen || band < band_rule * (1 - 1e-9))
      s.warnings.push_back("surface " + ss.name + ": the Gi* neighbourhood (" +
                           (k.gistar_queen ? "3 x 3 cells of " + num(cell) + " m" : "cells within " + num(band) + " m") +
                           ") is smaller than the rule's " + num(band_rule) +
                           " m (the kernel radius): hot cells will mark single map points rather than areas");
  }
  size_t study_cells = 0;
  for (bool in : inside) study_cells += in;

  double threshold = 0;
  std::vector<std::vector<uint32_t>> members;  // incidents inside each hotspot area
  if (k.hotspot_rule == kde::HotspotRule::kGistar) {
    // Cells whose Gi* bin is +2 or +3 (hot at 95% or 99%), keeping their density.
    if (!k.gistar) throw ConfigError("kde.hotspot_rule = \"gistar\" needs kde.gistar = true");
    Grid hot = s.density;
    for (size_t i = 0; i < hot.size(); ++i)
      if (!(s.gi_bin.values[i] >= 2)) hot.values[i] = 0;
    threshold = 1e-300;
    s.hotspots = kde::hotspot_areas(hot, threshold, t, used, &members, shapes);
  } else {
    threshold = k.hotspot_rule == kde::HotspotRule::kValue ? k.hotspot_threshold
                                          : kde::top_percent_threshold(s.density, k.hotspot_top_percent);
    s.hotspots = kde::hotspot_areas(s.density, threshold, t, used, &members, shapes);
  }
  apply_size_rule(s, members, k, study_cells);
  name_hotspots(s, members, r, place_layer(spec, r));

  if (spec.stats.public_mode) drop_small_hotspots(s, spec.stats.suppress_below);

  auto& p = s.parameters;
  p["surface"] = ss.name;
  std::string cats;
  for (const std::string& c : ss.categories) cats += (cats.empty() ? "" : ", ") + c;
  p["categories"] = cats.empty() ? "all" : cats;
  p["period"] = ss.period.empty() ? "all the data" : ss.period;
  p["incidents"] = std::to_string(incidents);
  p["weights"] = t.weight.empty() ? "none (each incident 1)" : "per-incident weight field";
  p["kernel"] = std::string(kde::to_string(o.kernel));
  p[o.kernel == kde::Kernel::kGaussian ? "sigma_m" : "radius_m"] = num(o.bandwidth);
  if (o.kernel == kde::Kernel::kGaussian) p["gaussian_cutoff_sigmas"] = num(o.gaussian_cutoff);
  p["bandwidth_from"] = k.bandwidth > 0 ? "given" : "rule " + std::string(kde::to_string(k.bandwidth_rule));
  p["cell_m"] = num(cell);
  p["cell_from"] = k.cell > 0 ? "given" : "rule " + std::string(kde::to_string(k.cell_rule));
  p["units"] = std::string(kde::to_string(o.units));
  p["mode"] = std::string(kde::to_string(o.mode));
  p["extent"] = explicit_extent ? "given: " + num(box.min_x) + " " + num(box.min_y) + " " + num(box.max_x) + " " +
                                      num(box.max_y)
                                : study.label;
  p["grid"] = std::to_string(s.density.nx) + " x " + std::to_string(s.density.ny);
  p["hotspot_threshold"] = num(threshold);
  p["hotspot_rule"] = k.hotspot_rule == kde::HotspotRule::kGistar ? "Gi* hot at 95% or more"
                     : k.hotspot_rule == kde::HotspotRule::kValue ? "density >= threshold"
                                                 : "top " + num(k.hotspot_top_percent) + "% of cells";
  p["gistar"] = !k.gistar ? "off"
                : (k.gistar_queen ? std::string("queen contiguity (3 x 3 cells) incl. self")
                                  : "cells within " + num(band) + " m incl. self") +
                      " on cell counts" + (k.fdr ? ", BH FDR" : "");
  if (k.gistar) {
    p["gistar_band_rule"] = num(band_rule) + " m: the kernel radius R" +
                            std::string(o.kernel == kde::Kernel::kGaussian ? " (sqrt(8) sigma)" : "") +
                            ", at least one cell's diagonal";
    p["gistar_neighbourhood"] = k.gistar_queen ? "given: queen (below the rule)"
                                : k.gistar_distance > 0 ? "given: " + num(band) + " m" +
                                                              (band < band_rule * (1 - 1e-9) ? " (below the rule)" : "")
                                                        : "by rule: " + num(band) + " m";
  }
  // Where a reader finds the formulas: the repository's own methods page.
  p["methods"] = std::string("docs/methods.md in the hotspot source: \"Kernel density heat maps\", ") +
                 "\"Getis-Ord Gi*\", \"Hotspot areas\"" +
                 (spec.stats.public_mode ? ", \"Disclosure control (public packs)\"" : "");
  return s;
}

}  // namespace

bool hotspot_shapes_shown(const RunSpec& spec) {
  const OutputSpec& o = spec.output;
  if (o.dir.empty() || spec.dry_run) return true;
  return o.geopackage || o.geojson || o.csv || o.briefing || !o.postgis.connection.empty();
}

std::vector<Surface> build_surfaces(const RunSpec& spec, const RunResult& r, bool hotspot_shapes) {
  std::vector<SurfaceSpec> specs = spec.kde.surfaces;
  // The default heat map covers the tables' current period (what the
  // meeting discusses), or all the data when there are no tables.
  if (specs.empty()) specs.push_back({"all", {}, spec.stats.enabled ? spec.stats.current : ""});
  Study study = study_area(spec.kde, r);
  std::vector<Surface> out;
  for (const SurfaceSpec& s : specs) out.push_back(build_one(s, spec, r, study, hotspot_shapes));
  return out;
}

}  // namespace hotspot::pipeline

// [near_repeat] end to end: Chicago's 2019 aggravated assaults (dated to the
// minute: Knox by day, cocooning zones, a weekly risk backtest) with every
// output file, and Leicestershire's police.uk burglaries at month resolution.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "common/specs.h"
#include "hotspot/pipeline.h"
#include "pipeline/near_repeat_run.h"
#include "temp_dir.h"
#include "test_paths.h"

namespace hotspot {
namespace {

namespace fs = std::filesystem;

const std::string kChicago = std::string(HOTSPOT_SHARED_DATA_DIR) + "/chicago/aggravated_assaults_2010_2019.csv.gz";

RunSpec chicago(const std::string& period) {
  RunSpec spec;
  IncidentSource s;
  s.format = IncidentFormat::kDelimited;
  s.paths = {kChicago};
  s.x_field = "longitude", s.y_field = "latitude", s.date_field = "date", s.category_field = "loc_cat";
  spec.incidents = {s};
  spec.stats.enabled = false;
  NearRepeatSpec n;
  n.name = "assaults";
  n.period = period;
  n.permutations = 99;
  spec.near_repeat = {n};
  return spec;
}

TEST(NearRepeat, Chicago2019AssaultsByDay) {
  if (!fs::exists(kChicago)) GTEST_SKIP() << "no shared Chicago data";
  const RunResult r = run_pipeline(chicago("range:2019-01..2019-12"));
  ASSERT_EQ(r.near_repeat.size(), 1u);
  const pipeline::NearRepeatRun& n = *r.near_repeat[0];
  EXPECT_EQ(n.unit, "day");
  // Independent count of the 2019 incidents.
  const IncidentTable& t = r.incidents;
  std::vector<size_t> in2019;
  for (size_t i = 0; i < t.size(); ++i)
    if (t.month[i] >= make_month(2019, 1) && t.month[i] <= make_month(2019, 12)) in2019.push_back(i);
  EXPECT_EQ(n.table.events, int64_t(in2019.size()));
  // Defaults for dated data: same location, 1-100, ..., 700-800 m, 800 m or more; 0-6 .. 49-55 days, 56 or more.
  ASSERT_EQ(n.table.rows, 10u);
  ASSERT_EQ(n.table.cols, 9u);
  EXPECT_EQ(n.distance_label[0], "same location (< 1 m)");
  EXPECT_EQ(n.distance_label[1], "1-100 m");
  EXPECT_EQ(n.distance_label[9], "800 m or more");
  EXPECT_EQ(n.time_label[0], "0-6 days");
  EXPECT_EQ(n.time_label[8], "56 days or more");
  int64_t total = 0;
  for (int64_t v : n.table.observed) total += v;
  EXPECT_EQ(total, n.table.all_pairs);  // every pair in some cell
  // Aggravated assaults repeat at the same place within a week (ratio about
  // 1.6), but the bands beyond it stay close to 1: no spread to neighbours.
  const size_t same = n.table.at(0, 0), near = n.table.at(1, 0);
  EXPECT_TRUE(n.table.flagged[same]) << "ratio " << n.table.ratio[same] << " p " << n.table.p[same];
  EXPECT_GT(n.table.ratio[same], 1.4);
  EXPECT_FALSE(n.table.flagged[near]) << "ratio " << n.table.ratio[near] << " p " << n.table.p[near];
  EXPECT_NEAR(n.table.ratio[near], 1.0, 0.1);
  EXPECT_NE(n.headline.find("Incidents at the same location (< 1 m) as an earlier one within 7 days were 1."),
            std::string::npos) << n.headline;
  EXPECT_NE(n.headline.find("no near-repeat spread to neighbours"), std::string::npos) << n.headline;
  // The open-ended row is all pairs 800 m or more apart: its ratios are ~1.
  for (size_t b = 0; b < n.table.cols; ++b) EXPECT_NEAR(n.table.ratio[n.table.at(9, b)], 1.0, 0.001);
  EXPECT_FALSE(n.readings.empty());
  EXPECT_EQ(n.parameters.at("seed"), "20240611");
  EXPECT_EQ(n.parameters.at("permutations"), "99");
  // Cocoons: one zone per incident; the share inside an earlier zone checked
  // by a plain scan in time order.
  ASSERT_TRUE(n.has_cocoons);
  EXPECT_EQ(n.cocoons.zones.size(), in2019.size());
  std::vector<size_t> by_time = in2019;
  std::sort(by_time.begin(), by_time.end(), [&](size_t a, size_t b) { return t.minute[a] < t.minute[b]; });
  int64_t inside = 0;
  for (size_t k = 0; k < by_time.size(); ++k) {
    const size_t j = by_time[k];
    for (size_t m = k; m-- > 0;) {
      const size_t i = by_time[m];
      if (t.minute[j] - t.minute[i] >= 14 * 1440) break;
      if (t.minute[i] < t.minute[j] && std::hypot(t.x[i] - t.x[j], t.y[i] - t.y[j]) <= 200) {
        ++inside;
        break;
      }
    }
  }
  EXPECT_EQ(n.cocoons.inside_earlier, inside);
  EXPECT_GT(n.cocoons.share(), 0.1);
  // Risk by week: 2019 has 53 week starts from 1 January; 8 weeks of lookback.
  ASSERT_TRUE(n.has_risk);
  EXPECT_EQ(n.parameters.at("risk_step"), "week");
  EXPECT_EQ(n.risk_step_label.front(), "2019-01-01");
  EXPECT_EQ(n.risk.backtest.size(), n.risk_step_label.size() - 8);
  for (const risk::StepScore& s : n.risk.backtest) {
    EXPECT_GE(s.hit, 0);
    EXPECT_LE(s.hit, 1);
    EXPECT_NEAR(s.pai, s.hit * double(n.risk.study_cells) / double(n.risk.top_cells), 1e-9);
  }
  // Against the study cells (every cell with an assault in 2019) the surface
  // beats chance (PAI 1) and both one-week baselines (measured: hit rate
  // 8.7% against 7.1% for the KDE and 5.4% for the counts).
  EXPECT_GT(n.risk.mean_pai, 1.5);
  EXPECT_GT(n.risk.mean_hit, n.risk.mean_hit_kde);
  EXPECT_GT(n.risk.mean_hit_kde, n.risk.mean_hit_counts);
}

TEST(NearRepeat, LeicestershireBurglaryByMonth) {
  RunSpec spec = testing::leicestershire_spec();
  spec.stats.enabled = false;
  NearRepeatSpec n;
  n.name = "burglary";
  n.categories = {"Burglary"};
  n.risk_lookback = 2;
  spec.near_repeat = {n};
  const RunResult r = run_pipeline(spec);
  const pipeline::NearRepeatRun& k = *r.near_repeat.at(0);
  EXPECT_EQ(k.unit, "month");  // auto: police.uk has months only
  ASSERT_EQ(k.table.rows, 5u);  // same map point, 1-200, 200-400, 400-800, 800 m or more
  ASSERT_EQ(k.table.cols, 4u);  // same month, 1, 2, 3 months or more
  EXPECT_EQ(k.distance_label[0], "same location (< 1 m)");
  EXPECT_EQ(k.time_label[0], "same month");
  EXPECT_EQ(k.time_label[1], "1 month");
  EXPECT_EQ(k.time_label[3], "3 months or more");
  int64_t burglaries = 0;
  for (size_t i = 0; i < r.incidents.size(); ++i) burglaries += r.incidents.categories[r.incidents.category[i]] == "Burglary";
  EXPECT_EQ(k.table.events, burglaries);
  EXPECT_GT(burglaries, 2000);
  ASSERT_EQ(k.notes.size(), 1u);
  EXPECT_NE(k.notes[0].find("cannot show the days-to-weeks"), std::string::npos);
  EXPECT_FALSE(k.has_cocoons);
  // Burglaries near each other fall in the same month more often than chance
  // (same map point: about 2x; 1-200 m: about 1.26x); 3+ months apart, less.
  EXPECT_TRUE(k.table.flagged[k.table.at(0, 0)]);
  EXPECT_TRUE(k.table.flagged[k.table.at(1, 0)]);
  EXPECT_NE(k.headline.find("Burglary incidents within 200 m of an earlier one in the same month were 1.5 times"),
            std::string::npos) << k.headline;
  ASSERT_TRUE(k.has_risk);
  EXPECT_EQ(k.parameters.at("risk_step"), "month");
  EXPECT_EQ(k.risk.backtest.size(), 3u);  // months 3-5 from the two before
  // Asking for days on monthly data is refused with the reason.
  spec.near_repeat[0].time_unit = "day";
  try {
    run_pipeline(spec);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no selected incident has a date to the day"), std::string::npos) << e.what();
  }
}

class NearRepeatOutputs : public testing::TempDirTest {};

// The spec writing to `dir`: GeoPackage, CSV, styles and project; no GeoJSON, no incidents layer.
RunSpec written_to(RunSpec spec, const fs::path& dir) {
  spec.output.dir = dir.string();
  spec.output.geojson = false;
  spec.output.incidents = false;
  spec.output.maps_dir = std::string(HOTSPOT_DATA_DIR) + "/../maps";
  return spec;
}

// June 2019 in Chicago: every output file, the temporal style, the briefing.
TEST_F(NearRepeatOutputs, TablesZonesRiskAndBriefingAreWritten) {
  if (!fs::exists(kChicago)) GTEST_SKIP() << "no shared Chicago data";
  RunSpec spec = written_to(chicago("range:2019-06..2019-06"), dir_ / "out");
  spec.near_repeat[0].cocoon_from_knox = true;
  spec.near_repeat[0].risk_lookback = 2;
  const RunResult r = run_pipeline(spec);
  const pipeline::NearRepeatRun& n = *r.near_repeat.at(0);
  const fs::path out = dir_ / "out";
  const std::string observed = slurp(out / "csv/knox_assaults_observed.csv");
  EXPECT_EQ(observed.substr(0, observed.find('\n')),
            "distance,0-6 days,7-13 days,14-20 days,21-27 days,28-34 days,35-41 days,42-48 days,49-55 days,56 days or more");
  EXPECT_EQ(std::count(observed.begin(), observed.end(), '\n'), 11);
  for (const char* f : {"csv/knox_assaults_expected.csv", "csv/knox_assaults_ratio.csv", "csv/knox_assaults_p.csv",
                        "csv/knox_assaults.csv", "csv/near_repeat_parameters.csv", "csv/cocoons_assaults_hits.csv",
                        "csv/risk_assaults_cells.csv", "csv/risk_assaults_backtest.csv", "risk/assaults.tif"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  const std::string params = slurp(out / "csv/near_repeat_parameters.csv");
  EXPECT_NE(params.find("assaults,seed,20240611"), std::string::npos);
  EXPECT_NE(params.find("assaults,cocoon_source,"), std::string::npos);
  // Hits: one row per (zone, later incident).
  size_t hits = 0;
  for (const auto& z : n.cocoons.zones) hits += z.later.size();
  const std::string hit_csv = slurp(out / "csv/cocoons_assaults_hits.csv");
  EXPECT_EQ(size_t(std::count(hit_csv.begin(), hit_csv.end(), '\n')), hits + 1);
  // The zones layer: date-time fields and the temporal default style.
  GDALAllRegister();
  GDALDatasetUniquePtr gpkg(GDALDataset::Open((out / "hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* zones = gpkg->GetLayerByName("cocoons_assaults");
  ASSERT_NE(zones, nullptr);
  EXPECT_EQ(zones->GetFeatureCount(), GIntBig(n.cocoons.zones.size()));
  const OGRFeatureDefn* defn = zones->GetLayerDefn();
  ASSERT_GE(defn->GetFieldIndex("start"), 0);
  EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("start"))->GetType(), OFTDateTime);
  EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("end"))->GetType(), OFTDateTime);
  {  // the zone's dates as written, and its source named without the machine's folders
    zones->ResetReading();
    OGRFeature* z = zones->GetNextFeature();
    ASSERT_NE(z, nullptr);
    const std::string src = z->GetFieldAsString("source");
    EXPECT_NE(src.front(), '/') << src;
    int y, m, d, h, mi, tz;
    float sec;
    ASSERT_TRUE(z->GetFieldAsDateTime(defn->GetFieldIndex("start"), &y, &m, &d, &h, &mi, &sec, &tz));
    EXPECT_EQ(y, 2019);
    EXPECT_EQ(m, 6);
    int y2, m2, d2, h2, mi2, tz2;
    float sec2;
    ASSERT_TRUE(z->GetFieldAsDateTime(defn->GetFieldIndex("end"), &y2, &m2, &d2, &h2, &mi2, &sec2, &tz2));
    EXPECT_EQ(h2 * 60 + mi2, h * 60 + mi);  // 14 days later, the same time of day
    OGRFeature::DestroyFeature(z);
  }
  OGRLayer* styles = gpkg->ExecuteSQL(
      "SELECT styleQML FROM layer_styles WHERE f_table_name = 'cocoons_assaults' AND useAsDefault = 1", nullptr, nullptr);
  ASSERT_NE(styles, nullptr);
  OGRFeature* f = styles->GetNextFeature();
  ASSERT_NE(f, nullptr);
  const std::string qml = f->GetFieldAsString(0);
  EXPECT_NE(qml.find("<temporal enabled=\"1\" mode=\"2\" startField=\"start\" endField=\"end\""), std::string::npos);
  OGRFeature::DestroyFeature(f);
  gpkg->ReleaseResultSet(styles);
  ASSERT_NE(gpkg->GetLayerByName("knox_assaults"), nullptr);
  EXPECT_EQ(gpkg->GetLayerByName("knox_assaults")->GetFeatureCount(), 90);
  // The briefing: the section, the reading and the flagged cells outlined.
  const std::string page = slurp(out / "briefing.html");
  EXPECT_NE(page.find("Near repeats (Knox test)</h2>"), std::string::npos);
  EXPECT_NE(page.find(n.headline.substr(0, 30)), std::string::npos);
  int64_t flagged = std::count(n.table.flagged.begin(), n.table.flagged.end(), true);
  size_t shown = 0;
  for (size_t at = 0; (at = page.find("class=\"n flagged\"", at)) != std::string::npos; ++at) ++shown;
  EXPECT_EQ(int64_t(shown), flagged);
  EXPECT_NE(page.find("Cocooning zones"), std::string::npos);
  EXPECT_NE(page.find("Baseline: KDE of the previous week"), std::string::npos);
}


// The risk surface in the GeoPackage (issue 11): the raster table equals the
// grid, cell for cell, beside the vector layers (appended after them, not
// clobbered by them); the top X% cells as a styled polygon layer; both in
// the project's "Near repeats" group; a QGIS sidecar beside risk/<name>.tif.
TEST_F(NearRepeatOutputs, RiskSurfaceAndTopCellsAreInTheGeoPackage) {
  if (!fs::exists(kChicago)) GTEST_SKIP() << "no shared Chicago data";
  RunSpec spec = written_to(chicago("range:2019-06..2019-07"), dir_ / "out");
  spec.near_repeat[0].risk_lookback = 4;
  const RunResult r = run_pipeline(spec);
  const pipeline::NearRepeatRun& n = *r.near_repeat.at(0);
  ASSERT_TRUE(n.has_risk);
  const fs::path out = dir_ / "out";
  GDALAllRegister();
  const std::string raster_name = "GPKG:" + (out / "hotspot.gpkg").string() + ":risk_assaults";
  GDALDatasetUniquePtr raster(GDALDataset::Open(raster_name.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(raster) << raster_name;
  const Grid& g = n.risk.grid;
  ASSERT_EQ(raster->GetRasterXSize(), g.nx);
  ASSERT_EQ(raster->GetRasterYSize(), g.ny);
  double t[6];
  ASSERT_EQ(raster->GetGeoTransform(t), CE_None);
  EXPECT_NEAR(t[0], g.x0, 1e-6);
  EXPECT_NEAR(t[3], g.y_top(), 1e-6);
  EXPECT_NEAR(t[1], g.cell, 1e-9);
  EXPECT_NEAR(t[5], -g.cell, 1e-9);
  GDALRasterBand* band = raster->GetRasterBand(1);
  EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
  std::vector<float> values(g.values.size());
  ASSERT_EQ(band->RasterIO(GF_Read, 0, 0, g.nx, g.ny, values.data(), g.nx, g.ny, GDT_Float32, 0, 0), CE_None);
  size_t differ = 0, positive = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    differ += values[i] != static_cast<float>(g.values[i]);
    positive += g.values[i] > 0;
  }
  EXPECT_EQ(differ, 0u);
  EXPECT_GT(positive, 100u);
  raster.reset();
  // The vector layers are all still there, with the top cells.
  GDALDatasetUniquePtr gpkg(GDALDataset::Open((out / "hotspot.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  for (const char* layer : {"cocoons_assaults", "knox_assaults", "risk_assaults_backtest", "near_repeat_parameters"})
    EXPECT_NE(gpkg->GetLayerByName(layer), nullptr) << layer;
  OGRLayer* top = gpkg->GetLayerByName("risk_assaults_top");
  ASSERT_NE(top, nullptr);
  ASSERT_EQ(top->GetFeatureCount(), GIntBig(n.risk.top_cells));
  double best = 0, shares = 0, last_cumulative = 0;
  for (double v : g.values) best = std::max(best, v);
  int64_t expected_rank = 1;
  top->ResetReading();
  for (OGRFeatureUniquePtr f(top->GetNextFeature()); f; f.reset(top->GetNextFeature()), ++expected_rank) {
    EXPECT_EQ(f->GetFieldAsInteger64("rank"), expected_rank);
    const int c = f->GetFieldAsInteger("col"), row = f->GetFieldAsInteger("row");
    EXPECT_EQ(n.risk.rank[size_t(row) * size_t(g.nx) + size_t(c)], expected_rank);
    EXPECT_NEAR(f->GetFieldAsDouble("risk"), g.at(c, row), 1e-6 * best);
    if (expected_rank == 1) {
      EXPECT_NEAR(f->GetFieldAsDouble("risk"), best, 1e-6 * best);
    }
    shares += f->GetFieldAsDouble("share");
    last_cumulative = f->GetFieldAsDouble("cumulative_share");
    OGREnvelope e;
    f->GetGeometryRef()->getEnvelope(&e);
    EXPECT_NEAR(e.MinX, g.x0 + c * g.cell, 1e-6);
    EXPECT_NEAR(e.MaxY, g.y_top() - row * g.cell, 1e-6);
    EXPECT_NEAR(e.MaxX - e.MinX, g.cell, 1e-6);
  }
  EXPECT_NEAR(shares, last_cumulative, 1e-6);
  EXPECT_GT(last_cumulative, 0.05);  // the top 5% of cells hold more than 5% of the risk
  EXPECT_LE(last_cumulative, 1.0 + 1e-9);
  OGRLayer* styles = gpkg->ExecuteSQL(
      "SELECT styleName FROM layer_styles WHERE f_table_name = 'risk_assaults_top' AND useAsDefault = 1", nullptr,
      nullptr);
  ASSERT_NE(styles, nullptr);
  EXPECT_EQ(styles->GetFeatureCount(), 1);
  gpkg->ReleaseResultSet(styles);
  // The project: a "Near repeats" group with the three layers, the raster
  // styled as the heat maps are; the GeoTIFF's sidecar.
  const std::string project = slurp(out / "project.qgs");
  EXPECT_NE(project.find("name=\"Near repeats\""), std::string::npos);
  EXPECT_NE(project.find("<datasource>GPKG:./hotspot.gpkg:risk_assaults</datasource>"), std::string::npos);
  EXPECT_NE(project.find("<datasource>./hotspot.gpkg|layername=risk_assaults_top</datasource>"), std::string::npos);
  EXPECT_NE(project.find("<datasource>./hotspot.gpkg|layername=cocoons_assaults</datasource>"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "risk/assaults.qml"));
}

}  // namespace
}  // namespace hotspot

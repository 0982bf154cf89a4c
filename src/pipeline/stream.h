// Aggregate mode (issue 13, "Scale"): a run that writes no incidents layer
// keeps no whole per-incident table. Each input file's rows are transformed,
// joined and reduced as the file settles (in file order), so a national
// decade (60M rows) fits: the Crime IDs (64 characters a row) and recorded
// area codes are dropped once the join has compared them, keeping only the
// ids of the rows that disagree with their recorded code (the
// recorded_disagreements table names them). What stays per row is what the
// counts, statistics, heat maps and analyses read: x, y, month, minute,
// category, location, source file and row.
//
// Every output is the same as the whole-table run's: the same join per
// point (one PointLocator per layer), the same transforms (PROJ, point by
// point), and the ledger's rejects and warnings in the same order (the
// transform rejects and the area readers' warnings are held back and added
// where the whole-table run adds them). HOTSPOT_WHOLE_TABLE=1 in the
// environment turns the mode off, to compare the two.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "geo/crs.h"
#include "geo/point_locator.h"
#include "hotspot/pipeline.h"
#include "hotspot/run_spec.h"
#include "io/incident_batch.h"

namespace hotspot::pipeline {

// Whether the run writes its incidents as a layer: asked for
// (output.incidents), not public, and a writer of layers is on (GeoPackage,
// GeoJSON or PostGIS; the CSVs hold no incidents table). The one test
// used by the writers, aggregate_mode and the memory check.
bool incidents_layer_written(const RunSpec& spec);

// True for a real run (not a dry run) that writes no incidents layer
// (incidents_layer_written) and HOTSPOT_WHOLE_TABLE unset.
bool aggregate_mode(const RunSpec& spec);

// Drops the rows whose transformed coordinates are NaN, rejecting them into
// `ledger` (and taking them off ledger.accepted).
void reject_untransformable(io::IncidentBatch& b, Ledger& ledger);

// Transforms, joins and reduces each file's batch as it settles.
// Not thread-safe: the reader calls take() from one thread, in file order.
class IncidentStream {
 public:
  // Reads the area layers in the working CRS into the given ledger.
  using AreaReader = std::function<std::vector<AreaLayer>(const std::string& working_crs, Ledger& ledger)>;

  IncidentStream(const RunSpec& spec, RunResult& result, AreaReader read_areas);
  ~IncidentStream();

  // One file's accepted rows (coordinates in b.crs). The first batch with
  // rows chooses the working CRS and reads the areas into result.layers;
  // every batch with rows is then transformed, joined and reduced in place.
  void take(io::IncidentBatch& b);
  // Whether a batch with rows came: the working CRS and areas are known.
  bool started() const { return started_; }

  // After every file was read: the held-back transform rejects go into
  // `ledger`, as the whole-table run adds them once reading is done.
  void finish_reading(Ledger& ledger);
  // Where the whole-table run reads the areas: their warnings.
  void add_area_warnings(Ledger& ledger);
  double area_seconds() const { return area_seconds_; }

  // Layer l's join over every row, as join_layer on the whole table makes it.
  Assignment take_assignment(size_t l) { return std::move(assignments_[l]); }
  LayerLedger take_entry(size_t l);

 private:
  void start(const io::IncidentBatch& b);
  void transform(io::IncidentBatch& b);
  void join(IncidentTable& t);
  static void keep_disagreeing_ids(IncidentTable& t, const std::vector<bool>& disagrees);

  const RunSpec& spec_;
  RunResult& result_;
  AreaReader read_areas_;
  bool started_ = false;
  double area_seconds_ = 0;
  Ledger held_;        // transform rejects, in order
  Ledger area_ledger_;  // the area readers' warnings
  std::vector<std::unique_ptr<geo::PointLocator>> locators_;  // one per layer
  std::vector<Assignment> assignments_;                       // one per layer
  std::vector<LayerLedger> entries_;                          // one per layer
  std::vector<int64_t> rows_without_recorded_;                // per layer: rows of files lacking its column
  std::vector<std::string> recorded_seen_;                    // recorded-code layers any file had
  std::map<std::string, geo::TransformPtr> transforms_;  // by source CRS
  int64_t rows_ = 0;                                          // rows taken so far (all files)
};

}  // namespace hotspot::pipeline

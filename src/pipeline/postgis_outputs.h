// A run's outputs into PostGIS ([output] postgis, --postgis): every table
// and layer of the GeoPackage, a runs table and the QGIS styles; atomic
// (io/postgis_writer.h).
#pragma once

#include <string>
#include <vector>

#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

// Before any work: throws ConfigError when the PostGIS output cannot be
// written as configured (connection string form, schema or table names).
void check_postgis_output(const RunSpec& spec);

// The run id: spec.output.postgis.run_id, else the latest month of the data.
std::string postgis_run_id(const RunSpec& spec, const RunResult& result);

// Writes the run; `files` are the run's file outputs (rasters among them are
// referenced from runs). Returns what to print ("PostGIS <redacted
// connection> schema hotspot, run 2019-02: 14 tables"). Throws OutputError.
std::string write_postgis_outputs(const RunSpec& spec, const RunResult& result, const std::vector<std::string>& files);

}  // namespace hotspot::pipeline

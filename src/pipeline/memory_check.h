// Refusing a run too big for the machine before reading it (issue 13: a
// decade of national police.uk is 60M rows; a run that would run out of
// memory after minutes of reading should say so at once, with the number).
#pragma once

#include <cstdint>
#include <string>

#include "hotspot/run_spec.h"

namespace hotspot::pipeline {

struct MemoryEstimate {
  int64_t input_bytes = 0;   // incident text (a .gz counted uncompressed, from its trailer)
  int64_t area_bytes = 0;    // the area layers' files
  int64_t rows = 0;          // estimated rows, from the mean line length of the first file
  int64_t bytes = 0;         // estimated peak memory of the run
  bool incident_layer = false;  // bytes include the incidents layer (written whole, one row per incident)
  bool aggregate = false;       // aggregate mode (pipeline/stream.h): no whole per-incident table
  int64_t without_incident_layer = 0;  // the estimate of the same run in aggregate mode
};

// The peak memory a run would need, from its incident files' sizes alone
// (no row is read). OGR sources count by file size only. A rough figure:
// per row the incident table, the duplicate-id set and the join; the
// writers' working memory is not in it.
MemoryEstimate estimate_memory(const RunSpec& spec);

// Memory the run may use: spec.max_memory_gb when given, else the
// system's available memory (MemAvailable); 0 when unknown.
int64_t memory_limit(const RunSpec& spec);

// Throws InputError when estimate_memory exceeds memory_limit, saying how
// much the run would need and how to get past it.
void check_memory(const RunSpec& spec);

}  // namespace hotspot::pipeline

// Rules that make a surface's hotspot areas something to discuss at a table
// (issue 9): a minimum size (specks and empty areas are dropped, and
// counted), a flag on areas too large to point anywhere, a name for each
// ("On or near Market Street, Loughborough Southfields"), and the Gi*
// neighbourhood suited to the kernel radius.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotspot/pipeline.h"

namespace hotspot::pipeline {

// Drops the hotspot areas of s with fewer than k.hotspot_min_incidents
// incidents or fewer than k.hotspot_min_cells cells, ranks the rest again
// 1, 2, ... (members kept in step) and records in s.parameters how many were
// found and dropped, and the rule. An area over k.hotspot_max_share of the
// `study_cells` cells is flagged (large, study_share) with a warning.
void apply_size_rule(Surface& s, std::vector<std::vector<uint32_t>>& members, const KdeSpec& k, size_t study_cells);

// The layer whose areas name hotspots: spec.report.hotspot_place_layer, else
// a layer another is dissolved from (wards under beats), else the study
// layer, else the last layer; -1 without layers.
int place_layer(const RunSpec& spec, const RunResult& r);

// Names each hotspot from its members: the commonest location text (ties:
// the first in byte order) and the label (else code) of the area of layer
// `place` holding most of them; either part is left out when missing.
// Without members: "no incidents inside".
void name_hotspots(Surface& s, const std::vector<std::vector<uint32_t>>& members, const RunResult& r, int place);

// The Gi* distance band of the rule: the kernel radius R (for the Gaussian
// kernel, sqrt(8) sigma: the quartic radius of the same spread), and at
// least the diagonal of one cell (so it holds the 3 x 3 block).
double gistar_band_by_rule(kde::Kernel kernel, double bandwidth, double cell);

}  // namespace hotspot::pipeline

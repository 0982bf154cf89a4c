// Counting incidents per area x category x month.
#pragma once

#include "hotspot/areas.h"
#include "hotspot/counts.h"
#include "hotspot/incidents.h"

namespace hotspot::stats {

// Counts the matched incidents of one layer. Months span the incidents'
// first to last month (months with no incident are kept, as zeros).
AreaCounts count_by_area(const IncidentTable& incidents, const AreaLayer& layer, const Assignment& assignment);

}  // namespace hotspot::stats

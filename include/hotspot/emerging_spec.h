// EmergingSpec: one space-time cube of the [[change.cubes]] config section
// (or the older [[emerging]]; docs/config.md): emerging hot spots, and trends per area.
#pragma once

#include <string>
#include <vector>

namespace hotspot {

struct EmergingSpec {
  std::string section = "emerging";    // where the config gave it ("change.cubes" or the older
                                       // "emerging"), to name it in messages
  std::string name;                    // output name: layer emerging_<name>, tables emerging_<name>_*
  std::string layer;                   // area layer of the locations; "" = grid cells
  double cell = 0;                     // grid cells: side in metres; 0 = kde.cell_rule on the data extent
  std::vector<std::string> categories; // category or roll-up names ([] = all)
  std::string step = "month";          // "month" (police.uk), "week" or "day" (dated data; weeks from
                                       // the first day of the data)
  int time_steps = 1;                  // K: previous steps in the neighbourhood (0..)
  std::string window = "cube";         // Gi* global window: "cube", "neighbourhood" or "step"
  double distance = 0;                 // neighbours: 0 = queen contiguity (areas) / 3x3 cells (grid);
                                       // else centroids / cell centres within this many metres
  bool fdr = false;                    // Benjamini-Hochberg over every bin
  double alpha = 0.05;                 // a step is hot / cold when its Gi* p <= alpha
  double trend_alpha = 0.05;           // Mann-Kendall trend significant when p <= trend_alpha
  bool continuity = true;              // Mann-Kendall continuity correction (stated in the outputs)
  double share = 0.9;                  // Esri's "90% of the steps"
  double recent_share = 0.2;           // simple classes: the recent steps, floor(recent_share T)
  double persistent_share = 0.8;       // simple classes: persistent when significant this often
  double intermittent_share = 0.1;     // simple classes: emerging / former / intermittent threshold
};

}  // namespace hotspot

// StagedOutput: an output folder written under a temporary name and put in
// place only when complete, so an existing output is replaced only by a
// complete one and a failed or killed run leaves the previous one intact.
//
// hotspot replaces only folders it created: each output holds a marker file
// (kMarker); a folder without one is replaced only when it is empty. The
// swap is one atomic rename (renameat2 RENAME_EXCHANGE), a lock beside the
// folder keeps two runs from writing it at once, and what a killed run
// left beside the folder is removed by the next run.
#pragma once

#include <string>
#include <vector>

namespace hotspot::io {

// The file that marks a folder as hotspot's own output.
inline constexpr const char* kOutputMarker = ".hotspot-output";

// Throws ConfigError unless `dir` may be (re)written: it must not exist, or
// be an empty folder, or a folder holding kOutputMarker; it must not be "/",
// the home folder, the working directory or one of its parents, a file or a
// symbolic link, a PostGIS or GDAL virtual path, nor hold any of `inputs`.
void check_output_target(const std::string& dir, const std::vector<std::string>& inputs);

class StagedOutput {
 public:
  // check_output_target(dir, inputs); takes the folder's lock (throws
  // OutputError when another run holds it); removes staging folders of dead
  // runs; creates "<dir>.partial-<pid>" holding the marker.
  StagedOutput(std::string dir, const std::vector<std::string>& inputs);
  // Removes the staging folder unless commit() succeeded. Never throws.
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  // Path of `relative` inside the staging folder (parent folders created).
  // Every component of `relative` must be one safe component (safe_name.h).
  std::string path(const std::string& relative) const;
  // Swaps the staging folder into place in one step, then removes the
  // previous output. Throws OutputError on failure (nothing is replaced).
  void commit();
  const std::string& final_dir() const { return dir_; }

 private:
  std::string dir_, staging_;
  int lock_fd_ = -1;
  bool committed_ = false;
};

// Fault injection for the kill tests: when the environment variable
// HOTSPOT_CRASH_AT is N, the N-th call in this process kills it (SIGKILL).
// StagedOutput calls it before each file and at each step of the commit.
void crash_point();

}  // namespace hotspot::io

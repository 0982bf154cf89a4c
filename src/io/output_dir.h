// StagedOutput: an output folder written under a temporary name and put in
// place only when complete, so an existing output is replaced only by a
// complete one and a failed run leaves nothing half-written.
#pragma once

#include <string>
#include <vector>

namespace hotspot::io {

class StagedOutput {
 public:
  // Creates "<dir>.partial-<pid>" (removing a stale one). Throws OutputError
  // if it cannot, or if any of `inputs` lies inside `dir` (replacing the
  // folder would delete an input).
  StagedOutput(std::string dir, const std::vector<std::string>& inputs);
  // Removes the staging folder unless commit() succeeded. Never throws.
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  // Path of `relative` inside the staging folder (parent folders created).
  std::string path(const std::string& relative) const;
  // Swaps the staging folder into place. Throws OutputError on failure.
  void commit();
  const std::string& final_dir() const { return dir_; }

 private:
  std::string dir_, staging_;
  bool committed_ = false;
};

}  // namespace hotspot::io

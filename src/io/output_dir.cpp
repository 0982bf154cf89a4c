#include "io/output_dir.h"

#include <unistd.h>

#include <filesystem>

#include "hotspot/errors.h"

namespace hotspot::io {
namespace fs = std::filesystem;

namespace {

bool is_inside(const fs::path& child, const fs::path& parent) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(child, ec), p = fs::weakly_canonical(parent, ec);
  auto [pe, ce] = std::mismatch(p.begin(), p.end(), c.begin(), c.end());
  return pe == p.end();
}

}  // namespace

StagedOutput::StagedOutput(std::string dir, const std::vector<std::string>& inputs) : dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  for (const std::string& in : inputs)
    if (is_inside(in, dir_))
      throw OutputError("output folder " + dir_ + " contains the input " + in + "; choose another folder");
  staging_ = dir_ + ".partial-" + std::to_string(getpid());
  std::error_code ec;
  fs::remove_all(staging_, ec);
  if (!fs::create_directories(staging_, ec) || ec)
    throw OutputError(staging_ + ": cannot create output folder: " + ec.message());
}

StagedOutput::~StagedOutput() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

std::string StagedOutput::path(const std::string& relative) const {
  fs::path p = fs::path(staging_) / relative;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) throw OutputError(p.parent_path().string() + ": cannot create folder: " + ec.message());
  return p.string();
}

void StagedOutput::commit() {
  std::error_code ec;
  const std::string old = dir_ + ".old-" + std::to_string(getpid());
  const bool had_old = fs::exists(dir_, ec);
  if (had_old) {
    fs::rename(dir_, old, ec);
    if (ec) throw OutputError(dir_ + ": cannot move the previous output aside: " + ec.message());
  }
  fs::rename(staging_, dir_, ec);
  if (ec) {
    std::error_code ignored;
    if (had_old) fs::rename(old, dir_, ignored);
    throw OutputError(dir_ + ": cannot put the new output in place: " + ec.message());
  }
  committed_ = true;
  if (had_old) fs::remove_all(old, ec);
}

}  // namespace hotspot::io

#include "io/output_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "hotspot/errors.h"
#include "io/safe_name.h"

namespace hotspot::io {
namespace fs = std::filesystem;

namespace {

bool is_inside(const fs::path& child, const fs::path& parent) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(child, ec), p = fs::weakly_canonical(parent, ec);
  auto [pe, ce] = std::mismatch(p.begin(), p.end(), c.begin(), c.end());
  return pe == p.end();
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

bool has_marker(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kOutputMarker, ec);
}

bool is_empty_folder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec) && !ec;
}

void write_marker(const fs::path& dir) {
  std::ofstream out(dir / kOutputMarker, std::ios::binary);
  out << "This folder was written by hotspot. hotspot replaces a folder only when it holds this file.\n";
  out.close();
  if (!out) throw OutputError((dir / kOutputMarker).string() + ": cannot write");
}

// A left-over "<name>.partial-<pid>" or "<name>.old-<pid>" of this output:
// returns the pid, or 0 when `entry` is no such name.
long leftover_pid(const std::string& entry, const std::string& name) {
  for (const char* kind : {".partial-", ".old-"}) {
    const std::string prefix = name + kind;
    if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) continue;
    char* end = nullptr;
    const long pid = std::strtol(entry.c_str() + prefix.size(), &end, 10);
    if (*end == '\0' && pid > 0) return pid;
  }
  return 0;
}

bool process_alive(long pid) { return kill(pid_t(pid), 0) == 0 || errno == EPERM; }

// Under the lock no live run writes this output, so staging and backup
// folders beside it are a dead run's. A backup is put back when the output
// itself is missing (a run killed between the two renames of the fallback
// commit); the rest are removed, when they are ours (marked, empty, or
// named with the pid of a process that no longer exists).
void recover_leftovers(const fs::path& dir) {
  const fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  const std::string name = dir.filename().string();
  std::error_code ec;
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const long pid = leftover_pid(e.path().filename().string(), name);
    if (pid == 0 || pid == long(getpid()) || !e.is_directory(ec)) continue;
    if (has_marker(e.path()) || is_empty_folder(e.path()) || !process_alive(pid)) found.push_back(e.path());
  }
  for (const fs::path& p : found) {
    const bool backup = p.filename().string().find(".old-") != std::string::npos;
    if (backup && !fs::exists(dir, ec) && has_marker(p)) {
      fs::rename(p, dir, ec);
      if (!ec) continue;
    }
    fs::remove_all(p, ec);
  }
}

}  // namespace

void check_output_target(const std::string& dir_text, const std::vector<std::string>& inputs) {
  if (dir_text.empty()) throw ConfigError("output folder: empty path");
  if (dir_text.rfind("PG:", 0) == 0 || dir_text.rfind("pg:", 0) == 0 || dir_text.rfind("/vsi", 0) == 0 ||
      dir_text.find("://") != std::string::npos)
    throw ConfigError("output folder '" + dir_text +
                      "' is a database or virtual path; hotspot writes outputs to a folder (PostGIS output is not "
                      "supported yet)");
  const fs::path dir(dir_text);
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (abs == abs.root_path())
    throw ConfigError("output folder '" + dir_text + "' is the root folder; give a new folder for the outputs");
  if (const char* home = std::getenv("HOME"); home && *home && same_folder(abs, home))
    throw ConfigError("output folder '" + dir_text + "' is your home folder; give a new folder for the outputs");
  if (is_inside(fs::current_path(ec), abs))
    throw ConfigError("output folder '" + dir_text +
                      "' holds the current working folder; give a new folder for the outputs");
  const fs::file_status link = fs::symlink_status(dir, ec);
  if (fs::is_symlink(link))
    throw ConfigError("output folder '" + dir_text + "' is a symbolic link; give the folder itself");
  if (fs::exists(link) && !fs::is_directory(link))
    throw ConfigError("output folder '" + dir_text + "' is an existing file, not a folder; give a new folder");
  if (fs::is_directory(link) && !has_marker(dir) && !is_empty_folder(dir))
    throw ConfigError("output folder '" + dir_text +
                      "' exists, is not empty and was not written by hotspot (it has no " + kOutputMarker +
                      " file); hotspot replaces only folders it created. Give a new folder, or empty this one");
  for (const std::string& in : inputs)
    if (is_inside(in, dir))
      throw ConfigError("output folder " + dir_text + " contains the input " + in + "; choose another folder");
}

void crash_point() {
  static const long at = [] {
    const char* v = std::getenv("HOTSPOT_CRASH_AT");
    return v ? std::strtol(v, nullptr, 10) : 0L;
  }();
  static std::atomic<long> calls{0};
  if (at > 0 && ++calls == at) raise(SIGKILL);
}

StagedOutput::StagedOutput(std::string dir, const std::vector<std::string>& inputs) : dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  check_output_target(dir_, inputs);  // before anything is created beside it
  const fs::path d(dir_);
  const fs::path parent = d.parent_path().empty() ? fs::path(".") : d.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw OutputError(parent.string() + ": cannot create folder: " + ec.message());
  // The lock is a file beside the folder, never removed: removing a lock
  // file lets a third run lock a new file while a second still holds the old.
  const std::string lock = (parent / ("." + d.filename().string() + ".hotspot-lock")).string();
  lock_fd_ = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw OutputError(lock + ": cannot create the lock file: " + std::strerror(errno));
  if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    close(lock_fd_);
    lock_fd_ = -1;
    throw OutputError(dir_ + ": another hotspot run is writing this folder; wait for it to finish or give another");
  }
  recover_leftovers(d);
  check_output_target(dir_, inputs);  // again: a backup may have been put back
  staging_ = dir_ + ".partial-" + std::to_string(getpid());
  fs::remove_all(staging_, ec);
  if (!fs::create_directories(staging_, ec) || ec)
    throw OutputError(staging_ + ": cannot create output folder: " + ec.message());
  write_marker(staging_);
}

StagedOutput::~StagedOutput() {
  std::error_code ec;
  if (!committed_ && !staging_.empty()) fs::remove_all(staging_, ec);
  if (lock_fd_ >= 0) close(lock_fd_);  // releases the lock
}

std::string StagedOutput::path(const std::string& relative) const {
  for (const fs::path& part : fs::path(relative))
    if (!is_safe_component(part.string()))
      throw OutputError("internal error: output name '" + relative + "' is not a safe path");
  crash_point();
  fs::path p = fs::path(staging_) / relative;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) throw OutputError(p.parent_path().string() + ": cannot create folder: " + ec.message());
  return p.string();
}

void StagedOutput::commit() {
  std::error_code ec;
  crash_point();
  // Nobody may have put foreign files there since the check (we hold the lock
  // against other runs, not against people).
  const fs::file_status st = fs::symlink_status(dir_, ec);
  if (fs::exists(st) && (!fs::is_directory(st) || (!has_marker(dir_) && !is_empty_folder(dir_))))
    throw OutputError(dir_ + ": changed during the run and is no longer a hotspot output; nothing was replaced");
  if (!fs::exists(st)) {
    if (std::rename(staging_.c_str(), dir_.c_str()) != 0)
      throw OutputError(dir_ + ": cannot put the new output in place: " + std::strerror(errno));
    committed_ = true;
    return;
  }
  // One atomic step: the new output takes the folder's name and the previous
  // output takes the staging name, from where it is removed. A kill at any
  // point leaves one complete output under the folder's name.
  if (renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) == 0) {
    committed_ = true;
    crash_point();
    fs::remove_all(staging_, ec);
    return;
  }
  if (errno != EINVAL && errno != ENOSYS)
    throw OutputError(dir_ + ": cannot put the new output in place: " + std::strerror(errno));
  // File systems without RENAME_EXCHANGE: two renames. A kill between them
  // leaves the previous output as "<dir>.old-<pid>", put back by the next run.
  const std::string old = dir_ + ".old-" + std::to_string(getpid());
  if (std::rename(dir_.c_str(), old.c_str()) != 0)
    throw OutputError(dir_ + ": cannot move the previous output aside: " + std::strerror(errno));
  crash_point();
  if (std::rename(staging_.c_str(), dir_.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::rename(old.c_str(), dir_.c_str());
    throw OutputError(dir_ + ": cannot put the new output in place: " + why);
  }
  committed_ = true;
  fs::remove_all(old, ec);
}

}  // namespace hotspot::io

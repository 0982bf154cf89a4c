// A one-line progress bar on a terminal; silent when stderr is not one.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>

namespace hotspot::cli {

class Progress {
 public:
  Progress(int total, bool enabled) : total_(total), enabled_(enabled && isatty(STDERR_FILENO)) {}
  // Thread-safe.
  void step(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    if (!enabled_) return;
    const int width = 30, filled = total_ ? width * done_ / total_ : width;
    std::fprintf(stderr, "\r[%s%s] %d/%d %-30.30s", std::string(size_t(filled), '#').c_str(),
                 std::string(size_t(width - filled), '.').c_str(), done_, total_, what.c_str());
    if (done_ == total_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  int total_, done_ = 0;
  bool enabled_;
  std::mutex mutex_;
};

}  // namespace hotspot::cli

// Catches the errors GDAL reports while a file is being read.
//
// GDAL does not fail a read call when decompression or a driver breaks part
// way: VSIFReadL just returns fewer bytes (a cut .csv.gz ends "cleanly" with
// VSIFEofL true) and OGR's feature loop just ends. The only sign is a
// CPLError, which by default is printed to stderr and forgotten. A trap
// scoped to the read records those errors so the reader can fail loudly
// instead of passing half a file off as the whole of it.
#pragma once

#include <string>

#include <cpl_error.h>

namespace hotspot::io {

class GdalErrorTrap {
 public:
  // Installs the trap for the calling thread (CPL handlers are per thread).
  GdalErrorTrap() { CPLPushErrorHandlerEx(&GdalErrorTrap::handle, this); }
  ~GdalErrorTrap() { CPLPopErrorHandler(); }
  GdalErrorTrap(const GdalErrorTrap&) = delete;
  GdalErrorTrap& operator=(const GdalErrorTrap&) = delete;

  // True when GDAL reported a failure (CE_Failure or CE_Fatal) since the trap was set.
  bool failed() const { return failures_ > 0; }
  // The first failure's message ("" when none).
  const std::string& first_failure() const { return first_; }

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum number, const char* message) {
    auto* self = static_cast<GdalErrorTrap*>(CPLGetErrorHandlerUserData());
    if (level >= CE_Failure) {
      if (self->failures_++ == 0) self->first_ = message ? message : "";
      return;
    }
    // Warnings and debug output keep going where they went before.
    CPLDefaultErrorHandler(level, number, message);
  }

  int failures_ = 0;
  std::string first_;
};

}  // namespace hotspot::io

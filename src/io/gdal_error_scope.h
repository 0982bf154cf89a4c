// GdalErrorScope: every GDAL/CPL failure raised on this thread while it
// lives, not only the last one. GDAL reports many write failures (a full
// disk in libtiff, SQLite or a driver's flush) through CPLError without a
// failing return value; CPLGetLastErrorType() after the fact misses any that
// a later call reset. Warnings go on to GDAL's default handler.
#pragma once

#include <cpl_error.h>

#include <string>

namespace hotspot::io {

class GdalErrorScope {
 public:
  GdalErrorScope();
  ~GdalErrorScope();
  GdalErrorScope(const GdalErrorScope&) = delete;
  GdalErrorScope& operator=(const GdalErrorScope&) = delete;

  bool failed() const { return failures_ > 0; }
  // The first failure's message ("" when none).
  const std::string& first_failure() const { return first_; }

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum number, const char* message);
  int failures_ = 0;
  std::string first_;
};

}  // namespace hotspot::io

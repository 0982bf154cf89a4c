// GdalErrorScope: every GDAL/CPL failure raised on this thread while it
// lives, not only the last one, for reads and writes alike.
//
// GDAL reports many failures through CPLError without a failing return
// value: a full disk in libtiff, SQLite or a driver's flush; a cut .csv.gz
// (VSIFReadL just returns fewer bytes and VSIFEofL says true) or a broken
// driver part way through OGR's feature loop, which just ends. By default
// the message goes to stderr and is forgotten, and CPLGetLastErrorType()
// after the fact misses any that a later call reset. A scope around the
// read or write records them so the caller can fail loudly instead of
// passing half a file off as the whole of it. Warnings go on to GDAL's
// default handler.
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

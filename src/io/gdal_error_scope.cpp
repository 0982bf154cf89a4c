#include "io/gdal_error_scope.h"

namespace hotspot::io {

GdalErrorScope::GdalErrorScope() { CPLPushErrorHandlerEx(&GdalErrorScope::handle, this); }

GdalErrorScope::~GdalErrorScope() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrorScope::handle(CPLErr level, CPLErrorNum number, const char* message) {
  auto* self = static_cast<GdalErrorScope*>(CPLGetErrorHandlerUserData());
  if (level < CE_Failure || !self) {
    CPLDefaultErrorHandler(level, number, message);
    return;
  }
  if (self->failures_++ == 0) self->first_ = message ? message : "unknown GDAL error";
}

}  // namespace hotspot::io

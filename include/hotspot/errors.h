// The errors that end a run. Each kind maps to one exit code in the CLI
// (`hotspot run --help`): ConfigError 2, InputError 3, OutputError 4.
// Kept apart from pipeline.h so readers and writers need not include the
// whole pipeline API to throw one.
#pragma once

#include <stdexcept>

namespace hotspot {

// A file, row or field of the input is unusable; the message names them.
struct InputError : std::runtime_error { using std::runtime_error::runtime_error; };
// The configuration (file or flags) asks for something impossible or unsafe.
struct ConfigError : std::runtime_error { using std::runtime_error::runtime_error; };
// An output could not be written completely; nothing was put in place.
struct OutputError : std::runtime_error { using std::runtime_error::runtime_error; };

}  // namespace hotspot

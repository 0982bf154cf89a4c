// hotspot: command-line entry. Parses the subcommand and maps errors to
// exit codes (see `hotspot run --help`).
#include <iostream>

#include <CLI/CLI.hpp>

#include "hotspot/pipeline.h"
#include "batch_command.h"
#include "huge_pages.h"
#include "run_command.h"

int main(int argc, char** argv) {
  hotspot::cli::remember_argv(argv);
  CLI::App app{"hotspot " HOTSPOT_VERSION ": crime and ASB incidents joined to beats, wards and LSOAs, counted, mapped."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hotspot " HOTSPOT_VERSION);
  auto run = hotspot::cli::add_run_command(app);
  auto batch = hotspot::cli::add_batch_command(app);
  auto validate = hotspot::cli::add_validate_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (app.got_subcommand("batch")) return batch();
    if (app.got_subcommand("validate")) return validate();
    return run();
  } catch (const hotspot::ConfigError& e) {
    std::cerr << "hotspot: configuration error: " << e.what() << "\n";
    return 2;
  } catch (const hotspot::InputError& e) {
    std::cerr << "hotspot: input error: " << e.what() << "\n";
    return 3;
  } catch (const hotspot::OutputError& e) {
    std::cerr << "hotspot: output error: " << e.what() << "\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "hotspot: error: " << e.what() << "\n";
    return 1;
  }
}

// The nkappa command line. The one place that catches errors and chooses exit codes:
// 0 success, 2 bad input (file:line: element 'id': problem), 1 runtime failure.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <exception>

#include "cli/commands.hpp"
#include "engine/error.hpp"
#include "nkappa/version.hpp"

int main(int argc, char** argv) {
  using namespace nkappa;
  CLI::App app{
      "nkappa: stochastic simulation of signalling pathways (SBML), NF-kB/NEMO comparisons"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version and git revision");
  cli::Action action;
  cli::add_simulate_command(app, action);
  cli::add_methods_command(app, action);
  cli::add_sbml_test_case_command(app, action);
  cli::add_compare_command(app, action);
  cli::add_inspect_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  if (show_version) {
    fmt::print("nkappa {} (git {})\n", kVersion, kGitRevision);
    return 0;
  }
  if (!action) {
    fmt::print("{}", app.help());
    return 2;
  }
  try {
    return action();
  } catch (const InputError& e) {
    fmt::print(stderr, "nkappa: error: {}\n", e.what());
    return 2;
  } catch (const RuntimeError& e) {
    fmt::print(stderr, "nkappa: failed: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "nkappa: failed: {}\n", e.what());
    return 1;
  }
}

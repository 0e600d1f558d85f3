#pragma once
// Each command registers its CLI11 subcommand and, when chosen, sets the action that main()
// runs after parsing (so that usage errors and run errors stay apart).
#include <functional>

namespace CLI {
class App;
}

namespace nkappa {
struct UnitOptions;
}

namespace nkappa::cli {

using Action = std::function<int()>;

void add_simulate_command(CLI::App& root, Action& action);
void add_methods_command(CLI::App& root, Action& action);
void add_sbml_test_case_command(CLI::App& root, Action& action);
void add_compare_command(CLI::App& root, Action& action);
void add_inspect_command(CLI::App& root, Action& action);

// --propensity, --volume-litres, --substance-unit (cli/unit_options.cpp); sets the default
// reading to PropensityReading::Auto.
void add_unit_options(CLI::App& cmd, UnitOptions& options);

}  // namespace nkappa::cli

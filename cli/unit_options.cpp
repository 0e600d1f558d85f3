// The options that say how a model's units become molecules for a stochastic run
// (sbml/units.hpp), shared by `simulate` and `inspect`.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "sbml/units.hpp"

namespace nkappa::cli {

void add_unit_options(CLI::App& cmd, UnitOptions& options) {
  options.propensity = PropensityReading::Auto;
  static const std::map<std::string, PropensityReading> kReadings = {
      {"auto", PropensityReading::Auto},
      {"as-written", PropensityReading::AsWritten},
      {"mass-action", PropensityReading::MassAction}};
  cmd.add_option(
         "--propensity", options.propensity,
         "stochastic runs: how a rate law becomes a propensity. as-written: the law's value "
         "in the model's units; mass-action: species in molecules, mass-action laws as "
         "combinatorial propensities (x(x-1) for a species needed twice), other laws "
         "u*f(x/u); auto (default): mass-action when the file's substance unit is a "
         "multiple of mole, as-written otherwise")
      ->transform(CLI::CheckedTransformer(kReadings, CLI::ignore_case))
      ->default_str("auto");
  cmd.add_option("--volume-litres", options.volume_litres,
                 "stochastic runs: litres per unit of compartment size, for a file whose "
                 "compartments carry no cell volume (e.g. BioModels' size 1 litre): a compartment "
                 "of size s holds s*V litres, concentrations as written")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--substance-unit", options.substance_unit,
                 "stochastic runs: the substance unit of a file that declares none")
      ->check(CLI::IsMember({"item", "mole", "mmol", "umol", "nmol", "pmol"}));
}

}  // namespace nkappa::cli

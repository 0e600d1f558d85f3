#pragma once
// How an SBML model's quantities become molecule counts and its rate laws propensities for a
// stochastic run, and the record of what was done (printed by `nkappa inspect`, summarised in
// run.json). The ODE path reads the model as written (SBML's own units); only stochastic runs
// ask for a conversion.
#include <optional>
#include <string>
#include <vector>

namespace nkappa {

enum class PropensityReading {
  // The law evaluated in the model's units is the propensity (the SBML Test Suite's stochastic
  // convention). Nothing is converted or added.
  AsWritten,
  // Species in molecules; a mass-action law k * prod(x_i^m_i) becomes
  // k * u^(1-n) * prod(x_i (x_i - 1) ... (x_i - m_i + 1)), any other law u * f(x / u), with
  // u = molecules per model amount unit (N_A * mole scale [* volume override]).
  MassAction,
  // MassAction when the file declares a mole-based substance unit (mole, mmol, µmol, ...);
  // AsWritten when it declares item or dimensionless, or declares nothing (SBML Level 2's
  // built-in default "mole" is not taken as a declaration: files that never define it are
  // usually unit-free, such as the suite's cases). The CLI default.
  Auto,
};

struct UnitOptions {
  PropensityReading propensity = PropensityReading::AsWritten;
  // The volume, in litres, of one unit of compartment size: for files whose compartments have
  // a nominal size (BioModels' "1 litre") and no cell volume. Replaces the volume unit's scale.
  std::optional<double> volume_litres;
  // The substance unit when the file declares none: item, mole, mmol, umol, nmol, pmol.
  std::optional<std::string> substance_unit;
};

// The conversion report: each number is in the units its field names.
struct ConversionReport {
  std::string reading;           // "as written" or "mass action in molecules"
  std::string why;               // why this reading was chosen (auto) or that the user chose it
  std::string substance_unit;    // as declared, e.g. "mole * 1e-06 (from unit 'substance')"
  double molecules_per_amount;   // u; 1 when as written
  std::string volume_unit;       // e.g. "litre"
  double litres_per_size_unit;   // NaN when not a volume or not known
  std::string time_unit;         // e.g. "second * 60 (from unit 'time')"
  double seconds_per_time_unit;  // NaN when undeclared (SBML's default is the second)

  struct Compartment {
    std::string id;
    double size = 0.0;  // model units
    int spatial_dimensions = 3;
    double litres = 0.0;  // NaN unless a 3-D compartment of known volume unit
  };
  struct Species {
    std::string id;
    std::string compartment;
    bool concentration = false;  // hasOnlySubstanceUnits = false
    double initial_model = 0.0;  // the initial amount in the model's amount unit (NaN: assigned)
    double initial_count = 0.0;  // molecules, as used (NaN: set by an initial assignment)
    std::string note;            // rounding, assignment, ...
  };
  struct Reaction {
    std::string id;
    std::string source;          // the SBML reaction (differs from id for a split net law)
    std::string law;             // the law as read, species as amounts in model units
    std::string classification;  // "mass action of order n" or "general"
    std::string propensity;      // the law used, species in molecules, per model time unit
    std::string factor;          // the factor applied and why
  };
  std::vector<Compartment> compartments;
  std::vector<Species> species;
  std::vector<Reaction> reactions;
  std::vector<std::string> notes;  // events, rules and anything else rewritten
};

}  // namespace nkappa

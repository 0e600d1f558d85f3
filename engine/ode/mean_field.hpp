#pragma once
// The mean-field ODE of a network: dx/dt = sum over reactions r of net_change(r) * a_r(x), where
// a_r is the reaction's propensity (engine/network/propensity.hpp) evaluated on real-valued
// amounts. No factor is added or dropped: a law k x (x - 1) gives the ODE term k x (x - 1).
// Plain arrays only, so that it can be tested without an integrator.
#include <cstdint>
#include <vector>

#include "engine/network/reaction_network.hpp"

namespace nkappa {

// Where the right-hand side stopped being a finite number.
struct DerivativeFailure {
  std::int32_t species = -1;   // first species whose derivative is not finite
  std::int32_t reaction = -1;  // first reaction changing it whose propensity is not finite, or -1
  double derivative = 0.0;
  double propensity = 0.0;
  bool failed() const { return species >= 0; }
};

class MeanFieldSystem {
 public:
  // `difference_floor`: the smallest amount scale of a difference-quotient increment (the
  // increment for species j is sqrt(machine epsilon) * max(|x_j|, difference_floor)).
  MeanFieldSystem(const ReactionNetwork& net, double difference_floor);

  std::int32_t dimension() const { return net_.species_count(); }

  // Writes dx/dt for every species (fixed species: 0).
  DerivativeFailure derivative(double time, const double* amounts, const double* parameters,
                               double* rate_of_change) const;

  // The Jacobian d(dx_i/dt)/dx_j, column-major (jacobian[j * n + i]), overwritten entirely.
  // Mass-action laws: exact partial derivatives of k * prod falling factorials. Other laws: a
  // forward difference quotient of that reaction's propensity alone, one per species the law
  // reads, using `scratch` (n values). False when a quotient is not finite.
  bool jacobian(double time, const double* amounts, const double* parameters, double* jacobian,
                double* scratch) const;

  // Reactions whose Jacobian column entries come from difference quotients.
  std::int32_t difference_quotient_reactions() const;

 private:
  const ReactionNetwork& net_;
  double difference_floor_;
  // Program-law reactions -> the changing species their law reads (the columns to perturb).
  Csr<std::int32_t> program_reads_;
};

}  // namespace nkappa

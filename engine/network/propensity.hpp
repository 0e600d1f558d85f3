#pragma once
// Evaluating one reaction's propensity from the state. The mass-action shapes are inlined
// (the event loop's hot path); everything else runs the reaction's RateProgram.
#include <cstdint>

#include "engine/network/reaction_network.hpp"

namespace nkappa {

inline double falling_factorial(double x, std::int32_t n) {
  double value = 1.0;
  for (std::int32_t j = 0; j < n; ++j) value *= x - j;
  return value;
}

// d/dx of x (x - 1) ... (x - n + 1): the sum over j of the product without factor j (for the
// Jacobians of the mean-field ODE and of the implicit tau leap).
inline double falling_factorial_derivative(double x, std::int32_t n) {
  double sum = 0.0;
  for (std::int32_t skipped = 0; skipped < n; ++skipped) {
    double product = 1.0;
    for (std::int32_t j = 0; j < n; ++j)
      if (j != skipped) product *= x - j;
    sum += product;
  }
  return sum;
}

// The two shapes of nearly every reaction of a signalling network: for the switch below and for
// PropensityTable::recompute_all, which evaluates each shape in a loop of its own.
inline double first_order_propensity(const PropensityTerm& term, const double* counts) {
  return term.k * counts[term.species[0]];
}
inline double second_order_propensity(const PropensityTerm& term, const double* counts) {
  return term.k * counts[term.species[0]] * counts[term.species[1]];
}

// Reaction r's propensity from its term (the event loop keeps a pointer to the terms).
inline double propensity(const ReactionNetwork& net, const PropensityTerm& term, std::int32_t r,
                         const double* counts, const double* parameters, double time) {
  const double k = term.k;
  const auto& s = term.species;
  switch (term.shape) {
    case MassActionShape::Order0:
      return k;
    case MassActionShape::X:
      return first_order_propensity(term, counts);
    case MassActionShape::XY:
      return second_order_propensity(term, counts);
    case MassActionShape::XX:
      return k * counts[s[0]] * (counts[s[0]] - 1.0);
    case MassActionShape::XYZ:
      return k * counts[s[0]] * counts[s[1]] * counts[s[2]];
    case MassActionShape::XXY:
      return k * counts[s[0]] * (counts[s[0]] - 1.0) * counts[s[1]];
    case MassActionShape::XXX:
      return k * counts[s[0]] * (counts[s[0]] - 1.0) * (counts[s[0]] - 2.0);
    case MassActionShape::General: {
      double value = k;
      for (std::int32_t i = net.law_factors.offsets[r]; i < net.law_factors.offsets[r + 1]; ++i)
        value *= falling_factorial(counts[net.law_factors.index[i]], net.law_factors.value[i]);
      return value;
    }
    case MassActionShape::Program:
      return net.programs.evaluate(term.program, counts, parameters, time);
  }
  return 0.0;
}

inline double propensity(const ReactionNetwork& net, std::int32_t r, const double* counts,
                         const double* parameters, double time) {
  return propensity(net, net.propensity_terms[static_cast<std::size_t>(r)], r, counts, parameters,
                    time);
}

}  // namespace nkappa

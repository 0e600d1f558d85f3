#include "engine/ode/mean_field.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "engine/network/propensity.hpp"

namespace nkappa {

MeanFieldSystem::MeanFieldSystem(const ReactionNetwork& net, double difference_floor)
    : net_(net), difference_floor_(difference_floor) {
  std::vector<std::tuple<std::int32_t, std::int32_t, std::int32_t>> entries;
  const auto& readers = net.species_readers;
  for (std::int32_t s = 0; s < readers.rows(); ++s) {
    if (net.species_fixed[s]) continue;  // constant between events: its column never matters
    for (const std::int32_t r : readers.row_index(s))
      if (net.rate_kind[r] == RateKind::Program) entries.emplace_back(r, s, 0);
  }
  program_reads_ = csr_from_entries<std::int32_t>(net.reaction_count(), std::move(entries));
}

std::int32_t MeanFieldSystem::difference_quotient_reactions() const {
  return static_cast<std::int32_t>(
      std::count(net_.rate_kind.begin(), net_.rate_kind.end(), RateKind::Program));
}

DerivativeFailure MeanFieldSystem::derivative(double time, const double* amounts,
                                              const double* parameters,
                                              double* rate_of_change) const {
  const std::int32_t n = dimension();
  std::fill(rate_of_change, rate_of_change + n, 0.0);
  const auto& change = net_.net_change;
  for (std::int32_t r = 0; r < net_.reaction_count(); ++r) {
    const double a = propensity(net_, r, amounts, parameters, time);
    for (std::int32_t i = change.offsets[r]; i < change.offsets[r + 1]; ++i)
      rate_of_change[change.index[i]] += change.value[i] * a;
  }
  DerivativeFailure failure;
  for (std::int32_t s = 0; s < n; ++s) {
    if (std::isfinite(rate_of_change[s])) continue;
    failure.species = s;
    failure.derivative = rate_of_change[s];
    break;
  }
  if (!failure.failed()) return failure;
  // Name the law: the first reaction changing that species whose propensity is not finite.
  for (std::int32_t r = 0; r < net_.reaction_count() && failure.reaction < 0; ++r) {
    const auto species = change.row_index(r);
    if (std::find(species.begin(), species.end(), failure.species) == species.end()) continue;
    const double a = propensity(net_, r, amounts, parameters, time);
    if (!std::isfinite(a)) {
      failure.reaction = r;
      failure.propensity = a;
    }
  }
  return failure;
}

bool MeanFieldSystem::jacobian(double time, const double* amounts, const double* parameters,
                               double* jacobian, double* scratch) const {
  const std::int32_t n = dimension();
  const auto size = static_cast<std::size_t>(n);
  std::fill(jacobian, jacobian + size * size, 0.0);
  const auto& change = net_.net_change;
  // Adds d a_r / d x_j to column j of every species r changes.
  auto add_partial = [&](std::int32_t r, std::int32_t column, double partial) {
    double* entries = jacobian + static_cast<std::size_t>(column) * size;
    for (std::int32_t i = change.offsets[r]; i < change.offsets[r + 1]; ++i)
      entries[change.index[i]] += change.value[i] * partial;
  };
  std::copy(amounts, amounts + n, scratch);
  const double root_epsilon = std::sqrt(std::numeric_limits<double>::epsilon());
  bool finite = true;
  for (std::int32_t r = 0; r < net_.reaction_count(); ++r) {
    if (change.row_size(r) == 0) continue;
    if (net_.rate_kind[r] == RateKind::MassAction) {
      // k * prod_s f_{m_s}(x_s): the partial in x_j replaces f_{m_j} by its derivative.
      const auto species = net_.law_factors.row_index(r);
      const auto multiplicity = net_.law_factors.row_value(r);
      const double k = net_.propensity_terms[static_cast<std::size_t>(r)].k;
      for (std::size_t j = 0; j < species.size(); ++j) {
        double partial = k * falling_factorial_derivative(amounts[species[j]], multiplicity[j]);
        for (std::size_t other = 0; other < species.size(); ++other)
          if (other != j)
            partial *= falling_factorial(amounts[species[other]], multiplicity[other]);
        add_partial(r, species[j], partial);
      }
      continue;
    }
    const auto reads = program_reads_.row_index(r);
    if (reads.empty()) continue;
    const double base = propensity(net_, r, amounts, parameters, time);
    for (const std::int32_t s : reads) {
      const double x = amounts[s];
      // Rounded so that the increment is exactly the difference of two doubles.
      const double shifted = x + root_epsilon * std::max(std::fabs(x), difference_floor_);
      const double increment = shifted - x;
      scratch[s] = shifted;
      const double partial = (propensity(net_, r, scratch, parameters, time) - base) / increment;
      scratch[s] = x;
      if (!std::isfinite(partial)) finite = false;
      add_partial(r, s, partial);
    }
  }
  return finite;
}

}  // namespace nkappa

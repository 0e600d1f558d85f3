#pragma once
// Cell-to-cell (extrinsic) variation: per-trajectory totals of species groups drawn before the
// run, as single-cell NF-kB dynamics are explained (Tay et al. 2010, Nature 466:267: lognormal
// TNF receptor and NF-kB totals).
#include <functional>

#include "engine/network/reaction_network.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"
#include "scenario/scenario.hpp"

namespace nkappa {

using TrajectoryInitializer = std::function<void(State&, Rng&)>;

// Draws, for each group, total M = round(mean exp(-s^2/2 + s z)) with s^2 = ln(1 + cv^2) (so
// that E[M] = mean and CV = cv), redrawing when M > truncate_at x mean, then scales every member
// by M / initial total (rounded) and puts the rounding remainder into `remainder_to`. The draws
// come first from the trajectory's own stream, so cell i has the same totals in every variant
// (common random numbers for the paired comparison).
TrajectoryInitializer make_extrinsic_initializer(const Scenario& scenario,
                                                 const ReactionNetwork& net);

}  // namespace nkappa

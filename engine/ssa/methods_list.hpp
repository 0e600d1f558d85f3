#pragma once
// One factory per method file; engine/run/methods.cpp lists them.
#include "engine/run/method.hpp"

namespace nkappa {

MethodInfo direct_method();
MethodInfo sorting_direct_method();
MethodInfo next_reaction_method();
MethodInfo composition_rejection_method();
MethodInfo rssa_method();
MethodInfo rssa_cr_method();
MethodInfo partial_propensity_direct_method();
MethodInfo adaptive_tau_method();           // engine/tau/adaptive_tau.cpp
MethodInfo adaptive_implicit_tau_method();  // engine/tau/adaptive_tau.cpp

// The mean, over reactions, of the partial propensities that the partial-propensity direct
// method updates when the reaction fires (its cost per event), for the automatic choice.
double partial_propensity_readers_per_firing(const ReactionNetwork& net);

}  // namespace nkappa

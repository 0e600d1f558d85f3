// Gillespie's direct method (Gillespie 1977, J Phys Chem 81:2340, doi:10.1021/j100540a008).
// Exact. The waiting time is exponential with the total propensity; the reaction is chosen by
// a linear search over the cumulative propensities in reaction order.
// When it wins: very small networks (a handful of reactions), where nothing beats a scan of a
// short contiguous array.
// Invariant: that of PropensityTable; a selection that runs past the last reaction (rounding
// drift of the running total) re-sums the total and draws again.
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/ssa/methods_list.hpp"
#include "engine/ssa/propensity_table.hpp"

namespace nkappa {
namespace {

class Direct {
 public:
  explicit Direct(const ReactionNetwork& net) : table_(net) {}

  void reset(const State& s, Rng&) { table_.recompute_all(s); }

  Event next_event(const State& s, double, Rng& rng) {
    return direct_next_event(table_, s.time, rng);
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    table_.fire(s, e.reaction);
  }

  std::int32_t invalid_reaction() const { return table_.invalid_reaction(); }

 private:
  PropensityTable table_;
};

}  // namespace

MethodInfo direct_method() {
  MethodInfo info;
  info.name = "direct";
  info.kisao = "KISAO:0000029";
  info.exact = true;
  info.capabilities.time_dependent_rates = false;
  info.capabilities.general_rate_laws = true;
  info.summary = "Gillespie direct method, linear selection (Gillespie 1977)";
  info.run_block = &run_block<Direct>;
  return info;
}

}  // namespace nkappa

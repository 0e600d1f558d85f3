#include "scenario/extrinsic.hpp"

#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>

#include "engine/error.hpp"

namespace nkappa {

TrajectoryInitializer make_extrinsic_initializer(const Scenario& scenario,
                                                 const ReactionNetwork& net) {
  struct Group {
    std::vector<std::int32_t> members;
    std::int32_t remainder_to = 0;
    double log_sd = 0.0;
    double truncate_at = 10.0;
  };
  std::vector<Group> groups;
  for (const ExtrinsicGroup& g : scenario.extrinsic) {
    Group out;
    for (const std::string& id : g.species) {
      const std::int32_t s = net.species_index(id);
      if (s < 0)
        throw InputError(scenario.file, g.line, "extrinsic_noise", g.name,
                         "unknown species '" + id + "'");
      out.members.push_back(s);
    }
    out.remainder_to = net.species_index(g.remainder_to);
    out.log_sd = std::sqrt(std::log1p(g.cv * g.cv));
    out.truncate_at = g.truncate_at;
    groups.push_back(std::move(out));
  }
  return [groups](State& s, Rng& rng) {
    boost::random::normal_distribution<double> normal(0.0, 1.0);
    for (const Group& g : groups) {
      double total = 0.0;
      for (std::int32_t m : g.members) total += s.counts[static_cast<std::size_t>(m)];
      if (!(total > 0)) continue;
      double drawn = 0.0;
      do {
        drawn = std::round(total * std::exp(-0.5 * g.log_sd * g.log_sd + g.log_sd * normal(rng)));
      } while (drawn > g.truncate_at * total);
      double assigned = 0.0;
      for (std::int32_t m : g.members) {
        double& c = s.counts[static_cast<std::size_t>(m)];
        c = std::round(c * drawn / total);
        assigned += c;
      }
      double& rest = s.counts[static_cast<std::size_t>(g.remainder_to)];
      rest = std::max(0.0, rest + drawn - assigned);
    }
  };
}

}  // namespace nkappa

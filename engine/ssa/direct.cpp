// Gillespie's direct method (Gillespie 1977, J Phys Chem 81:2340, doi:10.1021/j100540a008).
// Exact. The waiting time is exponential with the total propensity; the reaction is chosen by
// a linear search over the cumulative propensities in reaction order.
// When it wins: very small networks (a handful of reactions), where nothing beats a scan of a
// short contiguous array.
// Invariant: that of PropensityTable; a selection that runs past the last reaction (rounding
// drift of the running total) re-sums the total and draws again.
//
// Laws that read `time` (DirectTimeDependent, chosen once per block when the network has any):
// between reaction events the state is fixed, so the total propensity a0(s) depends on time
// only and reaction events form an inhomogeneous Poisson process of intensity a0. Its next
// event time t + tau solves  integral_t^{t+tau} a0(s) ds = -ln u  (u uniform), and the reaction
// is j with probability a_j(t+tau) / a0(t+tau): the time-rescaling (integrated-propensity) form
// of the direct method, Gillespie 1991, "Markov Processes: An Introduction for Physical
// Scientists", Academic Press (the next-jump density of a jump process whose propensities
// depend on time); Anderson 2007, J Chem Phys 127:214107, doi:10.1063/1.2799998, integrates the
// same propensity for his modified next reaction method. It is cited because it needs neither
// a bound on a0 (thinning does) nor one clock per reaction: one integral per event.
// It is exact up to the numerical integration and root: the integral is Boost.Math's adaptive
// Gauss-Kronrod (15 points) to a relative error estimate of 1e-10 (kQuadratureTolerance), and
// tau is found by Newton's method kept inside a bracket (derivative a0) to 40 bits, a relative
// error of about 1e-12 (kRootBits). The integration never crosses t_limit (the next output time
// or model-event breakpoint, where a law may jump): when no event comes before it, next_event
// returns an empty step to t_limit (kLeapReaction, firing nothing) and the next call draws anew
// from there, which is exact because the counts of an inhomogeneous Poisson process on disjoint
// intervals are independent. The event loop counts such empty steps as events (at most one per
// output time or breakpoint). Laws with a jump in time between breakpoints (piecewise in time
// without an event) are integrated by the adaptive rule, which bisects towards the jump: less
// accurate there. When it wins: it is the only method for laws that read time; each event costs
// about 80 propensity evaluations of the laws that read time (quadrature and Newton steps).
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/tools/roots.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "engine/network/propensity.hpp"
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

constexpr double kQuadratureTolerance = 1e-10;
constexpr unsigned kQuadratureDepth = 15;
constexpr int kRootBits = 40;

class DirectTimeDependent {
 public:
  DirectTimeDependent(const ReactionNetwork& net, const RunSpec& spec)
      : net_(net),
        table_(net),
        t_end_(spec.t_end),
        at_event_(static_cast<std::size_t>(net.reaction_count()), 0.0) {
    for (std::int32_t r = 0; r < net.reaction_count(); ++r)
      (net.time_dependent[r] ? timed_ : fixed_).push_back(r);
  }

  void reset(const State& s, Rng&) {
    table_.recompute_all(s);
    invalid_ = -1;
  }

  Event next_event(const State& s, double t_limit, Rng& rng) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const double t = s.time;
    // Beyond the last output time nothing is observed: the run's end bounds the integration.
    const double limit = std::min(t_limit, t_end_);
    // The limit is now (a breakpoint the loop has still to take, or the end): a step just past
    // it lets the loop take the breakpoint, or end the run, before anything is drawn.
    if (!(limit > t)) return Event{std::nextafter(t, kInf), kLeapReaction};
    counts_ = s.counts.data();
    parameters_ = s.parameters.data();
    fixed_total_ = 0.0;
    for (const std::int32_t r : fixed_) fixed_total_ += table_.value(r);

    const double target = unit_exponential(rng);
    const auto a0 = [this](double time) { return total_at(time); };
    const double now = a0(t);
    if (invalid_ >= 0) return Event{};
    // A first segment that holds the event when a0 stays near its present value; doubled
    // while the event is not in it.
    double h = now > 0.0 ? 2.0 * target / now : limit - t;
    double remaining = target;
    for (double a = t;;) {
      const double b = std::min(limit, a + h);
      const double integral = integrate(a, b);
      if (invalid_ >= 0) return Event{};
      if (integral >= remaining) return select(solve(a, b, integral, remaining), rng);
      remaining -= integral;
      if (b >= limit) return Event{limit, kLeapReaction};
      a = b;
      h *= 2.0;
    }
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    if (e.reaction != kLeapReaction) table_.fire(s, e.reaction);
  }

  std::int32_t invalid_reaction() const {
    return invalid_ >= 0 ? invalid_ : table_.invalid_reaction();
  }

 private:
  // a0 at `time` in the present state; a law that reads time and goes bad marks it invalid.
  double total_at(double time) {
    double total = fixed_total_;
    for (const std::int32_t r : timed_) {
      const double a = propensity(net_, r, counts_, parameters_, time);
      if (!(a >= 0.0)) {
        invalid_ = r;
        return 0.0;
      }
      total += a;
    }
    return total;
  }

  double integrate(double a, double b) {
    if (!(b > a)) return 0.0;
    // On [0, 1], not [a, b]: Boost 1.74's adaptive rule compares an error estimate on the
    // reference interval with a tolerance scaled by the interval, so on an interval shorter than
    // about 1e-6 (a typical waiting time) it would always split to the full depth.
    const double width = b - a;
    double error = 0.0;
    return width * boost::math::quadrature::gauss_kronrod<double, 15>::integrate(
                       [this, a, width](double u) { return total_at(a + width * u); }, 0.0, 1.0,
                       kQuadratureDepth, kQuadratureTolerance, &error);
  }

  // The time in [a, b] where the integral from a reaches `remaining` (integral(a, b) >= it):
  // Newton on F(x) = integral(a, x) - remaining, whose derivative is a0(x) >= 0, kept inside the
  // bracket (Boost falls back to bisection where a Newton step would leave it or a0 vanishes).
  double solve(double a, double b, double integral_ab, double remaining) {
    if (integral_ab == remaining) return b;
    const auto f = [&](double x) {
      return std::pair<double, double>(integrate(a, x) - remaining, total_at(x));
    };
    const double rate = total_at(a);
    const double guess = rate > 0.0 ? std::min(b, a + remaining / rate) : 0.5 * (a + b);
    std::uintmax_t iterations = 100;
    return boost::math::tools::newton_raphson_iterate(f, guess, a, b, kRootBits, iterations);
  }

  // The reaction at `time` with probability a_j(time) / a0(time).
  Event select(double time, Rng& rng) {
    double total = fixed_total_;
    for (const std::int32_t r : timed_) {
      const double a = propensity(net_, r, counts_, parameters_, time);
      if (!(a >= 0.0)) {
        invalid_ = r;
        return Event{};
      }
      at_event_[static_cast<std::size_t>(r)] = a;
      total += a;
    }
    // a0 vanishing at the crossing point itself (a zero of a0 reached by the root's tolerance):
    // nothing can fire there, draw anew from it.
    if (!(total > 0.0)) return Event{time, kLeapReaction};
    const double target = uniform_closed_open(rng) * total;
    double cumulative = 0.0;
    std::int32_t last_positive = -1;
    for (std::int32_t r = 0; r < table_.size(); ++r) {
      const double a =
          net_.time_dependent[r] ? at_event_[static_cast<std::size_t>(r)] : table_.value(r);
      if (a > 0.0) last_positive = r;
      cumulative += a;
      if (target < cumulative) return Event{time, r};
    }
    return Event{time, last_positive};  // rounding of the running sum
  }

  const ReactionNetwork& net_;
  PropensityTable table_;
  double t_end_;
  std::vector<std::int32_t> timed_;  // reactions whose law reads time
  std::vector<std::int32_t> fixed_;  // the others: constant between events
  std::vector<double> at_event_;     // propensities of timed_ at the chosen time
  const double* counts_ = nullptr;
  const double* parameters_ = nullptr;
  double fixed_total_ = 0.0;
  std::int32_t invalid_ = -1;
};

// The choice is made once per block: the fast path above is unchanged for networks whose laws
// do not read time.
BlockResult run_direct_block(const ReactionNetwork& net, const RunSpec& spec, std::int64_t first,
                             std::int64_t count, SampleSink& sink) {
  if (net.any_time_dependent())
    return run_block<DirectTimeDependent>(net, spec, first, count, sink);
  return run_block<Direct>(net, spec, first, count, sink);
}

}  // namespace

MethodInfo direct_method() {
  MethodInfo info;
  info.name = "direct";
  info.kisao = "KISAO:0000029";
  info.exact = true;
  info.capabilities.time_dependent_rates = true;
  info.capabilities.general_rate_laws = true;
  info.summary =
      "Gillespie direct method, linear selection (Gillespie 1977); laws that read time "
      "by integrating the propensity (Gillespie 1991)";
  info.run_block = &run_direct_block;
  return info;
}

}  // namespace nkappa

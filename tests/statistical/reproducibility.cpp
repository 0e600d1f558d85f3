// Reproducibility of ensembles, for every method in the registry: the same seed gives the same
// bytes (mean and standard-deviation CSV of report/csv.hpp), whatever the thread count, and a
// different seed gives different bytes. 500 trajectories are 8 blocks of at most 64
// (ensemble.hpp), so 2 and 3 threads really share the work and merge out of order.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/method.hpp"
#include "report/csv.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr std::int64_t kTrajectories = 500;
constexpr std::uint64_t kSeed = 977;

// Several reaction orders, an inflow and a sink, so that trajectories differ in length.
ReactionNetwork test_network() {
  ModelBuilder b;
  b.species("A", 30).species("B", 5).species("C", 0);
  b.parameter("k_in", 8.0).parameter("k_dimer", 0.02).parameter("k_split", 0.7);
  b.parameter("k_convert", 0.3).parameter("k_out", 0.5);
  b.mass_action("inflow", {}, {{"A", 1}}, "k_in");
  b.mass_action("dimerise", {{"A", 2}}, {{"B", 1}}, "k_dimer");
  b.mass_action("split", {{"B", 1}}, {{"A", 2}}, "k_split");
  b.mass_action("convert", {{"B", 1}}, {{"C", 1}}, "k_convert");
  b.mass_action("outflow", {{"C", 1}}, {}, "k_out");
  return compile(b.build());
}

struct Bytes {
  std::string mean;
  std::string sd;
  std::int64_t events = 0;
  bool operator==(const Bytes&) const = default;
};

Bytes run_bytes(const ReactionNetwork& net, const MethodInfo& method, std::uint64_t seed,
                int threads) {
  RunSpec spec;
  spec.t_end = 4.0;
  spec.samples = 20;
  spec.trajectories = kTrajectories;
  spec.seed = seed;
  spec.threads = threads;
  const test::EnsembleMoments run = test::run_moments(net, method.name, spec);
  return {moments_csv(run.times, run.moments, MomentStatistic::Mean),
          moments_csv(run.times, run.moments, MomentStatistic::StandardDeviation),
          run.result.events};
}

TEST_CASE("reproducibility: the same seed gives the same bytes") {
  REQUIRE((kTrajectories + block_size(kTrajectories) - 1) / block_size(kTrajectories) >= 3);
  const ReactionNetwork net = test_network();
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    const Bytes first = run_bytes(net, method, kSeed, 2);
    const Bytes second = run_bytes(net, method, kSeed, 2);
    CHECK(first.mean == second.mean);
    CHECK(first.sd == second.sd);
    CHECK(first.events == second.events);
    MESSAGE(method.name << ": " << first.events << " events, mean CSV of " << first.mean.size()
                        << " bytes identical on a second run");
  }
}

TEST_CASE("reproducibility: 1, 2 and 3 threads give the same bytes") {
  REQUIRE((kTrajectories + block_size(kTrajectories) - 1) / block_size(kTrajectories) >= 3);
  const ReactionNetwork net = test_network();
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    const Bytes one = run_bytes(net, method, kSeed, 1);
    for (const int threads : {2, 3}) {
      CAPTURE(threads);
      const Bytes many = run_bytes(net, method, kSeed, threads);
      CHECK(many.mean == one.mean);
      CHECK(many.sd == one.sd);
      CHECK(many.events == one.events);
    }
    MESSAGE(method.name << ": 1, 2 and 3 threads agree byte for byte");
  }
}

TEST_CASE("reproducibility: a different seed gives different bytes") {
  const ReactionNetwork net = test_network();
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    const Bytes a = run_bytes(net, method, kSeed, 2);
    const Bytes b = run_bytes(net, method, kSeed + 1, 2);
    CHECK(a.mean != b.mean);
    CHECK(a.sd != b.sd);
    MESSAGE(method.name << ": seeds " << kSeed << " and " << kSeed + 1 << " differ");
  }
}

}  // namespace
}  // namespace nkappa

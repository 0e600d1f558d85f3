// The event loop never allocates (architecture: "it never allocates or logs"). Global operator
// new is replaced here (for the whole nkappa_stat_tests executable) by one that counts; every
// method of the registry runs one block of 64 birth-death trajectories with a large population
// to t_end = T and to t_end = 10 T, and the two runs must allocate exactly as often: whatever a
// block allocates (method workspace, output grid, state, per-trajectory generator seeding) does
// not depend on the number of events. T is long enough (about 2e4 events per trajectory) that the
// periodic full recompute of the running total (every 2^14 events) also runs.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <tuple>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/observe/sample_sink.hpp"
#include "engine/run/method.hpp"
#include "engine/run/state.hpp"

namespace {

std::atomic<std::int64_t> allocations{0};

void* counted_allocation(std::size_t size) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}

void* counted_aligned_allocation(std::size_t size, std::align_val_t alignment) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  const auto align = static_cast<std::size_t>(alignment);
  const std::size_t rounded = (size + align - 1) / align * align;  // aligned_alloc requires it
  return std::aligned_alloc(align, rounded == 0 ? align : rounded);
}

}  // namespace

// GCC 12 warns (-Wmismatched-new-delete) when it inlines these replacements into a caller: it
// pairs the standard operator new with std::free, not knowing that the replaced new came from
// std::malloc. Which callers it inlines into changes with the file's contents.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  if (void* p = counted_allocation(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = counted_allocation(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  if (void* p = counted_aligned_allocation(size, alignment)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  if (void* p = counted_aligned_allocation(size, alignment)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counted_aligned_allocation(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counted_aligned_allocation(size, alignment);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}

#pragma GCC diagnostic pop

namespace nkappa {
namespace {

constexpr std::int64_t kBlock = 64;
constexpr double kShortEnd = 10.0;  // T: about 2e4 events per trajectory

// Sums the counts it is shown; allocates nothing.
class SummingSink final : public SampleSink {
 public:
  void on_sample(std::int64_t, std::int32_t, const State& state) override {
    for (const double c : state.counts) total += c;
    ++samples;
  }
  double total = 0.0;
  std::int64_t samples = 0;
};

struct BlockRun {
  std::int64_t allocations = 0;
  std::int64_t events = 0;
  std::int64_t samples = 0;
};

// One output per unit time: a leaping method whose leaps only the output times limit
// (tau-leaping-implicit on birth-death, an implicit pair) also has 10 times the steps to take
// when t_end is 10 times longer.
BlockRun run_counted(const MethodInfo& method, const ReactionNetwork& net, double t_end) {
  RunSpec spec;
  spec.t_end = t_end;
  spec.samples = static_cast<std::int32_t>(t_end);
  spec.trajectories = kBlock;
  spec.seed = 4242;
  SummingSink sink;
  const std::int64_t before = allocations.load();
  const BlockResult result = method.run_block(net, spec, 0, kBlock, sink);
  const std::int64_t after = allocations.load();
  return {after - before, result.events, sink.samples};
}

// A vector that the optimiser cannot remove: the counter must see it.
std::vector<int>* volatile escaped = nullptr;

TEST_CASE("no allocation in the event loop: allocations do not grow with t_end") {
  {
    const std::int64_t before = allocations.load();
    escaped = new std::vector<int>(100, 1);
    delete escaped;
    REQUIRE_MESSAGE(allocations.load() - before >= 2, "the allocation counter does not count");
  }
  // Birth-death with about 1000 molecules: 2000 events per unit time.
  ModelBuilder b;
  b.species("A", 1000).parameter("lambda", 1000.0).parameter("mu", 1.0);
  b.mass_action("birth", {}, {{"A", 1}}, "lambda");
  b.mass_action("death", {{"A", 1}}, {}, "mu");
  const ReactionNetwork net = compile(b.build());
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    check_capabilities(method, net);
    const BlockRun short_run = run_counted(method, net, kShortEnd);
    const BlockRun long_run = run_counted(method, net, 10.0 * kShortEnd);
    // Exact methods: the periodic recompute ran. Approximate methods take far fewer steps (a
    // tau leap holds many firings) but must still take more of them in the longer run.
    if (method.exact) REQUIRE(short_run.events > kBlock * (1 << 14));
    REQUIRE(long_run.events > 5 * short_run.events);
    const auto outputs = static_cast<std::int64_t>(kShortEnd);
    CHECK(short_run.samples == kBlock * (outputs + 1));
    CHECK(long_run.samples == kBlock * (10 * outputs + 1));
    CHECK(long_run.allocations == short_run.allocations);
    MESSAGE(method.name << ": " << short_run.allocations << " allocations for " << short_run.events
                        << " events (t_end = " << kShortEnd << "), " << long_run.allocations
                        << " for " << long_run.events << " events (t_end = " << 10.0 * kShortEnd
                        << "), one block of " << kBlock << " trajectories");
  }
}

TEST_CASE("no allocation in the event loop: model events with delays and priorities") {
  // Birth-death around 1000 molecules; whenever A reaches 1010, two events are triggered: a
  // persistent one that removes 20 molecules 0.01 later (values from the trigger time) and a
  // non-persistent one of the same priority that removes 5 (cancelled if A falls first). The
  // delay queue and the priority choice run thousands of times per trajectory.
  ModelBuilder b;
  b.species("A", 1000).parameter("lambda", 1000.0).parameter("mu", 1.0);
  b.mass_action("birth", {}, {{"A", 1}}, "lambda");
  b.mass_action("death", {{"A", 1}}, {}, "mu");
  ModelDescription model = b.build();
  for (const auto& [id, removed, persistent] :
       {std::tuple{"cut", 20.0, true}, std::tuple{"trim", 5.0, false}}) {
    EventDesc e;
    e.id = id;
    e.trigger = Expr::call(ExprOp::Geq, {Expr::name("A"), Expr::constant(1010.0)});
    e.initial_value = false;
    e.persistent = persistent;
    e.has_delay = true;
    e.delay = Expr::constant(0.01);
    e.has_priority = true;
    e.priority = Expr::constant(1.0);
    e.assignments.push_back(EventAssignmentDesc{"A", Expr::name("A") - Expr::constant(removed)});
    model.events.push_back(e);
  }
  const ReactionNetwork net = compile(model);
  constexpr double kEnd = 2.0;
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    check_capabilities(method, net);
    const BlockRun short_run = run_counted(method, net, kEnd);
    const BlockRun long_run = run_counted(method, net, 10.0 * kEnd);
    REQUIRE(long_run.events > 5 * short_run.events);
    CHECK(long_run.allocations == short_run.allocations);
  }
}

TEST_CASE("no allocation in the event loop: a law that reads time (direct method)") {
  // Birth with rate lambda (1 + sin t / 2), death mu A: the direct method integrates the
  // propensity between events (quadrature, root finding), and stops at every output time.
  ModelBuilder b;
  b.species("A", 200).parameter("lambda", 20.0).parameter("mu", 0.1);
  const Expr wave = Expr::call(ExprOp::Sin, {Expr::time()});
  b.reaction("birth", {}, {{"A", 1}},
             Expr::name("lambda") * (Expr::constant(1.0) + Expr::constant(0.5) * wave));
  b.mass_action("death", {{"A", 1}}, {}, "mu");
  const ReactionNetwork net = compile(b.build());
  REQUIRE(net.any_time_dependent());
  const MethodInfo& method = find_method("auto", net);
  REQUIRE(method.name == "direct");
  check_capabilities(method, net);
  const BlockRun short_run = run_counted(method, net, 5.0);
  const BlockRun long_run = run_counted(method, net, 50.0);
  REQUIRE(long_run.events > 5 * short_run.events);
  CHECK(long_run.samples == kBlock * 51);
  CHECK(long_run.allocations == short_run.allocations);
  MESSAGE("direct, law reading time: " << short_run.allocations << " allocations for "
                                       << short_run.events << " events, " << long_run.allocations
                                       << " for " << long_run.events);
}

}  // namespace
}  // namespace nkappa

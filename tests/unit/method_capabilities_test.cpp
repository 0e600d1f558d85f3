// Capabilities of the registered methods: a method refuses, before running, a network it cannot
// simulate exactly, with an InputError naming the reaction and the method; the automatic choice
// never picks a method that would refuse the network.
#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/run/method.hpp"

namespace nkappa {
namespace {

std::string refusal(const MethodInfo& method, const ReactionNetwork& net) {
  try {
    check_capabilities(method, net);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Mass action, then a Michaelis-Menten law (not of the mass-action shape).
ReactionNetwork michaelis_menten_network() {
  ModelBuilder b;
  b.species("S", 100).species("P", 0).parameter("k", 1.0).parameter("vmax", 2.0);
  b.parameter("km", 10.0);
  b.mass_action("R_mass", {{"S", 1}}, {{"P", 1}}, "k");
  b.reaction("R_mm", {{"S", 1}}, {{"P", 1}},
             Expr::name("vmax") * Expr::name("S") / (Expr::name("km") + Expr::name("S")));
  return compile(b.build());
}

ReactionNetwork time_dependent_network() {
  ModelBuilder b;
  b.species("A", 10).parameter("k", 1.0);
  b.reaction("R_t", {{"A", 1}}, {}, Expr::name("k") * Expr::time() * Expr::name("A"));
  return compile(b.build());
}

TEST_CASE("capabilities: methods limited to mass action refuse a general law by name") {
  const ReactionNetwork net = michaelis_menten_network();
  int refusing = 0;
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    const std::string message = refusal(method, net);
    if (method.capabilities.general_rate_laws) {
      CHECK(message.empty());
      continue;
    }
    ++refusing;
    const std::string expected =
        "reaction 'R_mm': a rate law that is not of the mass-action shape is not supported by "
        "method '" +
        method.name + "'";
    CHECK_MESSAGE(message.find(expected) != std::string::npos, message);
    CHECK(describe_capabilities(method).find("mass-action laws only") != std::string::npos);
  }
  // rssa, rssa-cr and partial-propensity-direct are registered and mass-action only.
  CHECK(refusing >= 3);
  for (const char* name : {"rssa", "rssa-cr", "partial-propensity-direct"}) {
    CAPTURE(name);
    CHECK_FALSE(refusal(find_method(name, net), net).empty());
  }
}

TEST_CASE("capabilities: methods without time-dependent rates refuse a law that reads time") {
  const ReactionNetwork net = time_dependent_network();
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    if (method.capabilities.time_dependent_rates) continue;
    const std::string message = refusal(method, net);
    CHECK(message.find("reaction 'R_t'") != std::string::npos);
    CHECK(message.find("reads time") != std::string::npos);
    CHECK(message.find("'" + method.name + "'") != std::string::npos);
  }
}

TEST_CASE("capabilities: methods for elementary reactions refuse a law of order 3 by name") {
  ModelBuilder b;
  b.species("A", 30).species("B", 0).parameter("k", 0.01);
  b.mass_action("R_bi", {{"A", 2}}, {{"B", 1}}, "k");
  b.mass_action("R_tri", {{"A", 3}}, {{"B", 1}}, "k");  // k A (A - 1) (A - 2)
  const ReactionNetwork net = compile(b.build());
  int refusing = 0;
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    const std::string message = refusal(method, net);
    const std::int32_t max_order = method.capabilities.max_mass_action_order;
    if (max_order == 0 || max_order >= 3) {
      CHECK(message.empty());
      continue;
    }
    ++refusing;
    const std::string expected =
        "reaction 'R_tri': a mass-action law of order 3 is not supported "
        "by method '" +
        method.name + "' (elementary reactions of order <= 2 only)";
    CHECK_MESSAGE(message.find(expected) != std::string::npos, message);
    CHECK(describe_capabilities(method).find("of order <= 2") != std::string::npos);
  }
  CHECK(refusing >= 1);  // partial-propensity-direct
  CHECK_FALSE(refusal(find_method("partial-propensity-direct", net), net).empty());
}

TEST_CASE("capabilities: auto picks a method that accepts the network") {
  ModelBuilder small;
  small.species("A", 10).parameter("k", 1.0);
  small.mass_action("R1", {{"A", 1}}, {}, "k");
  for (const ReactionNetwork& net : {michaelis_menten_network(), compile(small.build())}) {
    const MethodInfo& chosen = find_method("auto", net);
    CAPTURE(chosen.name);
    CHECK(refusal(chosen, net).empty());
  }
}

// The written rule of engine/run/methods.cpp for elementary networks: the direct method below 16
// reactions, then the partial-propensity direct method, except large networks whose firings
// affect few propensities (rssa-cr).
TEST_CASE("capabilities: auto takes rssa-cr for a large sparse elementary network, PDM otherwise") {
  // A ring of A_i -> A_{i+1} (i < n) plus A_i + A_{i+1} -> A_{i+2}: each firing affects a few
  // propensities whatever n.
  auto ring = [](int n) {
    ModelBuilder b;
    b.parameter("k", 1.0);
    for (int i = 0; i < n; ++i) b.species("A" + std::to_string(i), 10);
    auto a = [n](int i) { return "A" + std::to_string(i % n); };
    for (int i = 0; i < n; ++i) {
      b.mass_action("U" + std::to_string(i), {{a(i), 1}}, {{a(i + 1), 1}}, "k");
      b.mass_action("B" + std::to_string(i), {{a(i), 1}, {a(i + 1), 1}}, {{a(i + 2), 1}}, "k");
    }
    return compile(b.build());
  };
  CHECK(find_method("auto", ring(200)).name == "rssa-cr");                   // 400 reactions
  CHECK(find_method("auto", ring(50)).name == "partial-propensity-direct");  // 100 reactions
  CHECK(find_method("auto", ring(8)).name == "partial-propensity-direct");   // 16 reactions
  CHECK(find_method("auto", ring(7)).name == "direct");                      // 14 reactions
  // Dense: every reaction reads the hub species H, so every firing affects all of them.
  ModelBuilder dense;
  dense.parameter("k", 1.0).species("H", 100);
  for (int i = 0; i < 300; ++i) {
    dense.species("X" + std::to_string(i), 10);
    dense.mass_action("D" + std::to_string(i), {{"H", 1}, {"X" + std::to_string(i), 1}},
                      {{"X" + std::to_string(i), 1}}, "k");
  }
  CHECK(find_method("auto", compile(dense.build())).name == "partial-propensity-direct");
}

TEST_CASE("capabilities: every method has a distinct name and a KiSAO term") {
  std::set<std::string> names;
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    CHECK(names.insert(method.name).second);
    CHECK(method.kisao.rfind("KISAO:", 0) == 0);
    CHECK(method.kisao.size() == 13);
  }
}

}  // namespace
}  // namespace nkappa

// compile(): the stoichiometry, the readers of each species and the dependency graph of random
// networks, against a brute-force recomputation from the ModelDescription; csr_from_entries
// against a naive build; the errors compile() reports.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/network/csr.hpp"
#include "engine/network/propensity.hpp"
#include "tests/unit/expr_reference.hpp"

namespace nkappa {
namespace {

// Portable draws (std::uniform_*_distribution differ between standard libraries).
std::int32_t pick(std::mt19937_64& rng, std::int32_t n) {
  return static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(n));
}
bool chance(std::mt19937_64& rng, double p) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53 < p;
}
std::string species_id(std::int32_t i) {
  return "S" + std::to_string(i);
}

struct RandomModel {
  ModelDescription model;
  std::vector<RateKind> expected_kind;  // how each law was built
};

// A network with every feature that decides the graphs: reactants listed twice or with a
// stoichiometry, catalysts (net change 0), boundary and constant species, modifiers read by
// the law, species read without being reactants, local parameters that shadow a species id,
// variable parameters and time.
RandomModel random_model(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  ModelBuilder builder;
  const std::int32_t n_species = 1 + pick(rng, 10);
  for (std::int32_t s = 0; s < n_species; ++s)
    builder.species(species_id(s), static_cast<double>(pick(rng, 21)), chance(rng, 0.2));
  builder.parameter("k0", 0.5).parameter("k1", 2.0).parameter("Km", 7.0);
  RandomModel out;
  std::vector<std::vector<std::string>> modifiers_of;
  std::vector<std::vector<ParameterDesc>> locals_of;
  const std::int32_t n_reactions = 1 + pick(rng, 25);
  for (std::int32_t r = 0; r < n_reactions; ++r) {
    std::vector<std::pair<std::string, double>> reactants;
    std::map<std::string, double> merged;
    const std::int32_t n_reactants = pick(rng, 4);
    const bool list_separately = chance(rng, 0.5);
    for (std::int32_t j = 0; j < n_reactants; ++j) {
      const std::string s = species_id(pick(rng, n_species));
      merged[s] += 1.0;
      if (list_separately) reactants.emplace_back(s, 1.0);
    }
    if (!list_separately)
      for (const auto& [s, n] : merged) reactants.emplace_back(s, n);
    std::vector<std::pair<std::string, double>> products;
    const std::int32_t n_products = pick(rng, 4);
    for (std::int32_t j = 0; j < n_products; ++j) {
      // Often a reactant again, so that some net changes cancel to zero.
      std::string s = species_id(pick(rng, n_species));
      if (!reactants.empty() && chance(rng, 0.4)) {
        const std::int32_t which = pick(rng, static_cast<std::int32_t>(reactants.size()));
        s = reactants[static_cast<std::size_t>(which)].first;
      }
      products.emplace_back(s, static_cast<double>(1 + pick(rng, 2)));
    }
    const std::vector<std::pair<std::string, double>> falling_factorials(merged.begin(),
                                                                         merged.end());
    const std::string k = chance(rng, 0.5) ? "k0" : "k1";
    Expr law;
    std::vector<std::string> modifiers;
    std::vector<ParameterDesc> locals;
    RateKind kind = RateKind::Program;
    switch (pick(rng, 5)) {
      case 0:  // k times falling factorials
        law = mass_action_law(k, falling_factorials);
        kind = RateKind::MassAction;
        break;
      case 1:  // the reactants as listed: k * A * A when A is listed twice, not mass action
        law = mass_action_law(k, reactants);
        kind = reactants.size() == merged.size() ? RateKind::MassAction : RateKind::Program;
        break;
      case 2: {  // modifiers in saturating factors
        law = mass_action_law(k, falling_factorials);
        const std::int32_t n_modifiers = 1 + pick(rng, 2);
        for (std::int32_t j = 0; j < n_modifiers; ++j) {
          const std::string m = species_id(pick(rng, n_species));
          modifiers.push_back(m);
          law = law * Expr::name(m) / (Expr::name("Km") + Expr::name(m));
        }
        break;
      }
      case 3: {  // an inhibitor that takes no part in the reaction, a variable parameter, time
        const std::string inhibitor = species_id(pick(rng, n_species));
        law = mass_action_law(k, falling_factorials) /
              (Expr::constant(1.0) +
               Expr::call(ExprOp::Pow, {Expr::name(inhibitor), Expr::constant(2.0)})) *
              Expr::name("v0") * (Expr::constant(1.0) + Expr::time());
        break;
      }
      default: {  // a local parameter named like a species hides that species from the law
        const std::string hidden = species_id(pick(rng, n_species));
        locals.push_back(ParameterDesc{hidden, 3.0, true, {}});
        law = mass_action_law(k, falling_factorials) * Expr::name(hidden);
        // Where the hidden id is also a reactant its falling factorial reads the local
        // constant too, so the law is k * 3 * 3 * (3 - 1)...: still a constant times the rest.
        kind = RateKind::MassAction;
        break;
      }
    }
    builder.reaction("R" + std::to_string(r), reactants, products, law);
    out.expected_kind.push_back(kind);
    modifiers_of.push_back(modifiers);
    locals_of.push_back(locals);
  }
  out.model = builder.build();
  // Not builder features: set on the description.
  for (std::size_t r = 0; r < out.model.reactions.size(); ++r) {
    out.model.reactions[r].modifiers = modifiers_of[r];
    out.model.reactions[r].local_parameters = locals_of[r];
  }
  out.model.parameters.push_back(ParameterDesc{"v0", 1.5, false, {}});
  for (SpeciesDesc& s : out.model.species)
    if (!s.boundary && chance(rng, 0.1)) s.constant = true;
  return out;
}

// Every symbol of a law, by a walk of its own (not symbols_of).
void collect_symbols(const Expr& e, std::set<std::string>& names) {
  if (e.op == ExprOp::Symbol) names.insert(e.symbol);
  for (const Expr& a : e.args) collect_symbols(a, names);
}

struct BruteForce {
  std::vector<std::vector<std::pair<std::int32_t, double>>> net_change;  // by species index
  std::vector<std::vector<std::int32_t>> reads;                          // reaction -> species
  std::vector<std::vector<std::int32_t>> species_readers;                // species -> reactions
  std::vector<std::vector<std::int32_t>> affects;                        // reaction -> reactions
};

BruteForce brute_force(const ModelDescription& model) {
  const auto n_species = static_cast<std::int32_t>(model.species.size());
  const auto n_reactions = static_cast<std::int32_t>(model.reactions.size());
  auto index_of = [&](const std::string& id) {
    for (std::int32_t s = 0; s < n_species; ++s)
      if (model.species[static_cast<std::size_t>(s)].id == id) return s;
    return std::int32_t{-1};
  };
  BruteForce bf;
  bf.net_change.resize(static_cast<std::size_t>(n_reactions));
  bf.reads.resize(static_cast<std::size_t>(n_reactions));
  bf.species_readers.resize(static_cast<std::size_t>(n_species));
  bf.affects.resize(static_cast<std::size_t>(n_reactions));
  for (std::int32_t r = 0; r < n_reactions; ++r) {
    const ReactionDesc& reaction = model.reactions[static_cast<std::size_t>(r)];
    for (std::int32_t s = 0; s < n_species; ++s) {
      const SpeciesDesc& species = model.species[static_cast<std::size_t>(s)];
      if (species.boundary || species.constant) continue;
      double change = 0.0;
      for (const SpeciesRef& p : reaction.products)
        if (p.species == species.id) change += p.stoichiometry;
      for (const SpeciesRef& p : reaction.reactants)
        if (p.species == species.id) change -= p.stoichiometry;
      if (change != 0.0) bf.net_change[static_cast<std::size_t>(r)].emplace_back(s, change);
    }
    std::set<std::string> names;
    collect_symbols(reaction.propensity, names);
    for (const ParameterDesc& local : reaction.local_parameters) names.erase(local.id);
    for (const std::string& name : names)
      if (const std::int32_t s = index_of(name); s >= 0)
        bf.reads[static_cast<std::size_t>(r)].push_back(s);
    std::sort(bf.reads[static_cast<std::size_t>(r)].begin(),
              bf.reads[static_cast<std::size_t>(r)].end());
  }
  for (std::int32_t s = 0; s < n_species; ++s)
    for (std::int32_t r = 0; r < n_reactions; ++r) {
      const auto& reads = bf.reads[static_cast<std::size_t>(r)];
      if (std::find(reads.begin(), reads.end(), s) != reads.end())
        bf.species_readers[static_cast<std::size_t>(s)].push_back(r);
    }
  for (std::int32_t r = 0; r < n_reactions; ++r)
    for (std::int32_t q = 0; q < n_reactions; ++q) {
      bool reads_a_changed_species = false;
      for (const auto& [s, change] : bf.net_change[static_cast<std::size_t>(r)]) {
        const auto& reads = bf.reads[static_cast<std::size_t>(q)];
        if (std::find(reads.begin(), reads.end(), s) != reads.end()) reads_a_changed_species = true;
      }
      if (reads_a_changed_species) bf.affects[static_cast<std::size_t>(r)].push_back(q);
    }
  return bf;
}

template <class T>
std::vector<std::int32_t> row_indices(const Csr<T>& m, std::int32_t row) {
  auto span = m.row_index(row);
  return {span.begin(), span.end()};
}

// The value of every symbol a law may read, for the reference evaluator: locals first, then
// species counts, compartments, parameters.
test::SymbolValues symbol_values(const ModelDescription& model, const ReactionDesc& reaction,
                                 const std::vector<double>& counts) {
  test::SymbolValues values;
  for (const CompartmentDesc& c : model.compartments) values[c.id] = c.size;
  for (const ParameterDesc& p : model.parameters) values[p.id] = p.value;
  for (std::size_t s = 0; s < model.species.size(); ++s) values[model.species[s].id] = counts[s];
  for (const ParameterDesc& p : reaction.local_parameters) values[p.id] = p.value;
  return values;
}

}  // namespace

TEST_CASE("compile: stoichiometry, species readers and affects equal a brute-force recomputation") {
  int program_laws = 0;
  int mass_action_laws = 0;
  int cancelled = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    CAPTURE(seed);
    const RandomModel random = random_model(seed);
    const ModelDescription& model = random.model;
    const ReactionNetwork net = compile(model);
    const BruteForce expected = brute_force(model);
    const auto n_species = static_cast<std::int32_t>(model.species.size());
    const auto n_reactions = static_cast<std::int32_t>(model.reactions.size());
    REQUIRE(net.species_count() == n_species);
    REQUIRE(net.reaction_count() == n_reactions);
    REQUIRE(net.net_change.rows() == n_reactions);
    REQUIRE(net.reactant_stoichiometry.rows() == n_reactions);
    REQUIRE(net.affects.rows() == n_reactions);
    REQUIRE(net.species_readers.rows() == n_species);
    REQUIRE(net.parameter_ids == std::vector<std::string>{"v0"});

    for (std::int32_t s = 0; s < n_species; ++s) {
      const SpeciesDesc& species = model.species[static_cast<std::size_t>(s)];
      CHECK(net.species_ids[static_cast<std::size_t>(s)] == species.id);
      CHECK(net.initial_counts[static_cast<std::size_t>(s)] == species.initial_amount);
      CHECK((net.species_fixed[static_cast<std::size_t>(s)] != 0) ==
            (species.boundary || species.constant));
      CHECK(row_indices(net.species_readers, s) ==
            expected.species_readers[static_cast<std::size_t>(s)]);
    }
    for (std::int32_t r = 0; r < n_reactions; ++r) {
      CAPTURE(r);
      const ReactionDesc& reaction = model.reactions[static_cast<std::size_t>(r)];
      CHECK(net.reaction_ids[static_cast<std::size_t>(r)] == reaction.id);

      std::vector<std::pair<std::int32_t, double>> net_change;
      for (std::int32_t i = net.net_change.offsets[r]; i < net.net_change.offsets[r + 1]; ++i)
        net_change.emplace_back(net.net_change.index[static_cast<std::size_t>(i)],
                                net.net_change.value[static_cast<std::size_t>(i)]);
      CHECK(net_change == expected.net_change[static_cast<std::size_t>(r)]);

      // The reactants exactly as written, repeats and order kept.
      std::vector<std::pair<std::int32_t, double>> consumed, written;
      for (std::int32_t i = net.reactant_stoichiometry.offsets[r];
           i < net.reactant_stoichiometry.offsets[r + 1]; ++i)
        consumed.emplace_back(net.reactant_stoichiometry.index[static_cast<std::size_t>(i)],
                              net.reactant_stoichiometry.value[static_cast<std::size_t>(i)]);
      for (const SpeciesRef& ref : reaction.reactants)
        written.emplace_back(net.species_index(ref.species), ref.stoichiometry);
      CHECK(consumed == written);

      CHECK(row_indices(net.affects, r) == expected.affects[static_cast<std::size_t>(r)]);
      CHECK(net.rate_kind[static_cast<std::size_t>(r)] ==
            random.expected_kind[static_cast<std::size_t>(r)]);
      CHECK((net.time_dependent[static_cast<std::size_t>(r)] != 0) ==
            reads_time(reaction.propensity));
      if (net.rate_kind[static_cast<std::size_t>(r)] == RateKind::Program)
        ++program_laws;
      else
        ++mass_action_laws;
      // A changeable species on both sides whose change cancels: the zero must be dropped.
      for (const SpeciesRef& in : reaction.reactants)
        for (const SpeciesRef& out : reaction.products) {
          const std::int32_t s = net.species_index(in.species);
          if (in.species == out.species && !net.species_fixed[static_cast<std::size_t>(s)] &&
              std::none_of(net_change.begin(), net_change.end(),
                           [&](const auto& entry) { return entry.first == s; }))
            ++cancelled;
        }
    }

    // Every compiled law gives the value of the law as written, at random counts and time.
    std::mt19937_64 rng(seed * 7919);
    for (int draw = 0; draw < 3; ++draw) {
      std::vector<double> counts;
      for (std::int32_t s = 0; s < n_species; ++s)
        counts.push_back(static_cast<double>(pick(rng, 12)));
      const double time = static_cast<double>(pick(rng, 100)) / 8.0;
      for (std::int32_t r = 0; r < n_reactions; ++r) {
        const ReactionDesc& reaction = model.reactions[static_cast<std::size_t>(r)];
        const double want = test::reference_value(reaction.propensity,
                                                  symbol_values(model, reaction, counts), time);
        const double got = propensity(net, r, counts.data(), net.initial_parameters.data(), time);
        CAPTURE(to_string(reaction.propensity));
        CHECK(test::same_value(got, want));
      }
    }
  }
  // The generator must actually exercise both evaluation paths and cancelling changes.
  CHECK(program_laws > 500);
  CHECK(mass_action_laws > 500);
  CHECK(cancelled > 200);
}

TEST_CASE("compile: a reaction that changes nothing it reads is not in its own affects row") {
  // 0 -> A at rate k: firing it changes A, which its law does not read. A -> 0 reads A.
  ModelBuilder b;
  b.species("A", 0).parameter("k", 1.0);
  b.mass_action("birth", {}, {{"A", 1}}, "k");
  b.mass_action("death", {{"A", 1}}, {}, "k");
  const ReactionNetwork net = compile(b.build());
  CHECK(row_indices(net.affects, 0) == std::vector<std::int32_t>{1});
  CHECK(row_indices(net.affects, 1) == std::vector<std::int32_t>{1});
  CHECK(row_indices(net.species_readers, 0) == std::vector<std::int32_t>{1});
}

TEST_CASE("compile: boundary species are read by laws but never changed") {
  ModelBuilder b;
  b.species("Source", 5, /*boundary=*/true).species("A", 0).parameter("k", 1.0);
  b.mass_action("make", {{"Source", 1}}, {{"A", 1}, {"Source", 2}}, "k");
  const ReactionNetwork net = compile(b.build());
  CHECK(row_indices(net.net_change, 0) == std::vector<std::int32_t>{1});
  CHECK(net.net_change.row_value(0)[0] == 1.0);
  CHECK(row_indices(net.species_readers, 0) == std::vector<std::int32_t>{0});
  CHECK(row_indices(net.affects, 0).empty());
}

TEST_CASE("csr_from_entries equals a naive row-by-row build") {
  std::mt19937_64 rng(20240611);
  for (int trial = 0; trial < 500; ++trial) {
    CAPTURE(trial);
    const std::int32_t rows = pick(rng, 9);
    const std::int32_t columns = 1 + pick(rng, 10);
    const std::int32_t n_entries = rows == 0 ? 0 : pick(rng, 41);
    std::vector<std::tuple<std::int32_t, std::int32_t, double>> entries;
    for (std::int32_t i = 0; i < n_entries; ++i)  // distinct values reveal the order kept
      entries.emplace_back(pick(rng, rows), pick(rng, columns), static_cast<double>(i));
    const Csr<double> built = csr_from_entries<double>(rows, entries);

    Csr<double> naive;
    for (std::int32_t r = 0; r < rows; ++r) {
      std::vector<std::pair<std::int32_t, double>> row;
      for (const auto& [er, ec, ev] : entries)
        if (er == r) row.emplace_back(ec, ev);
      std::stable_sort(row.begin(), row.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<std::int32_t> index;
      std::vector<double> value;
      for (const auto& [c, v] : row) {
        index.push_back(c);
        value.push_back(v);
      }
      naive.push_row(index, value);
    }
    CHECK(built.rows() == rows);
    CHECK(built.offsets == naive.offsets);
    CHECK(built.index == naive.index);
    CHECK(built.value == naive.value);
    for (std::int32_t r = 0; r < rows; ++r)
      CHECK(built.row_size(r) == static_cast<std::int32_t>(built.row_index(r).size()));
  }
}

TEST_CASE("compile: errors name the element and the problem") {
  auto message_of = [](const ModelDescription& model) -> std::string {
    try {
      compile(model);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  {
    ModelBuilder b;
    b.species("A", 1).parameter("A", 2.0);
    CHECK(message_of(b.build()) == "<input>: species 'A': id is used by more than one element");
  }
  {
    ModelBuilder b;
    b.species("A", 1).parameter("k", 1.0);
    b.mass_action("R1", {{"B", 1}}, {}, "k");
    ModelDescription m = b.build();
    m.source_file = "model.xml";
    m.reactions[0].where.line = 42;
    CHECK(message_of(m) == "model.xml:42: reaction 'R1': unknown species 'B'");
  }
  {
    ModelBuilder b;
    b.species("A", 1);
    b.reaction("R1", {{"A", 1}}, {}, Expr::name("kdeg2") * Expr::name("A"));
    CHECK(message_of(b.build()) ==
          "<input>: reaction 'R1': unknown symbol 'kdeg2' in the rate law");
  }
  {
    ModelBuilder b;
    b.species("A", -1);
    CHECK(message_of(b.build()) ==
          "<input>: species 'A': initial amount must be a finite non-negative number");
  }
  {
    ModelBuilder b;
    b.species("A", 1).parameter("k", 1.0);
    b.reaction("R1", {{"A", std::nan("")}}, {}, Expr::name("k") * Expr::name("A"));
    CHECK(message_of(b.build()) ==
          "<input>: reaction 'R1': stoichiometry of 'A' must be a finite number");
  }
  {
    ModelBuilder b;
    b.species("A", 1).parameter("k", 1.0);
    ModelDescription m = b.build();
    ReactionDesc r;
    r.id = "R1";
    r.modifiers = {"E"};
    r.propensity = Expr::name("k");
    m.reactions.push_back(r);
    CHECK(message_of(m) == "<input>: reaction 'R1': unknown modifier species 'E'");
  }
}

}  // namespace nkappa

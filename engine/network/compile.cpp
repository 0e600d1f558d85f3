#include "engine/network/compile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "engine/error.hpp"
#include "engine/network/rules.hpp"

namespace nkappa {

std::int32_t MassActionForm::order() const {
  std::int32_t n = 0;
  for (const auto& f : factors) n += f.second;
  return n;
}

namespace {

using Kind = SymbolMeaning::Kind;

// The instruction of each operator (leaves and Piecewise are compiled apart).
OpCode opcode_for(ExprOp op) {
  static const std::map<ExprOp, OpCode> opcodes = {{ExprOp::Add, OpCode::Add},
                                                   {ExprOp::Sub, OpCode::Sub},
                                                   {ExprOp::Mul, OpCode::Mul},
                                                   {ExprOp::Div, OpCode::Div},
                                                   {ExprOp::Pow, OpCode::Pow},
                                                   {ExprOp::Neg, OpCode::Neg},
                                                   {ExprOp::Exp, OpCode::Exp},
                                                   {ExprOp::Ln, OpCode::Ln},
                                                   {ExprOp::Log10, OpCode::Log10},
                                                   {ExprOp::Sqrt, OpCode::Sqrt},
                                                   {ExprOp::Abs, OpCode::Abs},
                                                   {ExprOp::Floor, OpCode::Floor},
                                                   {ExprOp::Ceil, OpCode::Ceil},
                                                   {ExprOp::Sin, OpCode::Sin},
                                                   {ExprOp::Cos, OpCode::Cos},
                                                   {ExprOp::Tan, OpCode::Tan},
                                                   {ExprOp::Asin, OpCode::Asin},
                                                   {ExprOp::Acos, OpCode::Acos},
                                                   {ExprOp::Atan, OpCode::Atan},
                                                   {ExprOp::Sinh, OpCode::Sinh},
                                                   {ExprOp::Cosh, OpCode::Cosh},
                                                   {ExprOp::Tanh, OpCode::Tanh},
                                                   {ExprOp::Factorial, OpCode::Factorial},
                                                   {ExprOp::Log, OpCode::Log},
                                                   {ExprOp::Root, OpCode::Root},
                                                   {ExprOp::Min, OpCode::Min},
                                                   {ExprOp::Max, OpCode::Max},
                                                   {ExprOp::Eq, OpCode::Eq},
                                                   {ExprOp::Neq, OpCode::Neq},
                                                   {ExprOp::Lt, OpCode::Lt},
                                                   {ExprOp::Leq, OpCode::Leq},
                                                   {ExprOp::Gt, OpCode::Gt},
                                                   {ExprOp::Geq, OpCode::Geq},
                                                   {ExprOp::And, OpCode::And},
                                                   {ExprOp::Or, OpCode::Or},
                                                   {ExprOp::Xor, OpCode::Xor},
                                                   {ExprOp::Not, OpCode::Not}};
  return opcodes.at(op);
}

// The value of a subtree that reads no species, no variable parameter and not time.
std::optional<double> fold(const Expr& e, const SymbolResolver& resolve) {
  switch (e.op) {
    case ExprOp::Number:
      return e.number;
    case ExprOp::Time:
      return std::nullopt;
    case ExprOp::Symbol: {
      const SymbolMeaning m = resolve(e.symbol);
      if (m.kind == Kind::Constant) return m.value;
      return std::nullopt;
    }
    case ExprOp::Draw:
      return std::nullopt;  // a fresh value at each evaluation
    case ExprOp::Delay:
      return std::nullopt;  // a value from the past
    default:
      break;
  }
  if (e.args.empty()) return std::nullopt;  // an operator without arguments: the emitter refuses it
  std::vector<double> v;
  v.reserve(e.args.size());
  for (const Expr& a : e.args) {
    auto x = fold(a, resolve);
    if (!x) return std::nullopt;
    v.push_back(*x);
  }
  // Evaluate through a one-off program so that folding and run-time evaluation agree exactly.
  std::vector<Instruction> code;
  for (double x : v) code.push_back(Instruction{OpCode::Constant, 0, x});
  auto binary_chain = [&](OpCode op) {
    for (std::size_t i = 1; i < v.size(); ++i) code.push_back(Instruction{op, 0, 0.0});
  };
  switch (e.op) {
    case ExprOp::Add:
      binary_chain(OpCode::Add);
      break;
    case ExprOp::Mul:
      binary_chain(OpCode::Mul);
      break;
    case ExprOp::Min:
      binary_chain(OpCode::Min);
      break;
    case ExprOp::Max:
      binary_chain(OpCode::Max);
      break;
    case ExprOp::And:
      binary_chain(OpCode::And);
      break;
    case ExprOp::Or:
      binary_chain(OpCode::Or);
      break;
    case ExprOp::Xor:
      binary_chain(OpCode::Xor);
      break;
    case ExprOp::Piecewise: {
      for (std::size_t i = 0; i + 1 < v.size(); i += 2)
        if (v[i + 1] != 0.0) return v[i];
      if (v.size() % 2 == 1) return v.back();
      return std::nullopt;  // no branch holds and no otherwise: leave it to run time
    }
    default: {
      code.push_back(Instruction{opcode_for(e.op), 0, 0.0});
    }
  }
  RateProgram p;
  p.add(code, static_cast<int>(code.size()));
  return p.evaluate(0, nullptr, nullptr, 0.0);
}

bool is_positive_integer(double x) {
  return x >= 1.0 && x == std::floor(x) && x < 1e9;
}

// Collects the factors of a product; false as soon as the law leaves the mass-action shape.
bool collect_factors(const Expr& e, const SymbolResolver& resolve, double& coefficient,
                     std::map<std::int32_t, std::vector<std::int32_t>>& offsets) {
  if (auto c = fold(e, resolve)) {
    coefficient *= *c;
    return true;
  }
  auto species_of = [&](const Expr& x) -> std::int32_t {
    if (x.op != ExprOp::Symbol) return -1;
    const SymbolMeaning m = resolve(x.symbol);
    return m.kind == Kind::Species ? m.index : -1;
  };
  switch (e.op) {
    case ExprOp::Mul:
      for (const Expr& a : e.args)
        if (!collect_factors(a, resolve, coefficient, offsets)) return false;
      return true;
    case ExprOp::Div: {
      auto d = fold(e.args[1], resolve);
      if (!d || *d == 0.0) return false;
      coefficient /= *d;
      return collect_factors(e.args[0], resolve, coefficient, offsets);
    }
    case ExprOp::Symbol: {
      const std::int32_t s = species_of(e);
      if (s < 0) return false;
      offsets[s].push_back(0);
      return true;
    }
    case ExprOp::Sub: {  // x - c
      const std::int32_t s = species_of(e.args[0]);
      auto c = fold(e.args[1], resolve);
      if (s < 0 || !c || !is_positive_integer(*c)) return false;
      offsets[s].push_back(static_cast<std::int32_t>(*c));
      return true;
    }
    case ExprOp::Add: {  // x + (-c) or (-c) + x
      if (e.args.size() != 2) return false;
      for (int i = 0; i < 2; ++i) {
        const std::int32_t s = species_of(e.args[i]);
        auto c = fold(e.args[1 - i], resolve);
        if (s >= 0 && c && is_positive_integer(-*c)) {
          offsets[s].push_back(static_cast<std::int32_t>(-*c));
          return true;
        }
      }
      return false;
    }
    case ExprOp::Pow: {  // x^1
      const std::int32_t s = species_of(e.args[0]);
      auto c = fold(e.args[1], resolve);
      if (s < 0 || !c || *c != 1.0) return false;
      offsets[s].push_back(0);
      return true;
    }
    default:
      return false;
  }
}

struct Emitter {
  const SymbolResolver& resolve;
  const std::string& element;
  const std::string& element_id;
  const std::string& file;
  int line;
  std::vector<Instruction> code;
  int depth = 0;
  int max_depth = 0;

  void push(Instruction ins) {
    code.push_back(ins);
    ++depth;
    max_depth = std::max(max_depth, depth);
  }
  void op(OpCode o, int pops) {
    code.push_back(Instruction{o, 0, 0.0});
    depth -= pops - 1;
  }

  void emit(const Expr& e) {
    if (e.op == ExprOp::RateOf)  // engine/network/rules.cpp replaces it before compiling
      throw InputError(file, line, element, element_id,
                       "rateOf(" + e.symbol + ") is not supported here");
    if (e.op == ExprOp::Delay)  // likewise
      throw InputError(file, line, element, element_id, "delay() is not supported here");
    if (auto c = fold(e, resolve); c && e.op != ExprOp::Piecewise) {
      push(Instruction{OpCode::Constant, 0, *c});
      return;
    }
    switch (e.op) {
      case ExprOp::Number:
        push(Instruction{OpCode::Constant, 0, e.number});
        return;
      case ExprOp::Time:
        push(Instruction{OpCode::Time, 0, 0.0});
        return;
      case ExprOp::Symbol: {
        const SymbolMeaning m = resolve(e.symbol);
        switch (m.kind) {
          case Kind::Species:
            push(Instruction{OpCode::Species, m.index, 0.0});
            return;
          case Kind::Constant:
            push(Instruction{OpCode::Constant, 0, m.value});
            return;
          case Kind::VariableParameter:
            push(Instruction{OpCode::Parameter, m.index, 0.0});
            return;
          case Kind::Unknown:
            throw InputError(file, line, element, element_id, "unknown symbol '" + e.symbol + "'");
        }
        return;
      }
      case ExprOp::Piecewise: {
        // Nested selects from the last branch backwards; without `otherwise` the value is NaN
        // when no condition holds (SBML leaves it undefined).
        const std::size_t pairs = e.args.size() / 2;
        if (e.args.size() % 2 == 1)
          emit(e.args.back());
        else
          push(Instruction{OpCode::Constant, 0, std::nan("")});
        for (std::size_t i = pairs; i-- > 0;) {
          emit(e.args[2 * i]);      // value when the condition holds
          emit(e.args[2 * i + 1]);  // condition
          code.push_back(Instruction{OpCode::Select, 0, 0.0});
          depth -= 2;
        }
        return;
      }
      case ExprOp::Draw: {
        const int kind = distribution_index(e.symbol);
        if (kind < 0)
          throw InputError(file, line, element, element_id,
                           "unknown distribution '" + e.symbol + "'");
        const DistributionInfo& d = kDistributions[kind];
        const auto n = static_cast<std::size_t>(d.parameters);
        if (e.args.size() != n && e.args.size() != n + 2)
          throw InputError(file, line, element, element_id,
                           std::string("'") + d.name + "' takes " + std::to_string(n) + " (" +
                               d.meaning + ") or " + std::to_string(n + 2) +
                               " (with truncation bounds) arguments, got " +
                               std::to_string(e.args.size()));
        for (std::size_t i = 0; i < n; ++i) emit(e.args[i]);
        if (n == 1) push(Instruction{OpCode::Constant, 0, 0.0});
        if (e.args.size() == n + 2) {
          emit(e.args[n]);
          emit(e.args[n + 1]);
        } else {
          push(Instruction{OpCode::Constant, 0, -std::numeric_limits<double>::infinity()});
          push(Instruction{OpCode::Constant, 0, std::numeric_limits<double>::infinity()});
        }
        code.push_back(Instruction{OpCode::Draw, kind, 0.0});
        depth -= 3;
        return;
      }
      default:
        break;
    }

    const OpCode o = opcode_for(e.op);
    const int arity = expr_arity(e.op);
    if (arity >= 0 && static_cast<int>(e.args.size()) != arity)
      throw InputError(file, line, element, element_id,
                       std::string("'") + expr_op_name(e.op) + "' takes " + std::to_string(arity) +
                           " argument(s)");
    if (e.args.empty())
      throw InputError(file, line, element, element_id,
                       std::string("'") + expr_op_name(e.op) + "' without arguments");
    emit(e.args[0]);
    if (arity == 1) {
      op(o, 1);
      return;
    }
    if (e.args.size() == 1 && (o == OpCode::And || o == OpCode::Or || o == OpCode::Xor)) {
      // A logical operator of one argument is its truth value (1 or 0), not the argument.
      push(Instruction{OpCode::Constant, 0, 0.0});
      op(OpCode::Neq, 2);
      return;
    }
    for (std::size_t i = 1; i < e.args.size(); ++i) {
      emit(e.args[i]);
      op(o, 2);
    }
  }
};

bool is_relation(ExprOp op) {
  return op == ExprOp::Lt || op == ExprOp::Leq || op == ExprOp::Gt || op == ExprOp::Geq;
}

// e = offset + slope * time, offset not reading time, slope a constant.
struct AffineInTime {
  Expr offset;
  double slope = 0.0;
};

std::optional<AffineInTime> affine_in_time(const Expr& e, const SymbolResolver& resolve) {
  if (!reads_time(e)) return AffineInTime{e, 0.0};
  switch (e.op) {
    case ExprOp::Time:
      return AffineInTime{Expr::constant(0.0), 1.0};
    case ExprOp::Add:
    case ExprOp::Sub: {
      if (e.op == ExprOp::Sub && e.args.size() != 2) return std::nullopt;
      AffineInTime sum{Expr::constant(0.0), 0.0};
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        auto a = affine_in_time(e.args[i], resolve);
        if (!a) return std::nullopt;
        const bool minus = e.op == ExprOp::Sub && i == 1;
        sum.offset = minus ? sum.offset - a->offset : sum.offset + a->offset;
        sum.slope += minus ? -a->slope : a->slope;
      }
      return sum;
    }
    case ExprOp::Neg: {
      auto a = affine_in_time(e.args[0], resolve);
      if (!a) return std::nullopt;
      return AffineInTime{Expr::call(ExprOp::Neg, {a->offset}), -a->slope};
    }
    case ExprOp::Mul:
    case ExprOp::Div: {
      // One factor reads time; the others are constants.
      double scale = 1.0;
      std::optional<AffineInTime> timed;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (reads_time(e.args[i])) {
          if (timed || (e.op == ExprOp::Div && i > 0)) return std::nullopt;
          timed = affine_in_time(e.args[i], resolve);
          if (!timed) return std::nullopt;
          continue;
        }
        auto c = fold(e.args[i], resolve);
        if (!c || *c == 0.0) return std::nullopt;
        scale = e.op == ExprOp::Div ? scale / *c : scale * *c;
      }
      return AffineInTime{Expr::constant(scale) * timed->offset, scale * timed->slope};
    }
    default:
      return std::nullopt;
  }
}

// The times at which a trigger can change value between reaction events: where a comparison
// of time with something else switches. Fixed breakpoints: time compared with a constant (or
// an affine function of time with a constant). Moving breakpoints: an affine function of time
// compared with an expression of variable parameters (e.g. p' + time >= 0.5 for a clock
// parameter, engine/network/rules.hpp); their time -offset/slope changes only when an event
// changes a parameter. False when time appears anywhere else (e.g. sin(time)) or next to a
// species, where the switching time could not be located exactly.
bool collect_breakpoints(const Expr& e, const SymbolResolver& resolve, std::vector<double>& out,
                         std::vector<AffineInTime>& moving) {
  if (e.op == ExprOp::Time) return false;
  if (is_relation(e.op) && e.args.size() == 2 && reads_time(e)) {
    for (int i = 0; i < 2; ++i) {
      if (e.args[i].op != ExprOp::Time) continue;
      if (auto c = fold(e.args[1 - i], resolve)) {
        out.push_back(*c);
        return true;
      }
    }
    auto a = affine_in_time(e.args[0] - e.args[1], resolve);
    if (!a || a->slope == 0.0 || !std::isfinite(a->slope)) return false;
    if (auto c = fold(a->offset, resolve)) {
      out.push_back(-*c / a->slope);
      return true;
    }
    for (const std::string& symbol : symbols_of(a->offset))
      if (resolve(symbol).kind == Kind::Species) return false;
    if (has_draw(a->offset)) return false;
    moving.push_back(*a);
    return true;
  }
  for (const Expr& a : e.args)
    if (!collect_breakpoints(a, resolve, out, moving)) return false;
  return true;
}

std::int32_t compile_program(const Expr& e, const SymbolResolver& resolve,
                             const std::string& element, const std::string& id,
                             const std::string& file, int line, RateProgram& programs) {
  Emitter emitter{resolve, element, id, file, line, {}, 0, 0};
  emitter.emit(e);
  if (emitter.max_depth > RateProgram::kMaxStack)
    throw InputError(file, line, element, id, "expression is nested too deeply to evaluate");
  return programs.add(emitter.code, emitter.max_depth);
}

}  // namespace

std::optional<double> fold_constant(const Expr& e, const SymbolResolver& resolve) {
  return fold(e, resolve);
}

std::optional<MassActionForm> classify_mass_action(const Expr& law, const SymbolResolver& resolve) {
  double coefficient = 1.0;
  std::map<std::int32_t, std::vector<std::int32_t>> offsets;
  if (!collect_factors(law, resolve, coefficient, offsets)) return std::nullopt;
  if (!std::isfinite(coefficient) || coefficient < 0.0) return std::nullopt;
  MassActionForm form;
  form.coefficient = coefficient;
  for (auto& [species, list] : offsets) {
    std::sort(list.begin(), list.end());
    for (std::size_t j = 0; j < list.size(); ++j)
      if (list[j] != static_cast<std::int32_t>(j)) return std::nullopt;
    form.factors.emplace_back(species, static_cast<std::int32_t>(list.size()));
  }
  return form;
}

RateProgram compile_expressions(const ReactionNetwork& net, const ModelDescription& model,
                                const std::vector<std::pair<std::string, Expr>>& exprs,
                                const std::string& element) {
  SymbolResolver resolve = [&](const std::string& id) -> SymbolMeaning {
    if (const std::int32_t s = net.species_index(id); s >= 0) return {Kind::Species, s, 0.0};
    auto p = std::find(net.parameter_ids.begin(), net.parameter_ids.end(), id);
    if (p != net.parameter_ids.end())
      return {Kind::VariableParameter, static_cast<std::int32_t>(p - net.parameter_ids.begin()),
              0.0};
    if (const ParameterDesc* c = model.find_parameter(id)) return {Kind::Constant, -1, c->value};
    if (const CompartmentDesc* c = model.find_compartment(id)) return {Kind::Constant, -1, c->size};
    return {};
  };
  RateProgram programs;
  for (const auto& [id, expr] : exprs)
    compile_program(expr, resolve, element, id, model.source_file, 0, programs);
  return programs;
}

bool ReactionNetwork::any_time_dependent() const {
  return std::any_of(time_dependent.begin(), time_dependent.end(), [](auto t) { return t != 0; });
}

bool ReactionNetwork::all_mass_action() const {
  return std::all_of(rate_kind.begin(), rate_kind.end(),
                     [](RateKind k) { return k == RateKind::MassAction; });
}

std::int32_t ReactionNetwork::species_index(const std::string& id) const {
  auto it = std::find(species_ids.begin(), species_ids.end(), id);
  return it == species_ids.end() ? -1 : static_cast<std::int32_t>(it - species_ids.begin());
}

std::int32_t ReactionNetwork::reaction_index(const std::string& id) const {
  auto it = std::find(reaction_ids.begin(), reaction_ids.end(), id);
  return it == reaction_ids.end() ? -1 : static_cast<std::int32_t>(it - reaction_ids.begin());
}

std::int32_t ReactionNetwork::constant_index(const std::string& id) const {
  auto it = std::find(constant_ids.begin(), constant_ids.end(), id);
  return it == constant_ids.end() ? -1 : static_cast<std::int32_t>(it - constant_ids.begin());
}

ReactionNetwork compile(const ModelDescription& described) {
  const rules_detail::LoweredModel lowered = rules_detail::lower_rules(described);
  const ModelDescription& model = lowered.model;
  const std::string& file = model.source_file;
  ReactionNetwork net;
  net.source_file = model.source_file;
  net.model_id = model.id;
  net.ode_only = lowered.ode_only;

  std::unordered_map<std::string, std::int32_t> species_index;
  std::unordered_map<std::string, double> constants;
  std::unordered_map<std::string, std::int32_t> variable_parameters;
  std::set<std::string> seen;
  auto claim = [&](const std::string& id, const char* what, int line) {
    if (id.empty()) throw InputError(file, line, what, "", "empty id");
    if (!seen.insert(id).second)
      throw InputError(file, line, what, id, "id is used by more than one element");
  };

  // A compartment set by an assignment rule keeps its t = 0 size here; its readers have the
  // rule substituted, but its size changes, so it is no constant for output.
  auto ruled = [&](const std::string& id) {
    return std::any_of(described.assignment_rules.begin(), described.assignment_rules.end(),
                       [&](const RuleDesc& r) { return r.target == id; });
  };
  for (const CompartmentDesc& c : model.compartments) {
    claim(c.id, "compartment", c.where.line);
    constants[c.id] = c.size;
    if (!ruled(c.id)) {
      net.constant_ids.push_back(c.id);
      net.constant_values.push_back(c.size);
    }
  }
  for (const ParameterDesc& p : model.parameters) {
    claim(p.id, "parameter", p.where.line);
    if (p.constant) {
      constants[p.id] = p.value;
      net.constant_ids.push_back(p.id);
      net.constant_values.push_back(p.value);
    } else {
      variable_parameters[p.id] = static_cast<std::int32_t>(net.parameter_ids.size());
      net.parameter_ids.push_back(p.id);
      net.initial_parameters.push_back(p.value);
    }
  }
  for (const SpeciesDesc& s : model.species) {
    claim(s.id, "species", s.where.line);
    if (!std::isfinite(s.initial_amount) || (s.initial_amount < 0.0 && !s.rate_rule))
      throw InputError(file, s.where.line, "species", s.id,
                       "initial amount must be a finite non-negative number");
    species_index[s.id] = static_cast<std::int32_t>(net.species_ids.size());
    net.species_ids.push_back(s.id);
    net.initial_counts.push_back(s.initial_amount);
    net.species_fixed.push_back(s.boundary || s.constant ? 1 : 0);
  }

  const auto n_species = static_cast<std::int32_t>(net.species_ids.size());
  // SBML conversion factors scale every change a reaction makes to the species (not a rate
  // rule's). A factor that changes in time would make the net change vary: refused.
  std::vector<double> conversion_factor(net.species_ids.size(), 1.0);
  for (std::size_t i = 0; i < model.species.size(); ++i) {
    const SpeciesDesc& s = model.species[i];
    if (s.conversion_factor.empty()) continue;
    auto it = constants.find(s.conversion_factor);
    if (it == constants.end())
      throw InputError(file, s.where.line, "species", s.id,
                       "conversion factor '" + s.conversion_factor +
                           "' is not a constant parameter (a varying factor is not supported)");
    conversion_factor[i] = it->second;
  }
  std::vector<std::tuple<std::int32_t, std::int32_t, std::int32_t>> reader_entries;
  std::vector<std::vector<std::int32_t>> changed(model.reactions.size());

  for (std::size_t ri = 0; ri < model.reactions.size(); ++ri) {
    const ReactionDesc& r = model.reactions[ri];
    const int line = r.where.line;
    claim(r.id, "reaction", line);
    const auto reaction = static_cast<std::int32_t>(ri);
    net.reaction_ids.push_back(r.id);
    net.law_text.push_back(to_string(r.propensity));

    std::unordered_map<std::string, double> locals;
    for (const ParameterDesc& p : r.local_parameters) locals[p.id] = p.value;
    SymbolResolver resolve = [&](const std::string& id) -> SymbolMeaning {
      if (auto it = locals.find(id); it != locals.end()) return {Kind::Constant, -1, it->second};
      if (auto it = species_index.find(id); it != species_index.end())
        return {Kind::Species, it->second, 0.0};
      if (auto it = constants.find(id); it != constants.end())
        return {Kind::Constant, -1, it->second};
      if (auto it = variable_parameters.find(id); it != variable_parameters.end())
        return {Kind::VariableParameter, it->second, 0.0};
      return {};
    };

    // Stoichiometry.
    std::map<std::int32_t, double> change;
    std::vector<std::int32_t> consumed_index;
    std::vector<double> consumed_amount;
    auto species_ref = [&](const SpeciesRef& ref) {
      auto it = species_index.find(ref.species);
      if (it == species_index.end())
        throw InputError(file, line, "reaction", r.id, "unknown species '" + ref.species + "'");
      if (!std::isfinite(ref.stoichiometry))
        throw InputError(file, line, "reaction", r.id,
                         "stoichiometry of '" + ref.species + "' must be a finite number");
      // SBML allows it (a reactant with -1 is a product); the net change stays exact in the ODE
      // path, but the stochastic methods read reactant stoichiometries as amounts consumed.
      if (ref.stoichiometry < 0.0 && net.ode_only.problem.empty())
        net.ode_only = {"reaction", r.id, "a negative stoichiometry ('" + ref.species + "')"};
      return it->second;
    };
    for (const SpeciesRef& ref : r.reactants) {
      const std::int32_t s = species_ref(ref);
      change[s] -= ref.stoichiometry;
      consumed_index.push_back(s);
      consumed_amount.push_back(ref.stoichiometry);
    }
    for (const SpeciesRef& ref : r.products) change[species_ref(ref)] += ref.stoichiometry;
    for (const std::string& m : r.modifiers)
      if (!species_index.count(m))
        throw InputError(file, line, "reaction", r.id, "unknown modifier species '" + m + "'");
    std::vector<std::int32_t> net_index;
    std::vector<double> net_value;
    for (auto& [s, v] : change) {
      if (!r.rate_rule) v *= conversion_factor[static_cast<std::size_t>(s)];
      if (v == 0.0 || net.species_fixed[s]) continue;
      net_index.push_back(s);
      net_value.push_back(v);
    }
    net.net_change.push_row(net_index, net_value);
    net.reactant_stoichiometry.push_row(consumed_index, consumed_amount);
    changed[ri] = net_index;

    // Rate law.
    if (has_draw(r.propensity))
      throw InputError(file, line, "reaction", r.id,
                       "a random draw (SBML 'distrib') in a rate law is not supported");
    net.rate_rule.push_back(r.rate_rule ? 1 : 0);
    for (const std::string& id : symbols_of(r.propensity))
      if (resolve(id).kind == Kind::Unknown)
        throw InputError(file, line, "reaction", r.id,
                         "unknown symbol '" + id + "' in the rate law");
    net.time_dependent.push_back(reads_time(r.propensity) ? 1 : 0);
    std::vector<std::int32_t> reads;
    if (auto form = classify_mass_action(r.propensity, resolve)) {
      net.rate_kind.push_back(RateKind::MassAction);
      net.rate_constant.push_back(form->coefficient);
      std::vector<std::int32_t> idx;
      std::vector<std::int32_t> mult;
      for (const auto& [s, m] : form->factors) {
        idx.push_back(s);
        mult.push_back(m);
        reads.push_back(s);
      }
      net.law_factors.push_row(idx, mult);
      std::array<std::int32_t, 3> sp{-1, -1, -1};
      MassActionShape shape = MassActionShape::General;
      const auto& f = form->factors;
      if (f.empty()) {
        shape = MassActionShape::Order0;
      } else if (f.size() == 1 && f[0].second <= 3) {
        sp[0] = f[0].first;
        shape = f[0].second == 1   ? MassActionShape::X
                : f[0].second == 2 ? MassActionShape::XX
                                   : MassActionShape::XXX;
      } else if (f.size() == 2 && f[0].second == 1 && f[1].second == 1) {
        sp = {f[0].first, f[1].first, -1};
        shape = MassActionShape::XY;
      } else if (f.size() == 2 && f[0].second + f[1].second == 3) {
        const bool first_twice = f[0].second == 2;
        sp = {first_twice ? f[0].first : f[1].first, first_twice ? f[1].first : f[0].first, -1};
        shape = MassActionShape::XXY;
      } else if (f.size() == 3 && f[0].second == 1 && f[1].second == 1 && f[2].second == 1) {
        sp = {f[0].first, f[1].first, f[2].first};
        shape = MassActionShape::XYZ;
      }
      net.propensity_terms.push_back(PropensityTerm{form->coefficient, sp, -1, shape});
    } else {
      static const std::string kReaction = "reaction";
      Emitter emitter{resolve, kReaction, r.id, file, line, {}, 0, 0};
      emitter.emit(r.propensity);
      if (emitter.max_depth > RateProgram::kMaxStack)
        throw InputError(file, line, "reaction", r.id,
                         "rate law is nested too deeply to evaluate (stack depth " +
                             std::to_string(emitter.max_depth) + ")");
      net.rate_kind.push_back(RateKind::Program);
      net.rate_constant.push_back(0.0);
      const std::int32_t program = net.programs.add(emitter.code, emitter.max_depth);
      net.propensity_terms.push_back(
          PropensityTerm{0.0, {-1, -1, -1}, program, MassActionShape::Program});
      net.law_factors.push_row(std::span<const std::int32_t>{});
      for (const std::string& id : symbols_of(r.propensity)) {
        const SymbolMeaning m = resolve(id);
        if (m.kind == Kind::Species) reads.push_back(m.index);
      }
    }
    std::sort(reads.begin(), reads.end());
    reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
    for (std::int32_t s : reads) reader_entries.emplace_back(s, reaction, 0);
  }

  // Events, read in the model's global scope.
  SymbolResolver global = [&](const std::string& id) -> SymbolMeaning {
    if (auto it = species_index.find(id); it != species_index.end())
      return {Kind::Species, it->second, 0.0};
    if (auto it = constants.find(id); it != constants.end())
      return {Kind::Constant, -1, it->second};
    if (auto it = variable_parameters.find(id); it != variable_parameters.end())
      return {Kind::VariableParameter, it->second, 0.0};
    return {};
  };
  for (std::size_t ei = 0; ei < model.events.size(); ++ei) {
    const EventDesc& ev = model.events[ei];
    const int line = ev.where.line;
    const std::string id = ev.id.empty() ? "#" + std::to_string(ei + 1) : ev.id;
    if (!ev.id.empty()) claim(ev.id, "event", line);
    NetworkEvent out;
    out.id = id;
    out.initial_value = ev.initial_value;
    std::vector<AffineInTime> moving;
    if (!collect_breakpoints(ev.trigger, global, out.breakpoints, moving)) {
      out.breakpoints.clear();
      moving.clear();
      out.time_roots = true;
      out.reads_state = true;
      if (net.ode_only.problem.empty())
        net.ode_only = {"event", id,
                        "a trigger that reads time other than by comparing it with a constant "
                        "(its switching times are found by root finding)"};
    }
    std::sort(out.breakpoints.begin(), out.breakpoints.end());
    out.breakpoints.erase(std::unique(out.breakpoints.begin(), out.breakpoints.end()),
                          out.breakpoints.end());
    for (const std::string& symbol : symbols_of(ev.trigger)) {
      const SymbolMeaning m = global(symbol);
      if (m.kind == Kind::Unknown)
        throw InputError(file, line, "event", id, "unknown symbol '" + symbol + "' in the trigger");
      if (m.kind == Kind::Species || m.kind == Kind::VariableParameter) out.reads_state = true;
    }
    if (has_draw(ev.trigger))
      throw InputError(file, line, "event", id,
                       "a random draw (SBML 'distrib') in a trigger is not supported");
    out.trigger_program =
        compile_program(ev.trigger, global, "event", id, file, line, net.programs);
    out.persistent = ev.persistent;
    out.use_values_from_trigger_time = ev.use_values_from_trigger_time;
    for (const auto& [present, expr, what, program] :
         {std::tuple{ev.has_delay, &ev.delay, "delay", &out.delay_program},
          std::tuple{ev.has_priority, &ev.priority, "priority", &out.priority_program}}) {
      if (!present) continue;
      for (const std::string& symbol : symbols_of(*expr))
        if (global(symbol).kind == Kind::Unknown)
          throw InputError(file, line, "event", id,
                           "unknown symbol '" + symbol + "' in the " + what);
      if (has_draw(*expr))
        throw InputError(
            file, line, "event", id,
            std::string("a random draw (SBML 'distrib') in the ") + what + " is not supported");
      *program = compile_program(*expr, global, "event", id, file, line, net.programs);
    }
    for (const AffineInTime& a : moving)
      out.moving_breakpoints.push_back(NetworkEvent::MovingBreakpoint{
          compile_program(a.offset, global, "event", id, file, line, net.programs), a.slope});
    for (const EventAssignmentDesc& a : ev.assignments) {
      const SymbolMeaning target = global(a.target);
      NetworkEvent::Assignment assignment;
      if (target.kind == Kind::Species) {
        assignment.to_species = true;
      } else if (target.kind == Kind::VariableParameter) {
        assignment.to_species = false;
      } else if (model.find_parameter(a.target) != nullptr) {
        throw InputError(file, line, "event", id,
                         "assigns to parameter '" + a.target + "', which is constant");
      } else {
        throw InputError(file, line, "event", id,
                         "assigns to '" + a.target + "', which is not a species or a parameter");
      }
      assignment.index = target.index;
      for (const std::string& symbol : symbols_of(a.value))
        if (global(symbol).kind == Kind::Unknown)
          throw InputError(
              file, line, "event", id,
              "unknown symbol '" + symbol + "' in the assignment to '" + a.target + "'");
      assignment.value_program =
          compile_program(a.value, global, "event", id, file, line, net.programs);
      assignment.draws = has_draw(a.value);
      assignment.clock_rate = a.clock_rate;
      if (a.scaled_at_execution) {
        for (const std::string& symbol : symbols_of(a.execution_factor))
          if (global(symbol).kind == Kind::Unknown)
            throw InputError(file, line, "event", id,
                             "unknown symbol '" + symbol + "' in the size of the compartment of '" +
                                 a.target + "'");
        assignment.factor_program =
            compile_program(a.execution_factor, global, "event", id, file, line, net.programs);
      }
      out.assignments.push_back(assignment);
    }
    net.events.push_back(std::move(out));
  }

  // Assignment rules: their targets' values, for output.
  for (const RuleDesc& rule : lowered.outputs) {
    const SymbolMeaning target = global(rule.target);
    if (target.kind != Kind::Species && target.kind != Kind::VariableParameter) continue;
    for (const std::string& symbol : symbols_of(rule.value))
      if (global(symbol).kind == Kind::Unknown)
        throw InputError(file, rule.where.line, "assignment rule", rule.target,
                         "unknown symbol '" + symbol + "'");
    net.assigned.push_back(ReactionNetwork::AssignedValue{
        target.kind == Kind::Species, target.index,
        compile_program(rule.value, global, "assignment rule", rule.target, file, rule.where.line,
                        net.programs)});
  }

  // delay(x, d): the parameter standing for it, and x and d as programs for the ODE path.
  for (const RuleDesc& d : lowered.delayed) {
    const Expr& x = d.value.args.at(0);
    const Expr& lag = d.value.args.at(1);
    const Expr& history = d.value.args.size() > 2 ? d.value.args[2] : x;
    for (const Expr* part : {&x, &lag, &history})
      for (const std::string& symbol : symbols_of(*part))
        if (global(symbol).kind == Kind::Unknown)
          throw InputError(file, 0, "delay", d.target, "unknown symbol '" + symbol + "'");
    const std::optional<double> constant_lag = fold(lag, global);
    if (constant_lag && !(*constant_lag >= 0.0))
      throw InputError(file, 0, "delay", d.target, "the delay must not be negative");
    net.delayed.push_back(ReactionNetwork::DelayedValue{
        variable_parameters.at(d.target),
        compile_program(x, global, "delay", d.target, file, 0, net.programs),
        compile_program(lag, global, "delay", d.target, file, 0, net.programs),
        constant_lag ? *constant_lag : std::nan(""),
        compile_program(history, global, "delay", d.target, file, 0, net.programs)});
  }

  for (std::size_t i = 0; i < lowered.algebraic_rules.size(); ++i) {
    const RuleDesc& rule = lowered.algebraic_rules[i];
    for (const std::string& symbol : symbols_of(rule.value))
      if (global(symbol).kind == Kind::Unknown)
        throw InputError(file, rule.where.line, "algebraic rule", rule.target,
                         "unknown symbol '" + symbol + "'");
    const SymbolMeaning variable = global(lowered.algebraic_variables[i]);
    if (variable.kind != Kind::Species && variable.kind != Kind::VariableParameter)
      throw InputError(file, rule.where.line, "algebraic rule", rule.target,
                       "'" + lowered.algebraic_variables[i] + "' cannot be its variable");
    net.algebraic.push_back(ReactionNetwork::AlgebraicRule{
        rule.target,
        compile_program(rule.value, global, "algebraic rule", rule.target, file, rule.where.line,
                        net.programs),
        variable.kind == Kind::Species, variable.index});
  }

  // species -> reactions reading it; reaction -> reactions it affects.
  auto readers = csr_from_entries<std::int32_t>(n_species, reader_entries);
  for (auto& v : readers.value) v = 0;
  net.species_readers = readers;
  for (std::size_t ri = 0; ri < changed.size(); ++ri) {
    std::vector<std::int32_t> affected;
    for (std::int32_t s : changed[ri]) {
      auto row = net.species_readers.row_index(s);
      affected.insert(affected.end(), row.begin(), row.end());
    }
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
    net.affects.push_row(affected);
  }
  return net;
}

}  // namespace nkappa

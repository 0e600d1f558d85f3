#include "engine/network/rules.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"

namespace nkappa::rules_detail {

namespace {

using Kind = SymbolMeaning::Kind;

Expr with_time(const Expr& e, const Expr& t) {
  if (e.op == ExprOp::Time) return t;
  Expr out = e;
  for (Expr& a : out.args) a = with_time(a, t);
  return out;
}

// At t = 0, delay(x, d) is x's history form (its third argument, see DerivativeExpansion) at
// time -d; without one, x: before t0 the history of every variable is then its initial value.
Expr replace_time(const Expr& e, double t) {
  if (e.op == ExprOp::Time) return Expr::constant(t);
  if (e.op == ExprOp::Delay && t == 0.0 && !e.args.empty()) {
    const bool zero_lag =
        e.args.size() > 1 && e.args[1].op == ExprOp::Number && e.args[1].number == 0.0;
    if (e.args.size() > 2 && !zero_lag)
      return replace_time(with_time(e.args[2], Expr::constant(0.0) - e.args[1]), t);
    return replace_time(e.args[0], t);
  }
  Expr out = e;
  for (Expr& a : out.args) a = replace_time(a, t);
  return out;
}

// A reaction's law readable outside the reaction: its local parameters by value.
Expr law_with_locals(const ReactionDesc& r) {
  Expr law = r.propensity;
  for (const ParameterDesc& p : r.local_parameters)
    law = substitute(law, p.id, Expr::constant(p.value));
  return law;
}

// Reaction ids and rateOf(X) in math replaced by what they mean (see the header).
class DerivativeExpansion {
 public:
  explicit DerivativeExpansion(ModelDescription& m) : m_(m) {
    for (const ReactionDesc& r : m_.reactions) laws_[r.id] = law_with_locals(r);
  }

  void run(ReactionNetwork::OdeOnly& ode_only) {
    auto fix = [&](Expr& e, const char* element, const std::string& id, int line,
                   const std::set<std::string>& locals) {
      if (ode_only.problem.empty() && has_rate_of(e)) ode_only = {element, id, "rateOf() in math"};
      e = expand(e, locals, Where{element, id, line}, 0);
    };
    for (ReactionDesc& r : m_.reactions) {
      std::set<std::string> locals;
      for (const ParameterDesc& p : r.local_parameters) locals.insert(p.id);
      fix(r.propensity, "reaction", r.id, r.where.line, locals);
    }
    for (EventDesc& e : m_.events) {
      fix(e.trigger, "event", e.id, e.where.line, {});
      if (e.has_delay) fix(e.delay, "event", e.id, e.where.line, {});
      if (e.has_priority) fix(e.priority, "event", e.id, e.where.line, {});
      for (EventAssignmentDesc& a : e.assignments) {
        fix(a.value, "event", e.id, e.where.line, {});
        if (a.scaled_at_execution) fix(a.execution_factor, "event", e.id, e.where.line, {});
      }
    }
    for (RuleDesc& r : m_.initial_assignments)
      fix(r.value, "initial assignment", r.target, r.where.line, {});
    for (RuleDesc& r : m_.assignment_rules)
      fix(r.value, "assignment rule", r.target, r.where.line, {});
    for (RuleDesc& r : m_.rate_rules) fix(r.value, "rate rule", r.target, r.where.line, {});
    for (RuleDesc& r : m_.algebraic_rules)
      fix(r.value, "algebraic rule", r.target, r.where.line, {});
  }

 private:
  struct Where {
    const char* element;
    const std::string& id;
    int line;
  };

  Expr expand(const Expr& e, const std::set<std::string>& locals, const Where& where, int depth) {
    if (depth > 64)
      throw InputError(m_.source_file, where.line, where.element, where.id,
                       "reaction rates and rateOf() read each other in a cycle");
    if (e.op == ExprOp::Symbol && !locals.count(e.symbol))
      if (auto it = laws_.find(e.symbol); it != laws_.end())
        return expand(it->second, {}, where, depth + 1);
    if (e.op == ExprOp::RateOf) {
      if (locals.count(e.symbol)) return Expr::constant(0.0);  // a local parameter is constant
      return expand(rate_of(e.symbol, where), {}, where, depth + 1);
    }
    Expr out = e;
    for (Expr& a : out.args) a = expand(a, locals, where, depth);
    // delay(x, d) gains a third argument: x before t0, where x(t - d) comes from the history.
    if (e.op == ExprOp::Delay && e.args.size() == 2)
      out.args.push_back(expand(history_of(e.args[0], locals, 0), locals, where, depth));
    return out;
  }

  // x at a time before t0 (SBML Test Suite 00938, 01400): a variable with an initial
  // assignment has that assignment, read at that time, as its history, any other its initial
  // value; the history being constant in the state, rateOf is 0 there.
  Expr history_of(const Expr& x, const std::set<std::string>& locals, int depth) const {
    if (depth > 64) return x;  // a cycle of initial assignments: refused where they are valued
    if (x.op == ExprOp::RateOf) return Expr::constant(0.0);
    if (x.op == ExprOp::Delay && !x.args.empty()) return history_of(x.args[0], locals, depth);
    if (x.op == ExprOp::Symbol && !locals.count(x.symbol))
      for (const RuleDesc& r : m_.initial_assignments)
        if (r.target == x.symbol) return history_of(r.value, {}, depth + 1);
    Expr out = x;
    for (Expr& a : out.args) a = history_of(a, locals, depth);
    return out;
  }

  Expr rate_of(const std::string& x, const Where& where) const {
    for (const RuleDesc& r : m_.assignment_rules)
      if (r.target == x)
        throw InputError(
            m_.source_file, where.line, where.element, where.id,
            "rateOf(" + x + ") of a variable set by an assignment rule is not supported");
    for (const RuleDesc& r : m_.rate_rules)
      if (r.target == x) return r.value;
    const SpeciesDesc* s = m_.find_species(x);
    if (s == nullptr && m_.find_parameter(x) == nullptr && m_.find_compartment(x) == nullptr)
      throw InputError(
          m_.source_file, where.line, where.element, where.id,
          "rateOf(" + x + "): '" + x + "' is not a species, a parameter or a compartment");
    Expr total = Expr::constant(0.0);
    if (s == nullptr || s->boundary || s->constant) return total;
    bool any = false;
    for (const ReactionDesc& r : m_.reactions) {
      if (r.rate_rule) continue;
      auto add = [&](const SpeciesRef& ref, double sign) {
        if (ref.species != x) return;
        Expr stoichiometry =
            ref.id.empty() ? Expr::constant(ref.stoichiometry) : Expr::name(ref.id);
        Expr term = Expr::constant(sign) * std::move(stoichiometry) * laws_.at(r.id);
        total = any ? std::move(total) + std::move(term) : std::move(term);
        any = true;
      };
      for (const SpeciesRef& ref : r.reactants) add(ref, -1.0);
      for (const SpeciesRef& ref : r.products) add(ref, 1.0);
    }
    if (any && !s->conversion_factor.empty()) total = Expr::name(s->conversion_factor) * total;
    return total;
  }

  ModelDescription& m_;
  std::map<std::string, Expr> laws_;
};

class Lowering {
 public:
  explicit Lowering(const ModelDescription& m, ReactionNetwork::OdeOnly ode_only)
      : in_(m), file_(m.source_file) {
    out_.ode_only = std::move(ode_only);
    out_.model = m;
    out_.model.initial_assignments.clear();
    out_.model.assignment_rules.clear();
    out_.model.rate_rules.clear();
  }

  LoweredModel run() {
    validate();
    initial_values();
    variable_compartments();
    constant_rate_rules();
    stoichiometry_symbols();
    substitute_assignment_rules();
    fast_reactions();
    match_algebraic_rules();
    pseudo_reactions();
    delayed_values();
    return std::move(out_);
  }

 private:
  [[noreturn]] void refuse(const char* what, const RuleDesc& r, const std::string& problem) const {
    throw InputError(file_, r.where.line, what, r.target, problem);
  }

  void validate() {
    std::set<std::string> initial, assigned, rated;
    auto check_target = [&](const char* what, const RuleDesc& r) {
      const SpeciesDesc* s = in_.find_species(r.target);
      const ParameterDesc* p = in_.find_parameter(r.target);
      const CompartmentDesc* c = in_.find_compartment(r.target);
      if (!s && !p && !c)
        refuse(what, r, "'" + r.target + "' is not a species, a parameter or a compartment");
      if (has_draw(r.value))
        refuse(what, r,
               std::string("a random draw (SBML 'distrib') in ") + what +
                   "s is not supported; draws are supported in event assignments");
    };
    for (const RuleDesc& r : in_.initial_assignments) {
      check_target("initial assignment", r);
      if (!initial.insert(r.target).second)
        refuse("initial assignment", r, "more than one initial assignment to this variable");
    }
    for (const RuleDesc& r : in_.assignment_rules) {
      check_target("assignment rule", r);
      if (!assigned.insert(r.target).second)
        refuse("assignment rule", r, "more than one assignment rule for this variable");
      if (initial.count(r.target))
        refuse("assignment rule", r, "the variable also has an initial assignment");
      refuse_if_constant("assignment rule", r);
    }
    for (const RuleDesc& r : in_.rate_rules) {
      check_target("rate rule", r);
      if (!rated.insert(r.target).second || assigned.count(r.target))
        refuse("rate rule", r, "the variable has more than one rule");
      refuse_if_constant("rate rule", r);
    }
    for (const EventDesc& e : in_.events)
      for (const EventAssignmentDesc& a : e.assignments) {
        if (assigned.count(a.target))
          throw InputError(file_, e.where.line, "event", e.id,
                           "assigns to '" + a.target + "', which an assignment rule sets");
        if (const CompartmentDesc* c = in_.find_compartment(a.target); c && c->constant)
          throw InputError(file_, e.where.line, "event", e.id,
                           "assigns to compartment '" + a.target + "', which is constant");
      }
    // A species set by a rule that a reaction also changes has two definitions.
    for (const RuleDesc& r : in_.assignment_rules) refuse_if_changed("an assignment rule", r);
    for (const RuleDesc& r : in_.rate_rules) refuse_if_changed("a rate rule", r);
  }

  void refuse_if_constant(const char* what, const RuleDesc& r) const {
    const ParameterDesc* p = in_.find_parameter(r.target);
    const SpeciesDesc* s = in_.find_species(r.target);
    if ((p && p->constant) || (s && s->constant))
      refuse(what, r, "'" + r.target + "' is declared constant");
  }

  void refuse_if_changed(const char* what, const RuleDesc& r) const {
    const SpeciesDesc* s = in_.find_species(r.target);
    if (!s) return;
    for (const ReactionDesc& reaction : in_.reactions) {
      double change = 0.0;
      bool listed = false;
      for (const SpeciesRef& x : reaction.reactants)
        if (x.species == r.target) change -= x.stoichiometry, listed = true;
      for (const SpeciesRef& x : reaction.products)
        if (x.species == r.target) change += x.stoichiometry, listed = true;
      if ((change != 0.0 && !s->boundary) ||
          (listed && !s->boundary && std::string(what) == "a rate rule"))
        throw InputError(
            file_, r.where.line, "species", r.target,
            std::string("is set by ") + what + " and changed by reaction '" + reaction.id + "'");
    }
  }

  // Initial assignments and assignment rules at t = 0, each variable once, in the order their
  // dependencies need.
  void initial_values() {
    std::map<std::string, const Expr*> defining;
    for (const RuleDesc& r : in_.initial_assignments) defining[r.target] = &r.value;
    for (const RuleDesc& r : in_.assignment_rules) defining[r.target] = &r.value;
    if (defining.empty()) return;
    std::map<std::string, double> known;
    std::vector<std::string> visiting;
    std::function<double(const std::string&, int)> value_of = [&](const std::string& id,
                                                                  int line) -> double {
      if (auto it = known.find(id); it != known.end()) return it->second;
      auto def = defining.find(id);
      if (def == defining.end()) {
        if (const SpeciesDesc* s = in_.find_species(id)) return s->initial_amount;
        if (const ParameterDesc* p = in_.find_parameter(id)) return p->value;
        if (const CompartmentDesc* c = in_.find_compartment(id)) return c->size;
        throw InputError(file_, line, "initial value", id, "unknown symbol '" + id + "'");
      }
      if (std::find(visiting.begin(), visiting.end(), id) != visiting.end()) {
        std::string cycle;
        for (const std::string& v : visiting) cycle += v + " -> ";
        throw InputError(file_, line, "initial value", id,
                         "initial assignments and assignment rules depend on each other in a "
                         "cycle: " +
                             cycle + id);
      }
      visiting.push_back(id);
      const Expr at_zero = replace_time(*def->second, 0.0);
      SymbolResolver resolve = [&](const std::string& symbol) -> SymbolMeaning {
        return {Kind::Constant, -1, value_of(symbol, line)};
      };
      const std::optional<double> v = fold_constant(at_zero, resolve);
      if (!v)
        throw InputError(file_, line, "initial value", id,
                         "cannot evaluate '" + to_string(*def->second) + "' at t = 0");
      visiting.pop_back();
      known[id] = *v;
      return *v;
    };
    auto apply = [&](const RuleDesc& r) {
      const double v = value_of(r.target, r.where.line);
      if (SpeciesDesc* s = out_.model.find_species(r.target)) s->initial_amount = v;
      if (ParameterDesc* p = out_.model.find_parameter(r.target)) p->value = v;
      if (CompartmentDesc* c = out_.model.find_compartment(r.target)) c->size = v;
    };
    for (const RuleDesc& r : in_.initial_assignments) apply(r);
    for (const RuleDesc& r : in_.assignment_rules) apply(r);
  }

  // A compartment whose size an event, an assignment rule or an algebraic rule sets becomes a
  // variable parameter (one a rate rule sets becomes ODE state in pseudo_reactions): the state
  // holds amounts, so a new size changes the concentrations and keeps the amounts (SBML L3V2
  // 4.12.4: an event's concentration values are converted with the size before the event).
  void variable_compartments() {
    ModelDescription& m = out_.model;
    auto target_of = [](const std::vector<RuleDesc>& rules, const std::string& id) {
      return std::any_of(rules.begin(), rules.end(),
                         [&](const RuleDesc& r) { return r.target == id; });
    };
    for (auto c = m.compartments.begin(); c != m.compartments.end();) {
      const std::string id = c->id;
      const EventDesc* assigning = nullptr;
      for (const EventDesc& e : in_.events)
        for (const EventAssignmentDesc& a : e.assignments)
          if (a.target == id && assigning == nullptr) assigning = &e;
      const bool in_algebraic_rule =
          !c->constant &&
          std::any_of(in_.algebraic_rules.begin(), in_.algebraic_rules.end(),
                      [&](const RuleDesc& r) {
                        const std::vector<std::string> read = symbols_of(r.value);
                        return std::find(read.begin(), read.end(), id) != read.end();
                      });
      if (target_of(in_.rate_rules, id) ||
          (!target_of(in_.assignment_rules, id) && assigning == nullptr && !in_algebraic_rule)) {
        ++c;
        continue;
      }
      // The stochastic reading of concentration laws (sbml/amounts.cpp) takes sizes as fixed.
      if (assigning != nullptr && out_.ode_only.problem.empty())
        out_.ode_only = {"event", assigning->id,
                         "an event assignment to the size of compartment '" + id + "'"};
      m.parameters.push_back(ParameterDesc{id, c->size, false, c->where});
      c = m.compartments.erase(c);
    }
  }

  // Constant parameters and compartments without rules, as constants for folding.
  SymbolResolver constant_symbols() {
    return [this](const std::string& id) -> SymbolMeaning {
      if (const ParameterDesc* p = out_.model.find_parameter(id); p && p->constant)
        return {Kind::Constant, -1, p->value};
      if (const CompartmentDesc* c = out_.model.find_compartment(id); c && !has_rule(id))
        return {Kind::Constant, -1, c->size};
      return {};
    };
  }

  // dp/dt = c, c a constant: p = p' + c time (see the header).
  void constant_rate_rules() {
    const SymbolResolver constants = constant_symbols();
    for (const RuleDesc& r : in_.rate_rules) {
      ParameterDesc* p = out_.model.find_parameter(r.target);
      const std::optional<double> rate = fold_constant(r.value, constants);
      // With delay() the variable must be state: before t = 0 it keeps its initial value, which
      // p' + c * time would not.
      if (p == nullptr || !rate || model_has_delay()) {
        remaining_rate_rules_.push_back(r);
        continue;
      }
      const std::string offset = r.target + "'";
      out_.model.parameters.push_back(ParameterDesc{offset, p->value, false, r.where});
      const Expr slope_time = Expr::constant(*rate) * Expr::time();
      assignment_rules_.push_back(RuleDesc{r.target, Expr::name(offset) + slope_time, r.where});
      for (EventDesc& e : out_.model.events)
        for (EventAssignmentDesc& a : e.assignments)
          if (a.target == r.target) {
            a.target = offset;
            a.clock_rate = *rate;
          }
    }
  }

  // Species-reference ids: a value fixed after t = 0 becomes the stoichiometry; a varying one a
  // pseudo-reaction (see the header).
  void stoichiometry_symbols() {
    const SymbolResolver constants = constant_symbols();
    auto assigned_by_event = [&](const std::string& id) {
      for (const EventDesc& e : in_.events)
        for (const EventAssignmentDesc& a : e.assignments)
          if (a.target == id) return true;
      return false;
    };
    std::vector<ReactionDesc> terms;
    for (ReactionDesc& r : out_.model.reactions) {
      if (r.rate_rule) continue;
      for (int side = 0; side < 2; ++side)
        for (SpeciesRef& ref : side == 0 ? r.reactants : r.products) {
          const ParameterDesc* p = ref.id.empty() ? nullptr : out_.model.find_parameter(ref.id);
          if (p == nullptr) continue;
          const bool evented = assigned_by_event(ref.id);
          const auto rule = std::find_if(in_.assignment_rules.begin(), in_.assignment_rules.end(),
                                         [&](const RuleDesc& a) { return a.target == ref.id; });
          const bool rated = std::any_of(in_.rate_rules.begin(), in_.rate_rules.end(),
                                         [&](const RuleDesc& a) { return a.target == ref.id; });
          std::optional<double> fixed;
          if (rule != in_.assignment_rules.end() && !evented)
            fixed = fold_constant(rule->value, constants);
          else if (rule == in_.assignment_rules.end() && !rated && !evented)
            fixed = p->value;
          if (fixed) {
            ref.stoichiometry = *fixed;
            continue;
          }
          ReactionDesc term;
          term.id = r.id + ":" + ref.id;
          term.products.push_back(SpeciesRef{ref.species, 1.0, ""});
          term.propensity =
              Expr::constant(side == 0 ? -1.0 : 1.0) * Expr::name(ref.id) * law_with_locals(r);
          term.where = r.where;
          terms.push_back(std::move(term));
          ref.stoichiometry = 0.0;
          if (out_.ode_only.problem.empty())
            out_.ode_only = {"reaction", r.id,
                             "a stoichiometry that varies in time ('" + ref.id + "')"};
        }
    }
    for (ReactionDesc& t : terms) out_.model.reactions.push_back(std::move(t));
  }

  // Every delay(x, d) becomes a variable parameter, the same one for the same x and d, that the
  // ODE path sets to x(time - d) before each evaluation (LoweredModel::delayed).
  void delayed_values() {
    std::function<Expr(const Expr&, const std::vector<ParameterDesc>&, const char*,
                       const std::string&)>
        lift = [&](const Expr& e, const std::vector<ParameterDesc>& locals, const char* element,
                   const std::string& id) -> Expr {
      Expr out = e;
      for (Expr& a : out.args) a = lift(a, locals, element, id);
      if (e.op != ExprOp::Delay) return out;
      for (const ParameterDesc& p : locals)
        for (Expr& a : out.args) a = substitute(a, p.id, Expr::constant(p.value));
      const std::string name = to_string(out);
      if (out_.ode_only.problem.empty()) out_.ode_only = {element, id, "delay() in math"};
      auto known = std::find_if(out_.delayed.begin(), out_.delayed.end(),
                                [&](const RuleDesc& r) { return r.target == name; });
      if (known == out_.delayed.end()) {
        out_.delayed.push_back(RuleDesc{name, out, {}});
        out_.model.parameters.push_back(ParameterDesc{name, 0.0, false, {}});
      }
      return Expr::name(name);
    };
    for (ReactionDesc& r : out_.model.reactions)
      r.propensity = lift(r.propensity, r.local_parameters, "reaction", r.id);
    for (EventDesc& e : out_.model.events) {
      e.trigger = lift(e.trigger, {}, "event", e.id);
      if (e.has_delay) e.delay = lift(e.delay, {}, "event", e.id);
      if (e.has_priority) e.priority = lift(e.priority, {}, "event", e.id);
      for (EventAssignmentDesc& a : e.assignments) a.value = lift(a.value, {}, "event", e.id);
    }
    for (RuleDesc& r : out_.outputs) r.value = lift(r.value, {}, "assignment rule", r.target);
  }

  bool model_has_delay() const {
    auto any = [](const std::vector<RuleDesc>& rules) {
      return std::any_of(rules.begin(), rules.end(),
                         [](const RuleDesc& r) { return has_delay(r.value); });
    };
    for (const ReactionDesc& r : in_.reactions)
      if (has_delay(r.propensity)) return true;
    for (const EventDesc& e : in_.events) {
      if (has_delay(e.trigger) || (e.has_delay && has_delay(e.delay))) return true;
      for (const EventAssignmentDesc& a : e.assignments)
        if (has_delay(a.value)) return true;
    }
    return any(in_.assignment_rules) || any(in_.rate_rules) || any(in_.initial_assignments);
  }

  bool has_rule(const std::string& id) const {
    auto target = [&](const RuleDesc& r) { return r.target == id; };
    return std::any_of(in_.assignment_rules.begin(), in_.assignment_rules.end(), target) ||
           std::any_of(in_.rate_rules.begin(), in_.rate_rules.end(), target);
  }

  // The value of every assignment rule with the rules it reads substituted in turn.
  void substitute_assignment_rules() {
    out_.algebraic_rules = in_.algebraic_rules;
    for (const RuleDesc& r : in_.assignment_rules) assignment_rules_.push_back(r);
    if (assignment_rules_.empty()) return;
    std::map<std::string, const RuleDesc*> rule_of;
    for (const RuleDesc& r : assignment_rules_) rule_of[r.target] = &r;
    std::map<std::string, Expr> full;
    std::vector<std::string> visiting;
    std::function<Expr(const Expr&, const std::set<std::string>&, int)> expand;
    std::function<const Expr&(const std::string&, int)> full_value = [&](const std::string& id,
                                                                         int line) -> const Expr& {
      if (auto it = full.find(id); it != full.end()) return it->second;
      if (std::find(visiting.begin(), visiting.end(), id) != visiting.end())
        throw InputError(file_, line, "assignment rule", id,
                         "assignment rules depend on each other in a cycle");
      visiting.push_back(id);
      Expr value = expand(rule_of.at(id)->value, {}, rule_of.at(id)->where.line);
      visiting.pop_back();
      return full[id] = std::move(value);
    };
    expand = [&](const Expr& e, const std::set<std::string>& shadowed, int line) -> Expr {
      Expr out = e;
      for (const std::string& symbol : symbols_of(e))
        if (rule_of.count(symbol) && !shadowed.count(symbol))
          out = substitute(out, symbol, full_value(symbol, line));
      return out;
    };
    for (ReactionDesc& r : out_.model.reactions) {
      std::set<std::string> locals;
      for (const ParameterDesc& p : r.local_parameters) locals.insert(p.id);
      r.propensity = expand(r.propensity, locals, r.where.line);
    }
    for (EventDesc& e : out_.model.events) {
      e.trigger = expand(e.trigger, {}, e.where.line);
      if (e.has_delay) e.delay = expand(e.delay, {}, e.where.line);
      if (e.has_priority) e.priority = expand(e.priority, {}, e.where.line);
      for (EventAssignmentDesc& a : e.assignments) {
        a.value = expand(a.value, {}, e.where.line);
        if (a.scaled_at_execution)
          a.execution_factor = expand(a.execution_factor, {}, e.where.line);
      }
    }
    for (RuleDesc& r : remaining_rate_rules_) r.value = expand(r.value, {}, r.where.line);
    for (RuleDesc& r : out_.algebraic_rules) r.value = expand(r.value, {}, r.where.line);
    for (const RuleDesc& r : assignment_rules_) {
      const Expr& value = full_value(r.target, r.where.line);
      if (SpeciesDesc* s = out_.model.find_species(r.target)) {
        s->boundary = true;  // only the rule sets it
        out_.outputs.push_back(RuleDesc{r.target, value, r.where});
      } else if (out_.model.find_parameter(r.target) != nullptr) {
        out_.outputs.push_back(RuleDesc{r.target, value, r.where});
      }
    }
  }

  // Fast reactions become extents and algebraic rules (see the header).
  void fast_reactions() {
    ModelDescription& m = out_.model;
    std::map<std::string, Expr> shifted;  // species -> X + sum_j N_Xj xi_j
    std::vector<ReactionDesc> fast;
    for (const ReactionDesc& r : m.reactions)
      if (r.fast) fast.push_back(r);
    if (fast.empty()) return;
    std::erase_if(m.reactions, [](const ReactionDesc& r) { return r.fast; });
    for (const ReactionDesc& r : fast) {
      const std::string extent = "fast_extent(" + r.id + ")";
      m.parameters.push_back(ParameterDesc{extent, 0.0, false, r.where});
      std::map<std::string, double> change;
      for (const SpeciesRef& x : r.reactants) change[x.species] -= x.stoichiometry;
      for (const SpeciesRef& x : r.products) change[x.species] += x.stoichiometry;
      for (const auto& [id, c] : change) {
        const SpeciesDesc* s = m.find_species(id);
        if (c == 0.0 || s == nullptr || s->boundary || s->constant) continue;
        double factor = 1.0;
        if (!s->conversion_factor.empty()) {
          const ParameterDesc* p = m.find_parameter(s->conversion_factor);
          if (p == nullptr || !p->constant)
            throw InputError(file_, r.where.line, "reaction", r.id,
                             "a fast reaction changes species '" + id +
                                 "', whose conversion factor is not a constant parameter");
          factor = p->value;
        }
        auto it = shifted.try_emplace(id, Expr::name(id)).first;
        it->second = it->second + Expr::constant(c * factor) * Expr::name(extent);
      }
      if (out_.ode_only.problem.empty()) out_.ode_only = {"reaction", r.id, "a fast reaction"};
    }
    auto shift = [&](const Expr& e) {
      Expr out = e;
      for (const std::string& symbol : symbols_of(e))
        if (auto it = shifted.find(symbol); it != shifted.end())
          out = substitute(out, symbol, it->second);
      return out;
    };
    for (ReactionDesc& r : m.reactions) r.propensity = shift(r.propensity);
    for (EventDesc& e : m.events) {
      e.trigger = shift(e.trigger);
      if (e.has_delay) e.delay = shift(e.delay);
      if (e.has_priority) e.priority = shift(e.priority);
      for (EventAssignmentDesc& a : e.assignments) {
        a.value = shift(a.value);
        // The event sets x; the state holds y = x - N_f xi.
        if (auto it = shifted.find(a.target); it != shifted.end())
          a.value = a.value - (it->second - Expr::name(a.target));
      }
    }
    for (RuleDesc& r : remaining_rate_rules_) r.value = shift(r.value);
    for (RuleDesc& r : out_.outputs) r.value = shift(r.value);
    for (RuleDesc& r : out_.algebraic_rules) r.value = shift(r.value);
    for (const ReactionDesc& r : fast)
      out_.algebraic_rules.push_back(RuleDesc{r.id, shift(law_with_locals(r)), r.where});
    // Last, so that every other output reads y before x overwrites it.
    for (const auto& [id, value] : shifted) out_.outputs.push_back(RuleDesc{id, value, {}});
  }

  // A variable an algebraic rule may determine (see the header).
  bool algebraic_candidate(const std::string& id) const {
    if (id.rfind("fast_extent(", 0) == 0 && out_.model.find_parameter(id) != nullptr) return true;
    if (has_rule(id)) return false;
    if (const ParameterDesc* p = in_.find_parameter(id)) return !p->constant;
    if (const CompartmentDesc* c = in_.find_compartment(id)) return !c->constant;
    const SpeciesDesc* s = in_.find_species(id);
    if (s == nullptr || s->constant) return false;
    if (s->boundary) return true;
    for (const ReactionDesc& reaction : in_.reactions) {
      double change = 0.0;
      for (const SpeciesRef& x : reaction.reactants)
        if (x.species == id) change -= x.stoichiometry;
      for (const SpeciesRef& x : reaction.products)
        if (x.species == id) change += x.stoichiometry;
      if (change != 0.0) return false;
    }
    return true;
  }

  // Kuhn's augmenting paths: each rule gets a distinct variable among those it reads.
  void match_algebraic_rules() {
    const std::vector<RuleDesc>& rules = out_.algebraic_rules;
    if (rules.empty()) return;
    std::vector<std::vector<std::string>> reads(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (has_draw(rules[i].value))
        refuse("algebraic rule", rules[i], "a random draw (SBML 'distrib') is not supported");
      for (const std::string& id : symbols_of(rules[i].value))
        if (algebraic_candidate(id)) reads[i].push_back(id);
    }
    std::map<std::string, std::size_t> rule_of;
    std::function<bool(std::size_t, std::set<std::string>&)> augment =
        [&](std::size_t i, std::set<std::string>& visited) {
          for (const std::string& id : reads[i]) {
            if (!visited.insert(id).second) continue;
            auto it = rule_of.find(id);
            if (it == rule_of.end() || augment(it->second, visited)) {
              rule_of[id] = i;
              return true;
            }
          }
          return false;
        };
    for (std::size_t i = 0; i < rules.size(); ++i) {
      std::set<std::string> visited;
      if (!augment(i, visited))
        refuse("algebraic rule", rules[i],
               "no variable is left for this rule to determine (every variable it reads is "
               "constant, set by another rule or changed by a reaction): the model is "
               "overdetermined");
    }
    out_.algebraic_variables.resize(rules.size());
    for (const auto& [id, i] : rule_of) {
      out_.algebraic_variables[i] = id;
      // A first guess for the Newton iteration when the model gives no value.
      if (SpeciesDesc* s = out_.model.find_species(id)) {
        s->boundary = true;  // only the rule sets it
        if (!std::isfinite(s->initial_amount)) s->initial_amount = 1.0;
      } else if (ParameterDesc* p = out_.model.find_parameter(id); !std::isfinite(p->value)) {
        p->value = 1.0;
      }
    }
    if (out_.ode_only.problem.empty())
      out_.ode_only = {"algebraic rule", rules[0].target, "an algebraic rule"};
  }

  void pseudo_reactions() {
    for (const RuleDesc& r : remaining_rate_rules_) {
      ModelDescription& m = out_.model;
      if (m.find_species(r.target) == nullptr) {
        // A parameter or compartment integrated as ODE state: a species of the network.
        double value = 0.0;
        if (const ParameterDesc* p = m.find_parameter(r.target)) {
          value = p->value;
          m.parameters.erase(m.parameters.begin() + (p - m.parameters.data()));
        } else if (const CompartmentDesc* c = m.find_compartment(r.target)) {
          value = c->size;
          m.compartments.erase(m.compartments.begin() + (c - m.compartments.data()));
        }
        SpeciesDesc s;
        s.id = r.target;
        s.initial_amount = value;
        s.where = r.where;
        m.species.push_back(s);
      }
      // A boundary species under a rate rule: reactions that list it do not change it (SBML
      // L3V2 4.6.6), and its slot now changes, so its references go.
      if (m.find_species(r.target)->boundary)
        for (ReactionDesc& reaction : m.reactions) {
          auto is_target = [&](const SpeciesRef& x) { return x.species == r.target; };
          std::erase_if(reaction.reactants, is_target);
          std::erase_if(reaction.products, is_target);
        }
      m.find_species(r.target)->rate_rule = true;
      m.find_species(r.target)->boundary = false;
      ReactionDesc reaction;
      reaction.id = "rate_rule(" + r.target + ")";
      reaction.products.push_back(SpeciesRef{r.target, 1.0, ""});
      reaction.propensity = r.value;
      reaction.rate_rule = true;
      reaction.where = r.where;
      m.reactions.push_back(std::move(reaction));
      out_.rate_rule_variables.push_back(r.target);
    }
  }

  const ModelDescription& in_;
  const std::string& file_;
  LoweredModel out_;
  std::vector<RuleDesc> assignment_rules_;      // the model's, and those of constant rate rules
  std::vector<RuleDesc> remaining_rate_rules_;  // become pseudo-reactions
};

}  // namespace

LoweredModel lower_rules(const ModelDescription& model) {
  ModelDescription expanded = model;
  ReactionNetwork::OdeOnly ode_only;
  DerivativeExpansion(expanded).run(ode_only);
  return Lowering(expanded, std::move(ode_only)).run();
}

}  // namespace nkappa::rules_detail

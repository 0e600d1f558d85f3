#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "engine/error.hpp"
#include "sbml/read_sbml.hpp"
#include "scenario/scenario.hpp"

namespace nkappa {

namespace {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  int line(const YAML::Node& n) const { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

  [[noreturn]] void fail(const YAML::Node& n, const std::string& key,
                         const std::string& problem) const {
    throw InputError(file_, line(n), "key", key, problem);
  }

  void expect_map(const YAML::Node& n, const std::string& key) const {
    if (!n.IsMap()) fail(n, key, "expected a mapping (key: value pairs)");
  }

  void only_keys(const YAML::Node& n, const std::string& where,
                 std::initializer_list<const char*> allowed) const {
    expect_map(n, where);
    for (const auto& item : n) {
      const std::string key = item.first.as<std::string>();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        std::string list;
        for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
        fail(item.first, key, "unknown key in '" + where + "' (allowed: " + list + ")");
      }
    }
  }

  template <class T>
  T as(const YAML::Node& n, const std::string& key, const char* type_name) const {
    try {
      if (!n.IsScalar()) fail(n, key, std::string("expected ") + type_name);
      return n.as<T>();
    } catch (const YAML::BadConversion&) {
      fail(n, key, std::string("expected ") + type_name + ", got '" + n.Scalar() + "'");
    }
  }
  double number(const YAML::Node& n, const std::string& key) const {
    return as<double>(n, key, "a number");
  }
  std::string text(const YAML::Node& n, const std::string& key) const {
    return as<std::string>(n, key, "a string");
  }
  bool flag(const YAML::Node& n, const std::string& key) const {
    return as<bool>(n, key, "true or false");
  }
  std::int64_t integer(const YAML::Node& n, const std::string& key) const {
    return as<std::int64_t>(n, key, "a whole number");
  }
  std::vector<std::string> strings(const YAML::Node& n, const std::string& key) const {
    if (!n.IsSequence()) fail(n, key, "expected a list");
    std::vector<std::string> out;
    for (const auto& item : n) out.push_back(text(item, key));
    return out;
  }
  std::vector<std::pair<std::string, double>> number_map(const YAML::Node& n,
                                                         const std::string& key) const {
    expect_map(n, key);
    std::vector<std::pair<std::string, double>> out;
    for (const auto& item : n) {
      const std::string id = text(item.first, key);
      out.emplace_back(id, number(item.second, id));
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

}  // namespace

const Variant* Scenario::find_variant(const std::string& id) const {
  auto it =
      std::find_if(variants.begin(), variants.end(), [&](const Variant& v) { return v.id == id; });
  return it == variants.end() ? nullptr : &*it;
}

Scenario load_scenario(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path, "cannot open the scenario file: it does not exist");
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    throw InputError(path, e.mark.line + 1, "", "", "not valid YAML: " + e.msg);
  }
  YamlReader y(path);
  y.only_keys(root, "scenario",
              {"title", "model", "run", "observables", "readout", "extrinsic_noise", "variants",
               "comparisons"});
  Scenario s;
  s.file = path;
  if (root["title"]) s.title = y.text(root["title"], "title");
  if (!root["model"]) y.fail(root, "model", "missing: the SBML file of the model");
  const std::filesystem::path model = y.text(root["model"], "model");
  s.model_file = (model.is_absolute() ? model : std::filesystem::path(path).parent_path() / model)
                     .lexically_normal()
                     .string();

  if (!root["run"]) y.fail(root, "run", "missing: run settings (t_end, record_step, ...)");
  const YAML::Node run = root["run"];
  y.only_keys(run, "run",
              {"method", "epsilon", "t_end", "record_from", "record_step", "stimulus_time", "cells",
               "seed", "extrinsic_noise", "time_unit", "ode"});
  if (run["method"]) s.run.method = y.text(run["method"], "method");
  if (run["epsilon"]) {
    s.run.epsilon = y.number(run["epsilon"], "epsilon");
    if (!(s.run.epsilon > 0 && s.run.epsilon <= 1))
      y.fail(run["epsilon"], "epsilon", "must lie in (0, 1]");
  }
  if (!run["t_end"]) y.fail(run, "t_end", "missing");
  s.run.t_end = y.number(run["t_end"], "t_end");
  if (!run["record_step"]) y.fail(run, "record_step", "missing");
  s.run.record_step = y.number(run["record_step"], "record_step");
  if (run["record_from"]) s.run.record_from = y.number(run["record_from"], "record_from");
  if (run["stimulus_time"]) s.run.stimulus_time = y.number(run["stimulus_time"], "stimulus_time");
  if (run["cells"]) s.run.cells = y.integer(run["cells"], "cells");
  if (run["seed"]) s.run.seed = static_cast<std::uint64_t>(y.integer(run["seed"], "seed"));
  if (run["extrinsic_noise"])
    s.run.extrinsic_noise = y.flag(run["extrinsic_noise"], "extrinsic_noise");
  if (run["ode"]) s.run.ode = y.flag(run["ode"], "ode");
  if (run["time_unit"]) {
    const YAML::Node unit = run["time_unit"];
    y.only_keys(unit, "time_unit", {"name", "model_units"});
    s.run.time_unit = y.text(unit["name"], "name");
    s.run.time_unit_seconds = y.number(unit["model_units"], "model_units");
  }
  if (!(s.run.t_end > 0)) y.fail(run["t_end"], "t_end", "must be > 0");
  if (!(s.run.record_step > 0)) y.fail(run["record_step"], "record_step", "must be > 0");
  if (s.run.record_from < 0 || s.run.record_from >= s.run.t_end)
    y.fail(run, "record_from", "must lie in [0, t_end)");
  if (s.run.cells < 2) y.fail(run["cells"], "cells", "must be at least 2");
  if (!(s.run.time_unit_seconds > 0)) y.fail(run["time_unit"], "model_units", "must be > 0");
  const double intervals = (s.run.t_end - s.run.record_from) / s.run.record_step;
  if (std::fabs(intervals - std::round(intervals)) > 1e-9 * intervals)
    y.fail(run["record_step"], "record_step",
           "t_end - record_from must be a whole number of record steps");

  if (root["observables"]) {
    const YAML::Node obs = root["observables"];
    y.expect_map(obs, "observables");
    for (const auto& item : obs) {
      Observable o;
      o.id = y.text(item.first, "observables");
      o.formula = y.text(item.second, o.id);
      o.line = y.line(item.second);
      o.expr = parse_formula(o.formula, path, o.line, "observable", o.id);
      s.observables.push_back(std::move(o));
    }
  }
  if (!root["readout"])
    y.fail(root, "readout", "missing: the observable the per-cell statistics use");
  {
    const YAML::Node r = root["readout"];
    y.only_keys(r, "readout",
                {"observable", "threshold", "fall_fraction", "smoothing_points", "test_times"});
    s.readout.observable = y.text(r["observable"], "observable");
    if (r["threshold"]) s.readout.threshold = y.number(r["threshold"], "threshold");
    if (r["fall_fraction"]) s.readout.fall_fraction = y.number(r["fall_fraction"], "fall_fraction");
    if (r["smoothing_points"])
      s.readout.smoothing_points =
          static_cast<int>(y.integer(r["smoothing_points"], "smoothing_points"));
    if (r["test_times"]) {
      if (!r["test_times"].IsSequence())
        y.fail(r["test_times"], "test_times", "expected a list of times");
      for (const auto& t : r["test_times"])
        s.readout.test_times.push_back(y.number(t, "test_times"));
    }
    if (s.readout.smoothing_points < 1 || s.readout.smoothing_points % 2 == 0)
      y.fail(r["smoothing_points"], "smoothing_points", "must be an odd number >= 1");
    const bool known =
        std::any_of(s.observables.begin(), s.observables.end(),
                    [&](const Observable& o) { return o.id == s.readout.observable; });
    if (!known)
      y.fail(r["observable"], "observable",
             "'" + s.readout.observable + "' is not one of the observables");
  }
  if (root["extrinsic_noise"]) {
    const YAML::Node list = root["extrinsic_noise"];
    if (!list.IsSequence()) y.fail(list, "extrinsic_noise", "expected a list of species groups");
    for (const auto& g : list) {
      y.only_keys(g, "extrinsic_noise",
                  {"name", "species", "distribution", "cv", "truncate_at", "remainder_to"});
      ExtrinsicGroup group;
      group.line = y.line(g);
      group.name = g["name"] ? y.text(g["name"], "name") : "group";
      if (!g["species"]) y.fail(g, "species", "missing");
      group.species = y.strings(g["species"], "species");
      if (g["distribution"] && y.text(g["distribution"], "distribution") != "lognormal")
        y.fail(g["distribution"], "distribution", "only 'lognormal' is supported");
      if (!g["cv"]) y.fail(g, "cv", "missing: coefficient of variation of the group total");
      group.cv = y.number(g["cv"], "cv");
      if (!(group.cv > 0)) y.fail(g["cv"], "cv", "must be > 0");
      if (g["truncate_at"]) group.truncate_at = y.number(g["truncate_at"], "truncate_at");
      if (!(group.truncate_at > 1)) y.fail(g["truncate_at"], "truncate_at", "must be > 1");
      group.remainder_to =
          g["remainder_to"] ? y.text(g["remainder_to"], "remainder_to") : group.species.front();
      if (std::find(group.species.begin(), group.species.end(), group.remainder_to) ==
          group.species.end())
        y.fail(g["remainder_to"], "remainder_to", "must be one of the group's species");
      s.extrinsic.push_back(std::move(group));
    }
  }
  if (!root["variants"]) y.fail(root, "variants", "missing: at least one variant");
  const YAML::Node variants = root["variants"];
  y.expect_map(variants, "variants");
  for (const auto& item : variants) {
    Variant v;
    v.id = y.text(item.first, "variants");
    v.line = y.line(item.first);
    if (s.find_variant(v.id)) y.fail(item.first, v.id, "variant defined twice");
    const YAML::Node body = item.second;
    if (body.IsNull()) {
      s.variants.push_back(v);
      continue;
    }
    y.only_keys(body, v.id,
                {"description", "base", "parameters", "initial", "events", "extrinsic_noise"});
    if (body["description"]) v.description = y.text(body["description"], "description");
    if (body["base"]) v.base = y.text(body["base"], "base");
    if (body["parameters"]) v.parameters = y.number_map(body["parameters"], "parameters");
    if (body["initial"]) v.initial = y.number_map(body["initial"], "initial");
    if (body["extrinsic_noise"])
      v.extrinsic_noise = y.flag(body["extrinsic_noise"], "extrinsic_noise");
    if (body["events"]) {
      if (!body["events"].IsSequence())
        y.fail(body["events"], "events", "expected a list of events");
      for (const auto& e : body["events"]) {
        y.only_keys(e, "events", {"id", "at", "set"});
        VariantEvent ev;
        ev.id =
            e["id"] ? y.text(e["id"], "id") : v.id + "_event" + std::to_string(v.events.size() + 1);
        if (!e["at"]) y.fail(e, "at", "missing: the time the event fires");
        ev.at = y.number(e["at"], "at");
        if (!e["set"]) y.fail(e, "set", "missing: what the event assigns");
        ev.set = y.number_map(e["set"], "set");
        v.events.push_back(std::move(ev));
      }
    }
    s.variants.push_back(std::move(v));
  }
  for (const Variant& v : s.variants) {
    if (!v.base.empty() && !s.find_variant(v.base))
      throw InputError(path, v.line, "variant", v.id, "unknown base variant '" + v.base + "'");
    // A chain of bases must end: follow it.
    std::set<std::string> seen{v.id};
    for (const Variant* b = v.base.empty() ? nullptr : s.find_variant(v.base); b;
         b = b->base.empty() ? nullptr : s.find_variant(b->base))
      if (!seen.insert(b->id).second)
        throw InputError(path, v.line, "variant", v.id, "its bases form a cycle");
  }
  if (root["comparisons"]) {
    const YAML::Node list = root["comparisons"];
    if (!list.IsSequence())
      y.fail(list, "comparisons", "expected a list of [reference, other] pairs");
    for (const auto& pair : list) {
      if (!pair.IsSequence() || pair.size() != 2)
        y.fail(pair, "comparisons", "expected [reference, other]");
      ComparisonPair c{y.text(pair[0], "comparisons"), y.text(pair[1], "comparisons")};
      for (const std::string& id : {c.reference, c.other})
        if (!s.find_variant(id)) y.fail(pair, "comparisons", "unknown variant '" + id + "'");
      s.comparisons.push_back(c);
    }
  }
  return s;
}

}  // namespace nkappa

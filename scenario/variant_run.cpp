#include "scenario/variant_run.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/run/output_grid.hpp"
#include "scenario/extrinsic.hpp"

namespace nkappa {

ReadoutAxis readout_axis(const Scenario& sc) {
  ReadoutAxis axis;
  axis.t_start = sc.run.record_from;
  axis.t_end = sc.run.t_end;
  axis.samples = static_cast<std::int32_t>(
      std::llround((sc.run.t_end - sc.run.record_from) / sc.run.record_step));
  axis.times = OutputGrid(axis.t_start, axis.t_end, axis.samples).times();
  for (double t : axis.times)
    axis.tau.push_back((t - sc.run.stimulus_time) / sc.run.time_unit_seconds);
  for (double wanted : sc.readout.test_times) {
    const auto it = std::find_if(axis.tau.begin(), axis.tau.end(), [&](double x) {
      return std::fabs(x - wanted) < 1e-9 * std::max(1.0, std::fabs(wanted));
    });
    if (it == axis.tau.end()) {
      std::ostringstream what;
      what << wanted << " " << sc.run.time_unit << " after the stimulus is not an output time";
      throw InputError(sc.file, 0, "readout", "test_times", what.str());
    }
    axis.test_index.push_back(static_cast<std::int32_t>(it - axis.tau.begin()));
  }
  return axis;
}

ObservableList observable_list(const Scenario& sc) {
  ObservableList list;
  for (const Observable& ob : sc.observables) {
    if (ob.id == sc.readout.observable) list.readout = static_cast<std::int32_t>(list.ids.size());
    list.exprs.emplace_back(ob.id, ob.expr);
    list.ids.push_back(ob.id);
  }
  return list;
}

std::unique_ptr<PreparedVariant> prepare_variant(const Scenario& sc, const ModelDescription& model,
                                                 const Variant& variant, const ReadoutAxis& axis,
                                                 const ObservableList& observables, int threads,
                                                 NoiseChoice noise) {
  auto p = std::make_unique<PreparedVariant>();
  p->id = variant.id;
  p->model = apply_variant(model, sc, variant);
  p->net = compile(p->model);
  p->observables = compile_expressions(p->net, p->model, observables.exprs);
  switch (noise) {
    case NoiseChoice::AsScenario:
      p->extrinsic_noise = variant_uses_extrinsic_noise(sc, variant) && !sc.extrinsic.empty();
      break;
    case NoiseChoice::On:
      p->extrinsic_noise = !sc.extrinsic.empty();
      break;
    case NoiseChoice::Off:
      p->extrinsic_noise = false;
      break;
  }
  p->spec.t_start = axis.t_start;
  p->spec.t_end = axis.t_end;
  p->spec.samples = axis.samples;
  p->spec.trajectories = sc.run.cells;
  p->spec.seed = sc.run.seed;
  p->spec.threads = threads;
  p->spec.epsilon = sc.run.epsilon;
  if (p->extrinsic_noise) p->spec.initialize_trajectory = make_extrinsic_initializer(sc, p->net);
  return p;
}

}  // namespace nkappa

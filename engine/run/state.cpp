#include "engine/run/state.hpp"

#include "engine/run/output_grid.hpp"

#include <cmath>
#include <stdexcept>

namespace nkappa {

const char* status_name(TrajectoryStatus status) {
  switch (status) {
    case TrajectoryStatus::ReachedEnd:
      return "reached_end";
    case TrajectoryStatus::NothingCanFire:
      return "nothing_can_fire";
    case TrajectoryStatus::EventLimit:
      return "event_limit";
    case TrajectoryStatus::InvalidPropensity:
      return "invalid_propensity";
    case TrajectoryStatus::EventFailure:
      return "event_failure";
  }
  return "unknown";
}

OutputGrid::OutputGrid(double t_start, double t_end, std::int32_t samples) {
  if (!(t_start >= 0.0) || !(t_end >= t_start) || !std::isfinite(t_end) || samples < 1)
    throw std::invalid_argument(
        "output grid needs 0 <= t_start <= t_end < infinity and samples >= 1");
  times_.resize(static_cast<std::size_t>(samples) + 1);
  const double step = (t_end - t_start) / samples;
  for (std::int32_t k = 0; k < samples; ++k)
    times_[static_cast<std::size_t>(k)] = t_start + k * step;
  times_.back() = t_end;
}

}  // namespace nkappa

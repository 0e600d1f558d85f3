#pragma once
// Ensembles: N trajectories on T threads in blocks of B trajectories. Block b always holds
// trajectories bB .. bB+B-1, each drawing from trajectory_stream(seed, i), and blocks are merged
// in index order, so the results are byte-identical for any thread count. B depends on N only
// (up to 64, at least 64 blocks when N allows it), so that a small ensemble of expensive cells
// still spreads over every thread.
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>

#include "engine/observe/sample_sink.hpp"
#include "engine/run/method.hpp"
#include "engine/run/run_spec.hpp"

namespace nkappa {

inline constexpr std::int64_t kMaxBlockSize = 64;
inline std::int64_t block_size(std::int64_t trajectories) {
  return std::clamp<std::int64_t>((trajectories + 63) / 64, 1, kMaxBlockSize);
}

struct EnsembleResult {
  std::int64_t trajectories = 0;
  std::int64_t events = 0;
  std::array<std::int64_t, kTrajectoryStatusCount> status_counts{};
  std::int32_t invalid_reaction = -1;
  double invalid_time = 0.0;
  EventFailure event_failure;  // the first in trajectory order, if any
  double wall_seconds = 0.0;
};

using SinkFactory = std::function<std::unique_ptr<MergeableSink>()>;
using ProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

// Runs spec.trajectories trajectories; each block's samples go to a fresh sink from
// make_sink, merged into `total` in block order. `progress` is called from the calling thread.
EnsembleResult run_ensemble(const ReactionNetwork& net, const MethodInfo& method,
                            const RunSpec& spec, const SinkFactory& make_sink, MergeableSink& total,
                            const ProgressFn& progress = {});

}  // namespace nkappa

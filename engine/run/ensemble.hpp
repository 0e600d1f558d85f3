#pragma once
// Ensembles: N trajectories on T threads in blocks of 64. Block b always holds trajectories
// 64b .. 64b+63, each drawing from trajectory_stream(seed, i), and blocks are merged in index
// order, so the results are byte-identical for any thread count.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>

#include "engine/observe/sample_sink.hpp"
#include "engine/run/method.hpp"
#include "engine/run/run_spec.hpp"

namespace nkappa {

inline constexpr std::int64_t kBlockSize = 64;

struct EnsembleResult {
  std::int64_t trajectories = 0;
  std::int64_t events = 0;
  std::array<std::int64_t, kTrajectoryStatusCount> status_counts{};
  std::int32_t invalid_reaction = -1;
  double invalid_time = 0.0;
  double wall_seconds = 0.0;
};

using SinkFactory = std::function<std::unique_ptr<MergeableSink>()>;
using ProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

// Runs spec.trajectories trajectories; each block's samples go to a fresh sink from
// make_sink, merged into `total` in block order. `progress` is called from the calling thread.
EnsembleResult run_ensemble(const ReactionNetwork& net, const MethodInfo& method,
                            const RunSpec& spec, const SinkFactory& make_sink,
                            MergeableSink& total, const ProgressFn& progress = {});

}  // namespace nkappa

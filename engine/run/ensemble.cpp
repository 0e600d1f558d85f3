#include "engine/run/ensemble.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace nkappa {

EnsembleResult run_ensemble(const ReactionNetwork& net, const MethodInfo& method,
                            const RunSpec& spec, const SinkFactory& make_sink, MergeableSink& total,
                            const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  EnsembleResult result;
  result.trajectories = spec.trajectories;
  const std::int64_t block = block_size(spec.trajectories);
  const std::int64_t blocks = (spec.trajectories + block - 1) / block;
  const int threads = static_cast<int>(
      std::clamp<std::int64_t>(spec.threads, 1, std::max<std::int64_t>(blocks, 1)));

  struct Finished {
    std::unique_ptr<MergeableSink> sink;
    BlockResult result;
  };
  std::mutex mutex;
  std::condition_variable ready;
  std::map<std::int64_t, Finished> finished;  // blocks done but not yet merged
  std::atomic<std::int64_t> next_block{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;

  auto worker = [&] {
    try {
      for (;;) {
        const std::int64_t b = next_block.fetch_add(1);
        if (b >= blocks || failed.load()) return;
        const std::int64_t first = b * block;
        const std::int64_t count = std::min(block, spec.trajectories - first);
        Finished f{make_sink(), {}};
        f.result = method.run_block(net, spec, first, count, *f.sink);
        std::lock_guard lock(mutex);
        finished.emplace(b, std::move(f));
        ready.notify_one();
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      failed = true;
      ready.notify_one();
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

  for (std::int64_t b = 0; b < blocks; ++b) {
    Finished f;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return failed.load() || finished.count(b) > 0; });
      if (failed.load()) break;
      f = std::move(finished.at(b));
      finished.erase(b);
    }
    total.merge_from(*f.sink);
    result.events += f.result.events;
    for (std::size_t i = 0; i < result.status_counts.size(); ++i)
      result.status_counts[i] += f.result.status_counts[i];
    if (result.invalid_reaction < 0 && f.result.invalid_reaction >= 0) {
      result.invalid_reaction = f.result.invalid_reaction;
      result.invalid_time = f.result.invalid_time;
    }
    if (result.event_failure.kind == EventFailure::Kind::None)
      result.event_failure = f.result.event_failure;
    if (progress) progress(std::min(spec.trajectories, (b + 1) * block), spec.trajectories);
  }
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace nkappa

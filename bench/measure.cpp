// Per-pair measurement in a child process, and the callgrind instruction count.
#include <fmt/format.h>
#include <malloc.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bench/bench.hpp"
#include "engine/observe/sample_sink.hpp"
#include "engine/run/ensemble.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define NKAPPA_HAVE_CALLGRIND_H 1
#endif

namespace nkappa::bench {
namespace {

// Keeps nothing: the benchmark measures the simulation, not the statistics.
class NullSink final : public MergeableSink {
 public:
  void on_sample(std::int64_t, std::int32_t, const State&) override {}
  void merge_from(MergeableSink&) override {}
};

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// A field of /proc/self/status in KiB (VmRSS, VmHWM).
long status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  return 0;
}

std::string run_child(const ReactionNetwork& net, const MethodInfo& method, const PairSpec& p) {
  std::ostringstream out;
  out << "rss_start " << status_kib("VmRSS") << "\n";
  RunSpec spec;
  spec.t_end = p.t_end;
  spec.samples = 1;
  spec.threads = p.threads;
  NullSink total;
  auto make_sink = [] { return std::make_unique<NullSink>(); };
  RunSpec warm = spec;
  warm.trajectories = std::max<std::int64_t>(1, p.trajectories / 10);
  warm.seed = kDefaultSeed - 1;
  run_ensemble(net, method, warm, make_sink, total);
  spec.trajectories = p.trajectories;
  std::int64_t other = 0;
  for (int r = 0; r < p.repeats; ++r) {
    spec.seed = kDefaultSeed + static_cast<std::uint64_t>(r);
    const double cpu = process_cpu_seconds();
    const EnsembleResult result = run_ensemble(net, method, spec, make_sink, total);
    out << "repeat "
        << fmt::format("{:.9g} {:.9g} {}", process_cpu_seconds() - cpu, result.wall_seconds,
                       result.events)
        << "\n";
    other += result.trajectories -
             result.status_counts[static_cast<std::size_t>(TrajectoryStatus::ReachedEnd)];
  }
  out << "other " << other << "\n";
  out << "rss_peak " << status_kib("VmHWM") << "\n";
  return out.str();
}

}  // namespace

Spread spread(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  return {median, v.front(), v.back()};
}

PairResult measure_pair(const ReactionNetwork& net, const MethodInfo& method,
                        const PairSpec& spec) {
  PairResult r;
  int fds[2];
  if (pipe(fds) != 0) {
    r.error = "pipe failed";
    return r;
  }
  std::fflush(nullptr);  // or the child would print the parent's buffered output again
  // The parent's heap keeps what reading earlier (larger) models freed; returned to the system,
  // it no longer counts in the child's resident set.
  malloc_trim(0);
  const pid_t pid = fork();
  if (pid < 0) {
    r.error = "fork failed";
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    std::string text;
    try {
      text = run_child(net, method, spec);
    } catch (const std::exception& e) {
      text = std::string("error ") + e.what() + "\n";
    }
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t w = write(fds[1], text.data() + done, text.size() - done);
      if (w <= 0) break;
      done += static_cast<std::size_t>(w);
    }
    close(fds[1]);
    _exit(0);  // no destructors, no atexit handlers of the parent's state
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    r.error = fmt::format("child died (status {})", status);
    return r;
  }
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    if (word == "rss_start") {
      in >> r.rss_start_kib;
    } else if (word == "rss_peak") {
      in >> r.rss_peak_kib;
    } else if (word == "other") {
      in >> r.other_status;
    } else if (word == "repeat") {
      double cpu = 0, wall = 0;
      std::int64_t events = 0;
      in >> cpu >> wall >> events;
      r.cpu_s.push_back(cpu);
      r.wall_s.push_back(wall);
      r.events.push_back(events);
    } else if (word == "error") {
      std::getline(in, r.error);
      return r;
    }
  }
  if (r.events.empty()) r.error = "the child reported nothing";
  return r;
}

int callgrind_child(const ReactionNetwork& net, const MethodInfo& method, double t_end,
                    std::int64_t trajectories) {
  RunSpec spec;
  spec.t_end = t_end;
  spec.samples = 1;
  spec.threads = 1;
  spec.trajectories = trajectories;
  NullSink total;
  auto make_sink = [] { return std::make_unique<NullSink>(); };
#ifdef NKAPPA_HAVE_CALLGRIND_H
  CALLGRIND_START_INSTRUMENTATION;
#endif
  const EnsembleResult result = run_ensemble(net, method, spec, make_sink, total);
#ifdef NKAPPA_HAVE_CALLGRIND_H
  CALLGRIND_STOP_INSTRUMENTATION;
#endif
  std::printf("events %lld\n", static_cast<long long>(result.events));
  return 0;
}

namespace {

// Total instructions ("Collected : N" in callgrind's log) and the events the child printed.
std::pair<double, std::int64_t> callgrind_run(const std::string& config, const std::string& shared,
                                              const BenchModel& model, const std::string& method,
                                              std::int64_t trajectories, std::string& error) {
  char self[4096];
  const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  if (len <= 0) {
    error = "cannot find /proc/self/exe";
    return {};
  }
  self[len] = '\0';
  const std::string base =
      (std::filesystem::temp_directory_path() / fmt::format("nkappa_cg_{}", getpid())).string();
  const std::string command = fmt::format(
      "valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file={0}.out "
      "--log-file={0}.log "
      "'{1}' --config '{2}' --shared '{3}' --models '{4}' --methods '{5}' "
      "--callgrind-child {6} > {0}.events 2>&1",
      base, self, config, shared, model.name, method, trajectories);
  std::fflush(nullptr);
  const int rc = std::system(command.c_str());
  double instructions = -1;
  std::int64_t events = -1;
  {
    std::ifstream log(base + ".log");
    std::string line;
    while (std::getline(log, line)) {
      const auto at = line.find("Collected :");
      if (at != std::string::npos) instructions = std::atof(line.c_str() + at + 11);
    }
    std::ifstream ev(base + ".events");
    std::string word;
    while (ev >> word)
      if (word == "events") ev >> events;
  }
  for (const char* ext : {".out", ".log", ".events"}) std::remove((base + ext).c_str());
  if (rc != 0 || instructions < 0 || events < 0)
    error = fmt::format("valgrind run failed (exit {}; is valgrind installed?)", rc);
  return {instructions, events};
}

}  // namespace

CallgrindResult callgrind_pair(const std::string& config, const std::string& shared,
                               const BenchModel& model, const std::string& method) {
  CallgrindResult r;
  const std::int64_t n = model.callgrind_trajectories;
  const auto [i1, e1] = callgrind_run(config, shared, model, method, n, r.error);
  if (!r.error.empty()) return r;
  const auto [i2, e2] = callgrind_run(config, shared, model, method, 3 * n, r.error);
  if (!r.error.empty()) return r;
  r.events_difference = e2 - e1;
  if (r.events_difference <= 0) {
    r.error = "no more events with more trajectories";
    return r;
  }
  r.instructions_per_event = (i2 - i1) / static_cast<double>(r.events_difference);
  return r;
}

}  // namespace nkappa::bench

// nkappa methods: the registered simulation methods.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/method.hpp"

namespace nkappa::cli {

void add_methods_command(CLI::App& root, Action& action) {
  CLI::App* cmd =
      root.add_subcommand("methods", "List the simulation methods and their capabilities");
  cmd->callback([&action] {
    action = [] {
      fmt::print("{:<26} {:<14} {:<14} {}\n", "name", "KiSAO", "kind", "capabilities / summary");
      for (const MethodInfo& m : all_methods())
        fmt::print("{:<26} {:<14} {:<14} {}; {}\n", m.name, m.kisao,
                   m.exact ? "exact" : "approximate", describe_capabilities(m), m.summary);
      fmt::print("{:<26} {:<14} {:<14} {}\n", "auto", "-", "exact",
                 "chooses an exact method from the network (default)");
      fmt::print("{:<26} {:<14} {:<14} {}\n", "ode", kCvodeKisao, "deterministic",
                 "mean-field ODE on SUNDIALS CVODE (BDF, Newton, dense); events by stop times and "
                 "root finding");
      return 0;
    };
  });
}

}  // namespace nkappa::cli

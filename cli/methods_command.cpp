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
                 "root finding, delayed executions as stop times, equal priorities in an order "
                 "drawn from a fixed seed");
      fmt::print(
          "\nSBML events, in every method: triggers on state or time (an event fires at the "
          "reaction that flips its trigger), initialValue, persistent, delays (a delay queue; "
          "pending executions are breakpoints, so exact methods stay exact and tau-leaping never "
          "leaps past one), useValuesFromTriggerTime, priorities (SBML L3V2 4.12: highest first, "
          "re-evaluated after each execution; equal priorities in random order from the "
          "trajectory's stream; events without a priority after those with one, in order of "
          "triggering). Triggers that read time other than by comparing it with a constant, "
          "event assignments to compartment sizes and delay() inside math: --method ode only.\n");
      return 0;
    };
  });
}

}  // namespace nkappa::cli

// The published behaviours T1-T9 of the flagship NF-kB/NEMO model (design section 7), stochastic
// column, in CI size: exact SSA ensembles of 64 cells per variant (section 7's CI rule). The
// checks, margins and false-alarm budget are in tests/support/nfkb_ssa_behaviours.cpp; the
// >= 200-cell runs of the same checks are tests/long (ctest label `long`, outside CI).
//
// Under ctest every TEST_CASE is its own process and runs its ensembles itself (they are cached
// only within a process), so the behaviours that share variants are one case each. Cost, CPU
// seconds of 64 cells on this 2-core machine (sorting direct method, ~90-100 ns CPU per event):
// wt 79, hypo_ub 123, hypo_cc 78, hypo_low 33, a20ko to 240 min ~45, ikbako to 2 min ~30,
// nemo_null 18, il2_mut and il2_wt 33 each; the noisy ensembles of T7, T8 and T9 cost about as
// much as their noiseless twins (lower doses less). Each case prints its ensembles' wall and CPU
// time; its rows go to build/reports/nfkb_ssa_*_64.txt.
#include <doctest/doctest.h>

#include "tests/support/nfkb_ssa_behaviours.hpp"

namespace nkappa::test::nfkb {
namespace {

constexpr std::int64_t kCells = 64;

TEST_CASE("nfkb SSA behaviours: T1-T4 and T7 on the noiseless wt, hypomorph and knockout cells") {
  SUBCASE("T1 first nuclear NF-kB peak of wt") {
    t1_first_peak(kCells);
  }
  SUBCASE("T2 oscillation of wt") {
    t2_oscillation(kCells);
  }
  SUBCASE("T3 IkBa degradation and resynthesis in wt") {
    t3_ikba_degradation(kCells);
  }
  SUBCASE("T4 A20 knockout keeps NF-kB nuclear") {
    t4_a20_knockout(kCells);
  }
  SUBCASE("T7 hypo_ub responds less and later than wt") {
    t7_hypomorph(kCells, "hypo_ub");
  }
  SUBCASE("T7 hypo_cc responds less and later than wt") {
    t7_hypomorph(kCells, "hypo_cc");
  }
  SUBCASE("T7 hypo_low responds less and later than wt") {
    t7_hypomorph(kCells, "hypo_low");
  }
}

TEST_CASE("nfkb SSA behaviours: T5 IkBa knockout has nuclear NF-kB without stimulus") {
  t5_ikba_knockout(kCells);
}

TEST_CASE("nfkb SSA behaviours: T6 NEMO null does not respond to TNF") {
  t6_nemo_null(kCells);
}

TEST_CASE("nfkb SSA behaviours: T7 and T9 responder fractions with extrinsic noise") {
  SUBCASE("T7 hypomorphs have fewer responders than wt") {
    t7_responder_fractions(kCells);
  }
  SUBCASE("T9 responder fraction falls with the TNF dose") {
    t9_dose_response(kCells);
  }
}

TEST_CASE("nfkb SSA behaviours: T8 IL-2 alone acts on hypo_ub as on wt") {
  t8_il2_alone(kCells);
}

TEST_CASE("nfkb SSA behaviours: T8 IL-2 rescues the hypo_ub response to TNF 1 ng/ml") {
  t8_il2_rescue(kCells);
}

}  // namespace
}  // namespace nkappa::test::nfkb

// The published behaviours T1-T9 of the flagship model (design section 7) at the size of the
// published results: >= 200 cells per variant (ctest label `long`, outside CI; about 40 min of
// CPU on 2 cores). Same checks as the 64-cell CI run (tests/support/nfkb_ssa_behaviours.cpp),
// plus T9's amplitude ratio, which section 7 runs only here. Rows go to
// build/reports/nfkb_ssa_*_200.txt. Run: ctest --test-dir build -L long
#include <doctest/doctest.h>

#include "tests/support/nfkb_ssa_behaviours.hpp"

namespace nkappa::test::nfkb {
namespace {

constexpr std::int64_t kCells = 200;

TEST_CASE("nfkb SSA behaviours, 200 cells: T1-T4 and T7 on the noiseless cells") {
  SUBCASE("T1") {
    t1_first_peak(kCells);
  }
  SUBCASE("T2") {
    t2_oscillation(kCells);
  }
  SUBCASE("T3") {
    t3_ikba_degradation(kCells);
  }
  SUBCASE("T4") {
    t4_a20_knockout(kCells);
  }
  SUBCASE("T7 hypo_ub") {
    t7_hypomorph(kCells, "hypo_ub");
  }
  SUBCASE("T7 hypo_cc") {
    t7_hypomorph(kCells, "hypo_cc");
  }
  SUBCASE("T7 hypo_low") {
    t7_hypomorph(kCells, "hypo_low");
  }
}

TEST_CASE("nfkb SSA behaviours, 200 cells: T5 IkBa knockout") {
  t5_ikba_knockout(kCells);
}

TEST_CASE("nfkb SSA behaviours, 200 cells: T6 NEMO null") {
  t6_nemo_null(kCells);
}

TEST_CASE("nfkb SSA behaviours, 200 cells: T7 and T9 with extrinsic noise") {
  SUBCASE("T7 responder fractions") {
    t7_responder_fractions(kCells);
  }
  SUBCASE("T9 dose response and amplitude ratio") {
    t9_dose_response(kCells);
  }
}

TEST_CASE("nfkb SSA behaviours, 200 cells: T8 IL-2") {
  SUBCASE("T8 IL-2 alone") {
    t8_il2_alone(kCells);
  }
  SUBCASE("T8 IL-2 rescue") {
    t8_il2_rescue(kCells);
  }
}

}  // namespace
}  // namespace nkappa::test::nfkb

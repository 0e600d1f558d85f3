// The published behaviours T1-T9 of the flagship NF-kB/NEMO model (design section 7), stochastic
// column: exact SSA ensembles of 64 cells per variant in CI (section 7's CI rule). The checks,
// margins and false-alarm budget are in tests/support/nfkb_ssa_behaviours.cpp. The ctest label
// `long` (outside CI; tests/CMakeLists.txt) runs these cases again, all in one process, with
// NKAPPA_NFKB_CELLS=200: the published-size ensembles, which add T9's amplitude ratio.
//
// Under ctest every TEST_CASE is its own process and runs its ensembles itself (they are cached
// only within a process), so the behaviours that share variants are one case each. Cost, CPU
// seconds of 64 cells on this 2-core machine (sorting direct method, 80-105 ns CPU per event):
// noiseless group 340 (wt 76, a20ko to 240 min 35, hypo_ub 114, hypo_cc 81, hypo_low 35), noisy
// group 289 (wt 56, hypo_ub 81, hypo_cc 60, hypo_low 26, TNF 1 / 0.1 / 0.01: 28 / 20 / 20), T8 153
// (il2_mut and il2_wt 36 each, mut_tnf1 38, il2_mut_tnf1 44), T5 12 (to 2 min), T6 19. Each case
// prints its ensembles' wall and CPU time; its rows go to build/reports/nfkb_ssa_*_<cells>.txt.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "tests/support/nfkb_ssa_behaviours.hpp"

namespace nkappa::test::nfkb {
namespace {

// 64, or NKAPPA_NFKB_CELLS (the `long` label sets 200).
const std::int64_t kCells = [] {
  const char* cells = std::getenv("NKAPPA_NFKB_CELLS");
  return cells ? std::max<std::int64_t>(2, std::atoll(cells)) : std::int64_t{64};
}();

TEST_CASE("nfkb SSA behaviours: T1-T4 and T7 on the noiseless wt, hypomorph and knockout cells") {
  noiseless_group(kCells);
}
TEST_CASE("nfkb SSA behaviours: T5 IkBa knockout has nuclear NF-kB without stimulus") {
  t5_ikba_knockout(kCells);
}
TEST_CASE("nfkb SSA behaviours: T6 NEMO null does not respond to TNF") {
  t6_nemo_null(kCells);
}
TEST_CASE("nfkb SSA behaviours: T7 and T9 responder fractions with extrinsic noise") {
  noisy_group(kCells);
}
// One case for both T8 behaviours: about 160 s of CPU, like each of the other two big cases.
TEST_CASE("nfkb SSA behaviours: T8 IL-2 alone and as a rescue") {
  il2_group(kCells);
}

}  // namespace
}  // namespace nkappa::test::nfkb

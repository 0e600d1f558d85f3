#pragma once
// The published behaviours T1-T9 of the flagship model (shared/design/nfkb-nemo-model.md,
// section 7), stochastic column, as checks on exact-SSA ensembles of a given size: 64 cells per
// variant in CI (tests/statistical), >= 200 in the `long` label (tests/long). The margins and the
// false-alarm budget are written in nfkb_ssa_behaviours.cpp.
#include <cstdint>

namespace nkappa::test::nfkb {

void t1_first_peak(std::int64_t cells);
void t2_oscillation(std::int64_t cells);
void t3_ikba_degradation(std::int64_t cells);
void t4_a20_knockout(std::int64_t cells);
void t5_ikba_knockout(std::int64_t cells);
void t6_nemo_null(std::int64_t cells);
void t7_hypomorph(std::int64_t cells, const char* variant);  // hypo_ub, hypo_cc or hypo_low
void t7_responder_fractions(std::int64_t cells);             // extrinsic noise on
void t8_il2_alone(std::int64_t cells);
void t8_il2_rescue(std::int64_t cells);  // extrinsic noise on
// Extrinsic noise on; the amplitude ratio only with >= 200 cells (section 7).
void t9_dose_response(std::int64_t cells);

// The behaviours grouped by the ensembles they share (a ctest case is a process, and ensembles are
// cached only within a process), each behaviour a doctest SUBCASE.
void noiseless_group(std::int64_t cells);  // T1-T4, T7 (wt, a20ko, the three hypomorphs)
void noisy_group(std::int64_t cells);      // T7 responder fractions, T9 (extrinsic noise)
void il2_group(std::int64_t cells);        // T8

}  // namespace nkappa::test::nfkb

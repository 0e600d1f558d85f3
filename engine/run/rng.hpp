#pragma once
// The one random-number type of nkappa, and the seeding rule that makes every result
// independent of the thread count: trajectory i always draws from stream (seed, i).
//
// The engine is MT19937-64 (Matsumoto & Nishimura 1998, doi:10.1145/272991.272995; Nishimura
// 2000, doi:10.1145/369534.369540): quality first. Among the engines of the Boost.Random we build
// with (1.74, Debian 12), it is the one that is both good and cheap per 64 bits: the Mersenne
// twisters fail only TestU01's linear-complexity tests (L'Ecuyer & Simard 2007,
// doi:10.1145/1268776.1268777), which detect the F2-linearity of the generator, a structure an SSA
// does not see; one call gives the 53 bits of a double (about 35 instructions, twist included). The
// alternatives there are worse: ranlux is good but several times slower; the lagged-Fibonacci
// engines fail birthday-spacing tests; taus88, the LCGs (minstd, rand48, ecuyer1988) and the
// inversive generators are weaker or slower, and the 32-bit MT19937 needs two calls per double.
// xoshiro256 (Boost >= 1.83) would be cheaper at similar quality; it is not in the Boost we build
// with, and nkappa uses the field's library, not a hand-written engine. Changing the engine changes
// every trajectory (not their statistics).
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/seed_seq.hpp>
#include <cstdint>

namespace nkappa {

using Rng = boost::random::mt19937_64;

inline constexpr std::uint64_t kDefaultSeed = 20021129;  // fixed and printed: runs repeat exactly

inline Rng trajectory_stream(std::uint64_t seed, std::uint64_t trajectory) {
  boost::random::seed_seq seq{
      static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
      static_cast<std::uint32_t>(trajectory), static_cast<std::uint32_t>(trajectory >> 32)};
  return Rng(seq);
}

// Uniform on (0, 1]: safe for -log(u). 53 random bits.
inline double uniform_open_closed(Rng& rng) {
  return static_cast<double>((rng() >> 11) + 1) * 0x1.0p-53;
}

// Uniform on [0, 1). 53 random bits.
inline double uniform_closed_open(Rng& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Exponential with rate 1, for waiting times (divide by the rate). Boost.Random's ziggurat
// (Marsaglia & Tsang 2000, J Stat Softw 5(8), doi:10.18637/jss.v005.i08): exact, a rejection
// method whose tail is the body shifted (memorylessness); in about 99 % of calls it costs one
// engine call, a table lookup and a comparison, where -log(u) costs a call of log() (about 50
// instructions).
inline double unit_exponential(Rng& rng) {
  return boost::random::exponential_distribution<double>(1.0)(rng);
}

}  // namespace nkappa

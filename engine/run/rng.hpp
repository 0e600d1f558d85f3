#pragma once
// The one random-number type of nkappa, and the seeding rule that makes every result
// independent of the thread count: trajectory i always draws from stream (seed, i).
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

}  // namespace nkappa

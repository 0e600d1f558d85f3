#pragma once
// CSV text of ensemble statistics: header `time,<column names>`, one row per output time,
// numbers with 17 significant digits (they read back to the same double).
#include <string>
#include <vector>

#include "engine/observe/moments.hpp"

namespace nkappa {

enum class MomentStatistic { Mean, StandardDeviation };

std::string moments_csv(const std::vector<double>& times, const Moments& moments,
                        MomentStatistic statistic);
std::string format_number(double value);  // %.17g; NaN, INF, -INF spelled as the SBML suite does

}  // namespace nkappa

#include "report/csv.hpp"

#include <fmt/format.h>

#include <cmath>

namespace nkappa {

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "INF" : "-INF";
  return fmt::format("{:.17g}", value);
}

std::string moments_csv(const std::vector<double>& times, const Moments& moments,
                        MomentStatistic statistic) {
  std::string out = "time";
  for (const OutputColumn& c : moments.columns()) out += "," + c.name;
  out += "\n";
  for (std::int32_t t = 0; t < moments.time_points(); ++t) {
    out += format_number(times[static_cast<std::size_t>(t)]);
    for (std::int32_t c = 0; c < static_cast<std::int32_t>(moments.columns().size()); ++c) {
      const double v = statistic == MomentStatistic::Mean ? moments.mean(t, c)
                                                          : std::sqrt(moments.variance(t, c));
      out += "," + format_number(v);
    }
    out += "\n";
  }
  return out;
}

}  // namespace nkappa

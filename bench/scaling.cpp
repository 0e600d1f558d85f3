// The generated scaling family and its log–log plot.
#include <fmt/format.h>

#include <algorithm>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "bench/bench.hpp"
#include "engine/model/builder.hpp"
#include "engine/run/rng.hpp"

namespace nkappa::bench {

ModelDescription scaling_network(std::int32_t reactions, std::uint64_t seed) {
  const std::int32_t species = std::max<std::int32_t>(2, reactions / 2);
  Rng rng(seed);
  boost::random::uniform_int_distribution<std::int32_t> pick(0, species - 1);
  boost::random::bernoulli_distribution<> bimolecular(0.5);
  ModelBuilder b;
  for (std::int32_t s = 0; s < species; ++s) b.species(fmt::format("S{}", s), 100);
  // Rates chosen so that both kinds contribute about 100 per reaction at 100 molecules each.
  b.parameter("k1", 1.0).parameter("k2", 0.01);
  auto name = [](std::int32_t s) { return fmt::format("S{}", s); };
  for (std::int32_t r = 0; r < reactions; ++r) {
    const std::int32_t a = pick(rng);
    std::int32_t c = pick(rng);
    if (c == a) c = (c + 1) % species;
    const std::string id = fmt::format("R{}", r);
    if (bimolecular(rng)) {
      std::int32_t bb = pick(rng);
      if (bb == a) bb = (bb + 1) % species;
      const std::int32_t d = pick(rng);
      b.mass_action(id, {{name(a), 1}, {name(bb), 1}}, {{name(c), 1}, {name(d), 1}}, "k2");
    } else {
      b.mass_action(id, {{name(a), 1}}, {{name(c), 1}}, "k1");
    }
  }
  return b.build();
}

double scaling_t_end(std::int32_t reactions, double events) {
  return events / (100.0 * static_cast<double>(reactions));
}

std::string loglog_svg(const std::vector<Series>& series, const std::string& title,
                       const std::string& x_label, const std::string& y_label) {
  double x0 = INFINITY, x1 = 0, y0 = INFINITY, y1 = 0;
  for (const Series& s : series)
    for (const auto& [x, y] : s.points) {
      if (!(x > 0) || !(y > 0)) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  if (!(x1 > 0)) x0 = 1, x1 = 10, y0 = 1, y1 = 10;
  // Whole decades on both axes.
  const double lx0 = std::floor(std::log10(x0)), lx1 = std::max(lx0 + 1, std::ceil(std::log10(x1)));
  const double ly0 = std::floor(std::log10(y0)), ly1 = std::max(ly0 + 1, std::ceil(std::log10(y1)));
  const double W = 760, H = 520, left = 80, right = 220, top = 40, bottom = 60;
  const double pw = W - left - right, ph = H - top - bottom;
  auto px = [&](double x) { return left + pw * (std::log10(x) - lx0) / (lx1 - lx0); };
  auto py = [&](double y) { return top + ph * (1 - (std::log10(y) - ly0) / (ly1 - ly0)); };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"22\" font-size=\"14\">{3}</text>\n",
      W, H, left, title);
  for (double d = lx0; d <= lx1; ++d) {
    const double x = left + pw * (d - lx0) / (lx1 - lx0);
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#ddd\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">1e{4}</text>\n",
        x, top, top + ph, top + ph + 18, static_cast<int>(d));
  }
  for (double d = ly0; d <= ly1; ++d) {
    const double y = top + ph * (1 - (d - ly0) / (ly1 - ly0));
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">1e{5}</text>\n",
        left, y, left + pw, left - 6, y + 4, static_cast<int>(d));
  }
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n"
      "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n"
      "<text transform=\"translate(20,{}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
      left, top, pw, ph, left + pw / 2, H - 15, x_label, top + ph / 2, y_label);
  static const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                  "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* colour = colours[i % std::size(colours)];
    std::string points;
    for (const auto& [x, y] : series[i].points) {
      if (!(x > 0) || !(y > 0)) continue;
      points += fmt::format("{:.1f},{:.1f} ", px(x), py(y));
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", px(x),
                         py(y), colour);
    }
    svg +=
        fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/>\n",
                    points, colour);
    const double ly = top + 10 + 20 * static_cast<double>(i);
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"/>"
        "<text x=\"{4}\" y=\"{5}\">{6}</text>\n",
        left + pw + 15, ly, left + pw + 40, colour, left + pw + 46, ly + 4, series[i].name);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace nkappa::bench

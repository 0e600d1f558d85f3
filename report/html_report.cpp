// report.html of `nkappa compare`: one self-contained page, inline CSS and inline SVG only (no
// script, no font, image or style sheet from anywhere), readable offline years later.
//
// Reading order of the page: what was run; the answer in sentences and one table; an at-a-glance
// figure (responders, peak time, amplitude, period with their intervals); the readout over time
// per variant (mean, quantile bands, single cells, ODE) and all variants overlaid; histograms of
// the per-cell statistics; the full comparison table; SSA versus ODE.
//
// Invariants the browser test checks: every <svg> carries data-plot (its name) and data-points
// (the number of finite data points drawn); a plot without data says why in data-empty and in
// its own text; no coordinate or label is ever "nan" or "inf" (non-finite values are skipped,
// tables print a dash); every string from the user (ids, descriptions, file names, sentences) is
// escaped.
#include "report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "report/compare_tables.hpp"

namespace nkappa {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Okabe & Ito (2008), "Color universal design": distinguishable with every common colour-vision
// deficiency. Yellow (weak on white) and black (the ODE's colour in a variant's own plot) come
// last.
constexpr std::array<const char*, 8> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                 "#E69F00", "#56B4E9", "#F0E442", "#000000"};
// Beyond eight variants the colours repeat, with another dash pattern in the overlays and hollow
// markers in the tables.
constexpr std::array<const char*, 3> kDashes = {"", "7 3", "2 2"};
constexpr const char* kOdeColour = "#1a1a1a";

const char* colour_of(std::size_t i) {
  return kPalette[i % kPalette.size()];
}
const char* dash_of(std::size_t i) {
  return kDashes[(i / kPalette.size()) % kDashes.size()];
}

// ---------------------------------------------------------------------------------------------
// Text

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

bool finite(double x) {
  return std::isfinite(x);
}

// A typographic minus for negative numbers in tables and labels.
std::string with_minus(std::string s) {
  if (!s.empty() && s[0] == '-') s.replace(0, 1, "\u2212");
  return s;
}

// Fixed decimals; a dash for NaN and infinities, so the page never reads "nan".
std::string fixed(double x, int decimals) {
  if (!finite(x)) return "\u2013";
  if (std::fabs(x) < 0.5 * std::pow(10.0, -decimals)) x = 0.0;  // no "-0.000"
  return with_minus(fmt::format("{:.{}f}", x, decimals));
}

std::string signed_fixed(double x, int decimals) {
  if (!finite(x)) return "\u2013";
  if (std::fabs(x) < 0.5 * std::pow(10.0, -decimals)) return fmt::format("{:.{}f}", 0.0, decimals);
  return with_minus(fmt::format("{:+.{}f}", x, decimals));
}

// Short form for settings and times: "30", "7.5", "0.1".
std::string compact(double x) {
  if (!finite(x)) return "\u2013";
  if (std::fabs(x - std::round(x)) < 1e-9 * std::max(1.0, std::fabs(x)))
    return with_minus(fmt::format("{:.0f}", x));
  return with_minus(fmt::format("{:.4g}", x));
}

// A threshold as a biologist writes it: two decimals where they suffice ("0.10").
std::string threshold_text(double x) {
  if (finite(x) && std::fabs(x) >= 0.01 && std::fabs(x) < 1000 &&
      std::fabs(x * 100 - std::round(x * 100)) < 1e-9)
    return fixed(x, 2);
  return compact(x);
}

// Large counts: "4.35 x 10^5" with a real superscript.
std::string count_text(double x) {
  if (!finite(x)) return "\u2013";
  if (std::fabs(x) < 1e4) return fmt::format("{:.0f}", x);
  const int exponent = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  return fmt::format("{:.2f} \u00d7 10<sup>{}</sup>", x / std::pow(10.0, exponent), exponent);
}

// Decimals that show about three significant digits of values of this size.
int decimals_for(double scale) {
  scale = std::fabs(scale);
  if (!finite(scale) || scale == 0.0) return 3;
  if (scale >= 1000) return 0;
  if (scale >= 100) return 1;
  if (scale >= 10) return 2;
  if (scale >= 0.01) return 3;
  return 5;
}

int decimals_for(std::initializer_list<double> values) {
  double scale = 0.0;
  for (const double v : values)
    if (finite(v)) scale = std::max(scale, std::fabs(v));
  return decimals_for(scale);
}

std::string p_value_text(double p) {
  if (!finite(p)) return "\u2013";
  if (p < 1e-4) return "&lt; 10<sup>\u22124</sup>";
  if (p < 0.001) return fmt::format("{:.1e}", p);
  if (p < 0.1) return fmt::format("{:.3f}", p);
  return fmt::format("{:.2f}", p);
}

// An SVG coordinate: one decimal; never "nan" (callers skip non-finite points, this is a guard).
std::string c(double v) {
  return finite(v) ? fmt::format("{:.1f}", v) : "0";
}

// ---------------------------------------------------------------------------------------------
// Axes

double nice_step(double range, double target_ticks) {
  if (!(range > 0.0) || !finite(range)) return 1.0;
  const double raw = range / target_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double nice = f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0;
  return nice * magnitude;
}

// Time axes in minutes tick at the clock's multiples (15, 30, 60 min, ...).
double time_step(double range, const std::string& unit, double target_ticks) {
  if ((unit == "min" || unit == "s") && range >= 60.0)
    for (const double s :
         {10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 180.0, 240.0, 360.0, 480.0, 720.0, 1440.0, 2880.0})
      if (range / s <= target_ticks + 1.0) return s;
  return nice_step(range, target_ticks);
}

int step_decimals(double step) {
  return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
}

std::vector<double> ticks_in(double lo, double hi, double step) {
  std::vector<double> out;
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double t = first; t <= hi + step * 1e-9; t += step) {
    out.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
    if (out.size() > 200) break;
  }
  return out;
}

struct Range {
  double lo = 0.0, hi = 1.0, step = 0.2;
};

// [lo, hi] widened to multiples of a nice step; a degenerate range is widened around its value.
Range nice_range(double lo, double hi, double target_ticks) {
  if (!finite(lo) || !finite(hi)) return {};
  if (hi - lo <= 0.0) {
    const double pad = lo == 0.0 ? 1.0 : 0.1 * std::fabs(lo);
    lo -= pad;
    hi += pad;
  }
  const double step = nice_step(hi - lo, target_ticks);
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step};
}

// The plot area of an SVG and the data ranges it shows.
struct Frame {
  double left = 0, top = 0, width = 100, height = 100;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double px(double x) const { return left + (x - x0) / (x1 - x0) * width; }
  double py(double y) const { return top + height - (y - y0) / (y1 - y0) * height; }
  double right() const { return left + width; }
  double bottom() const { return top + height; }
  bool holds_x(double x) const { return x >= x0 - 1e-9 * (x1 - x0) && x <= x1 + 1e-9 * (x1 - x0); }
};

class Svg {
 public:
  Svg(std::string name, double width, double height, std::string label)
      : name_(std::move(name)), width_(width), height_(height), label_(std::move(label)) {}
  std::string body;
  std::int64_t points = 0;
  std::string empty_note;  // why a plot has no data

  std::string finish() const {
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" viewBox=\"0 0 {0} {1}\" "
        "width=\"{0}\" height=\"{1}\" role=\"img\" aria-label=\"{2}\" data-plot=\"{3}\" "
        "data-points=\"{4}\"{5}>\n<title>{2}</title>\n{6}</svg>\n",
        c(width_), c(height_), esc(label_), esc(name_), points,
        empty_note.empty() ? "" : fmt::format(" data-empty=\"{}\"", esc(empty_note)), body);
  }

 private:
  std::string name_;
  double width_, height_;
  std::string label_;
};

void text(Svg& svg, double x, double y, const std::string& escaped, const char* anchor = "start",
          const char* cls = "") {
  svg.body += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}>{}</text>\n", c(x), c(y),
                          anchor, *cls ? fmt::format(" class=\"{}\"", cls) : "", escaped);
}

void line(Svg& svg, double x1, double y1, double x2, double y2, const std::string& style) {
  svg.body += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>\n", c(x1), c(y1),
                          c(x2), c(y2), style);
}

struct AxisSpec {
  double step = 1.0;
  std::string label;  // escaped
};

void draw_axes(Svg& svg, const Frame& f, const AxisSpec& x, const AxisSpec& y, bool y_grid = true) {
  const int xd = step_decimals(x.step), yd = step_decimals(y.step);
  std::size_t widest = 1;
  for (const double t : ticks_in(f.y0, f.y1, y.step)) {
    const double py = f.py(t);
    if (y_grid) line(svg, f.left, py, f.right(), py, "class=\"grid\"");
    line(svg, f.left - 4, py, f.left, py, "class=\"tick\"");
    const std::string label = fixed(t, yd);
    widest = std::max(widest, label.size());
    text(svg, f.left - 7, py + 3.5, label, "end", "tl");
  }
  for (const double t : ticks_in(f.x0, f.x1, x.step)) {
    const double px = f.px(t);
    line(svg, px, f.bottom(), px, f.bottom() + 4, "class=\"tick\"");
    text(svg, px, f.bottom() + 16, fixed(t, xd), "middle", "tl");
  }
  line(svg, f.left, f.bottom(), f.right(), f.bottom(), "class=\"axis\"");
  line(svg, f.left, f.top, f.left, f.bottom(), "class=\"axis\"");
  text(svg, f.left + f.width / 2, f.bottom() + 33, x.label, "middle", "al");
  svg.body += fmt::format(
      "<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" class=\"al\" "
      "transform=\"rotate(-90 {0} {1})\">{2}</text>\n",
      c(std::max(12.0, f.left - 16 - 6.0 * static_cast<double>(widest))), c(f.top + f.height / 2),
      y.label);
}

// The path through the finite points inside the x range; a gap wherever a value is missing.
std::string path_data(const Frame& f, const std::vector<double>& x, const std::vector<double>& y,
                      std::int64_t& points) {
  std::string d;
  bool pen_down = false;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (!finite(x[i]) || !finite(y[i]) || !f.holds_x(x[i])) {
      pen_down = false;
      continue;
    }
    d += fmt::format("{}{} {}", pen_down ? "L" : (d.empty() ? "M" : " M"), c(f.px(x[i])),
                     c(f.py(y[i])));
    pen_down = true;
    ++points;
  }
  return d;
}

// Closed polygons between two curves, one per run of samples where both are finite.
std::string band_data(const Frame& f, const std::vector<double>& x, const std::vector<double>& lo,
                      const std::vector<double>& hi, std::int64_t& points) {
  std::string d;
  const std::size_t n = std::min({x.size(), lo.size(), hi.size()});
  std::size_t i = 0;
  while (i < n) {
    auto ok = [&](std::size_t k) {
      return finite(x[k]) && finite(lo[k]) && finite(hi[k]) && f.holds_x(x[k]);
    };
    if (!ok(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && ok(j)) ++j;
    for (std::size_t k = i; k < j; ++k)
      d += fmt::format("{}{} {}", k == i ? (d.empty() ? "M" : " M") : "L", c(f.px(x[k])),
                       c(f.py(hi[k])));
    for (std::size_t k = j; k-- > i;) d += fmt::format("L{} {}", c(f.px(x[k])), c(f.py(lo[k])));
    d += "Z";
    points += 2 * static_cast<std::int64_t>(j - i);
    i = j;
  }
  return d;
}

// Legend entries drawn in a row (or a column) inside the SVG.
struct LegendItem {
  enum class Kind { Line, Dashed, Band, ThinLine, Dot, Diamond, Threshold } kind = Kind::Line;
  std::string colour;
  double opacity = 1.0;
  std::string label;  // escaped
  std::string dash;
};

double legend_item_width(const LegendItem& item) {
  // Rough width of 11 px text: enough to keep items apart without measuring.
  return 30.0 + 6.2 * static_cast<double>(item.label.size());
}

void legend_symbol(Svg& svg, const LegendItem& item, double x, double y) {
  using K = LegendItem::Kind;
  switch (item.kind) {
    case K::Line:
    case K::Dashed:
    case K::ThinLine:
    case K::Threshold: {
      std::string dash = item.dash;
      if (dash.empty() && (item.kind == K::Dashed || item.kind == K::Threshold)) dash = "5 3";
      line(svg, x, y, x + 22, y,
           fmt::format(
               "stroke=\"{}\" stroke-width=\"{}\" stroke-opacity=\"{}\"{}", item.colour,
               item.kind == K::ThinLine ? 1.0 : 2.2, item.opacity,
               dash.empty() ? std::string() : fmt::format(" stroke-dasharray=\"{}\"", dash)));
      break;
    }
    case K::Band:
      svg.body += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"10\" fill=\"{}\" fill-opacity=\"{}\"/>\n",
          c(x), c(y - 5), item.colour, item.opacity);
      break;
    case K::Dot:
      svg.body += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"/>\n", c(x + 11),
                              c(y), item.colour);
      break;
    case K::Diamond:
      svg.body += fmt::format(
          "<path d=\"M{} {}l5 5l-5 5l-5 -5Z\" fill=\"#fff\" stroke=\"{}\" stroke-width=\"1.5\"/>\n",
          c(x + 11), c(y - 5), item.colour);
      break;
  }
}

void legend_row(Svg& svg, const std::vector<LegendItem>& items, double x, double y) {
  for (const LegendItem& item : items) {
    legend_symbol(svg, item, x, y);
    text(svg, x + 27, y + 3.5, item.label, "start", "lg");
    x += legend_item_width(item);
  }
}

// Items 17 px apart, closer when that would run past `height`.
void legend_column(Svg& svg, const std::vector<LegendItem>& items, double x, double y,
                   double height) {
  const double spacing =
      items.empty() ? 17.0 : std::min(17.0, height / static_cast<double>(items.size()));
  for (const LegendItem& item : items) {
    legend_symbol(svg, item, x, y);
    text(svg, x + 27, y + 3.5, item.label, "start", "lg");
    y += spacing;
  }
}

void no_data_note(Svg& svg, const Frame& f, const std::string& note) {
  svg.empty_note = note;
  svg.body += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"empty\"/>\n",
                          c(f.left), c(f.top), c(f.width), c(f.height));
  text(svg, f.left + f.width / 2, f.top + f.height / 2 + 4, esc(note), "middle", "note");
}

// ---------------------------------------------------------------------------------------------
// Data of the page

std::string statistic_title(const std::string& name) {
  if (name == "rise") return "Rise";
  if (name == "first_peak_time") return "First peak time";
  if (name == "amplitude") return "Peak amplitude";
  if (name == "period") return "Oscillation period";
  if (name == "responder_fraction") return "Responder fraction";
  return name;
}

bool is_time_statistic(const std::string& name) {
  return name == "first_peak_time" || name == "period";
}

struct Page {
  const CompareReport& report;
  const std::vector<VariantResult>& variants;
  std::string unit;     // time unit, escaped
  std::string readout;  // readout id, escaped
  Frame time_frame;     // x and y ranges shared by every readout-versus-time plot
  double x_step = 60, y_step = 0.2;
};

std::size_t time_count(const Page& page, const VariantResult& v) {
  return std::min(page.report.tau.size(),
                  static_cast<std::size_t>(std::max(0, v.cells.time_points())));
}

bool readout_valid(const Page& page, const VariantResult& v) {
  return page.report.readout >= 0 && page.report.readout < v.cells.observables();
}

std::vector<double> mean_series(const Page& page, const VariantResult& v) {
  std::vector<double> out(time_count(page, v), kNaN);
  if (!readout_valid(page, v)) return out;
  for (std::size_t t = 0; t < out.size(); ++t) {
    const auto ti = static_cast<std::int32_t>(t);
    if (v.cells.count(ti) > 0) out[t] = v.cells.mean(ti, page.report.readout);
  }
  return out;
}

std::vector<double> quantile_series(const Page& page, const VariantResult& v, double p) {
  std::vector<double> out(time_count(page, v), kNaN);
  if (!readout_valid(page, v)) return out;
  for (std::size_t t = 0; t < out.size(); ++t)
    out[t] = v.cells.sketch(static_cast<std::int32_t>(t), page.report.readout).quantile(p);
  return out;
}

std::vector<double> ode_series(const Page& page, const VariantResult& v) {
  std::vector<double> out(page.report.tau.size(), kNaN);
  if (!v.has_ode || page.report.readout < 0) return out;
  const auto o = static_cast<std::size_t>(page.report.readout);
  for (std::size_t t = 0; t < out.size() && t < v.ode.size(); ++t)
    if (o < v.ode[t].size()) out[t] = v.ode[t][o];
  return out;
}

std::vector<double> trace_series(const Page& page, const std::vector<double>& trace) {
  std::vector<double> out(page.report.tau.size(), kNaN);
  for (std::size_t t = 0; t < out.size() && t < trace.size(); ++t) out[t] = trace[t];
  return out;
}

constexpr std::size_t kTracesShown = 5;

// Axes shared by every readout plot, so that the panels compare by eye.
void fit_time_frame(Page& page) {
  const std::vector<double>& tau = page.report.tau;
  double x0 = kNaN, x1 = kNaN;
  for (const double t : tau)
    if (finite(t)) {
      x0 = finite(x0) ? std::min(x0, t) : t;
      x1 = finite(x1) ? std::max(x1, t) : t;
    }
  if (!finite(x0)) x0 = 0.0, x1 = 1.0;
  if (x1 <= x0) x1 = x0 + 1.0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  auto take = [&](const std::vector<double>& s) {
    for (const double y : s)
      if (finite(y)) lo = std::min(lo, y), hi = std::max(hi, y);
  };
  for (const VariantResult& v : page.variants) {
    take(mean_series(page, v));
    take(quantile_series(page, v, 0.05));
    take(quantile_series(page, v, 0.95));
    take(ode_series(page, v));
    const auto& traces = v.cells.stored_traces();
    for (std::size_t k = 0; k < traces.size() && k < kTracesShown; ++k)
      take(trace_series(page, traces[k]));
  }
  if (!finite(lo)) lo = 0.0, hi = 1.0;
  if (lo >= 0.0) lo = 0.0;  // counts and fractions: the axis starts at zero
  const Range y = nice_range(lo, hi, 5);
  page.time_frame.x0 = x0;
  page.time_frame.x1 = x1;
  page.time_frame.y0 = y.lo;
  page.time_frame.y1 = y.hi;
  page.y_step = y.step;
  page.x_step = time_step(x1 - x0, page.report.readout_info.time_unit, 8);
}

std::string time_axis_label(const Page& page) {
  return page.unit.empty() ? "\u03c4, time after the stimulus"
                           : fmt::format("\u03c4, time after the stimulus ({})", page.unit);
}

void stimulus_marker(Svg& svg, const Frame& f) {
  if (!f.holds_x(0.0)) return;
  const double x = f.px(0.0);
  line(svg, x, f.top, x, f.bottom(), "class=\"stim\"");
  svg.body += fmt::format("<path d=\"M{} {}l-5 -7h10Z\" class=\"stim-mark\"/>\n", c(x), c(f.top));
  text(svg, x + 4, f.top + 11, "stimulus", "start", "stim-label");
}

// ---------------------------------------------------------------------------------------------
// Plots

std::string readout_plot(const Page& page, const VariantResult& v, std::size_t index) {
  const double width = 590, height = 340;
  Frame f = page.time_frame;
  f.left = 70;
  f.top = 40;
  f.width = width - f.left - 18;
  f.height = height - f.top - 48;
  Svg svg("readout-" + v.id, width, height,
          fmt::format("{} over time, {}: cells' mean, quantile bands, single cells{}",
                      page.report.readout_info.observable, v.id, v.has_ode ? ", ODE" : ""));
  const std::string colour = colour_of(index);
  const std::vector<double>& tau = page.report.tau;

  draw_axes(svg, f, {page.x_step, time_axis_label(page)}, {page.y_step, page.readout});
  std::int64_t points = 0;
  const std::string outer =
      band_data(f, tau, quantile_series(page, v, 0.05), quantile_series(page, v, 0.95), points);
  const std::string inner =
      band_data(f, tau, quantile_series(page, v, 0.25), quantile_series(page, v, 0.75), points);
  if (!outer.empty())
    svg.body += fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"0.16\"/>\n", outer, colour);
  if (!inner.empty())
    svg.body += fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"0.34\"/>\n", inner, colour);
  const auto& traces = v.cells.stored_traces();
  std::size_t shown = 0;
  for (std::size_t k = 0; k < traces.size() && shown < kTracesShown; ++k) {
    const std::string d = path_data(f, tau, trace_series(page, traces[k]), points);
    if (d.empty()) continue;
    svg.body += fmt::format("<path d=\"{}\" class=\"cell\"/>\n", d);
    ++shown;
  }
  const std::string mean = path_data(f, tau, mean_series(page, v), points);
  if (!mean.empty())
    svg.body += fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.4\" "
        "stroke-linejoin=\"round\"/>\n",
        mean, colour);
  std::string ode;
  if (v.has_ode) {
    ode = path_data(f, tau, ode_series(page, v), points);
    if (!ode.empty())
      svg.body += fmt::format(
          "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\" "
          "stroke-dasharray=\"6 4\"/>\n",
          ode, kOdeColour);
  }
  stimulus_marker(svg, f);
  svg.points = points;
  if (points == 0) no_data_note(svg, f, "no samples of the readout");

  std::vector<LegendItem> legend = {{LegendItem::Kind::Line, colour, 1.0, "mean of cells", ""},
                                    {LegendItem::Kind::Band, colour, 0.34, "25\u201375 %", ""},
                                    {LegendItem::Kind::Band, colour, 0.16, "5\u201395 %", ""}};
  if (shown > 0)
    legend.push_back({LegendItem::Kind::ThinLine, "#4d4d4d", 0.7,
                      fmt::format("{} single cell{}", shown, shown == 1 ? "" : "s"), ""});
  if (!ode.empty()) legend.push_back({LegendItem::Kind::Dashed, kOdeColour, 1.0, "ODE", "6 4"});
  legend_row(svg, legend, f.left, 16);
  return svg.finish();
}

// All variants' mean (or ODE) readout in one frame.
std::string overlay_plot(const Page& page, bool ode) {
  const double width = 590, height = 340;
  Frame f = page.time_frame;
  f.left = 70;
  f.top = 22;
  f.width = width - f.left - 150;
  f.height = height - f.top - 48;
  Svg svg(ode ? "overlay-ode" : "overlay-mean", width, height,
          fmt::format("{} over time, {} of every variant", page.report.readout_info.observable,
                      ode ? "ODE solution" : "mean of cells"));
  draw_axes(svg, f, {page.x_step, time_axis_label(page)}, {page.y_step, page.readout});
  std::vector<LegendItem> legend;
  std::int64_t points = 0;
  for (std::size_t i = 0; i < page.variants.size(); ++i) {
    const VariantResult& v = page.variants[i];
    if (ode && !v.has_ode) continue;
    const std::string d =
        path_data(f, page.report.tau, ode ? ode_series(page, v) : mean_series(page, v), points);
    if (d.empty()) continue;
    const std::string dash = ode ? (i < kPalette.size() ? "6 4" : "2 3") : dash_of(i);
    svg.body += fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.2\" "
        "stroke-linejoin=\"round\"{}/>\n",
        d, colour_of(i), dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash));
    std::string label = v.id.size() > 18 ? v.id.substr(0, 17) + "\u2026" : v.id;
    legend.push_back({ode ? LegendItem::Kind::Dashed : LegendItem::Kind::Line, colour_of(i), 1.0,
                      esc(label), dash});
  }
  stimulus_marker(svg, f);
  svg.points = points;
  if (points == 0) no_data_note(svg, f, ode ? "no ODE solution in this run" : "no samples");
  legend_column(svg, legend, f.right() + 14, f.top + 8, height - f.top - 16);
  return svg.finish();
}

// One variant's histogram of a per-cell statistic, on bins shared by all variants.
struct Bins {
  double lo = 0, step = 1;
  std::size_t count = 1;
  std::int64_t max_count = 1;
  double axis_step = 1;
  bool any = false;
};

std::size_t bin_of(const Bins& b, double x) {
  const double k = std::floor((x - b.lo) / b.step);
  if (k < 0) return 0;
  return std::min(b.count - 1, static_cast<std::size_t>(k));
}

Bins shared_bins(const Page& page, const std::string& statistic) {
  Bins b;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const VariantResult& v : page.variants)
    for (const double x : cell_values(v, statistic))
      if (finite(x)) lo = std::min(lo, x), hi = std::max(hi, x), b.any = true;
  if (statistic == "rise" && finite(page.report.threshold))
    lo = std::min(lo, page.report.threshold), hi = std::max(hi, page.report.threshold);
  if (!finite(lo) || !finite(hi)) return b;
  if (statistic == "rise" || statistic == "amplitude") lo = std::min(lo, 0.0);
  if (hi - lo <= 0.0) {
    const double pad = lo == 0.0 ? 0.5 : 0.1 * std::fabs(lo);
    lo -= pad;
    hi += pad;
  }
  // About 2 sqrt(n) bins for the largest variant (at least 10, at most 40).
  std::size_t cells = 1;
  for (const VariantResult& v : page.variants) cells = std::max(cells, v.cells.cells().size());
  b.step = nice_step(hi - lo, std::clamp(2.0 * std::sqrt(static_cast<double>(cells)), 10.0, 40.0));
  b.lo = std::floor(lo / b.step + 1e-9) * b.step;
  const double upper = std::floor(hi / b.step + 1e-9) * b.step + b.step;  // hi inside the last bin
  b.count = static_cast<std::size_t>(std::max(1.0, std::round((upper - b.lo) / b.step)));
  const double span = static_cast<double>(b.count) * b.step;
  b.axis_step = is_time_statistic(statistic)
                    ? time_step(span, page.report.readout_info.time_unit, 4)
                    : nice_step(span, 4);
  for (const VariantResult& v : page.variants) {
    std::vector<std::int64_t> counts(b.count, 0);
    for (const double x : cell_values(v, statistic))
      if (finite(x)) b.max_count = std::max(b.max_count, ++counts[bin_of(b, x)]);
  }
  return b;
}

std::string empty_reason(const VariantResult& v, const std::string& statistic) {
  const ResponderFraction r = responder_fraction(v);
  if (r.cells == 0) return "no cells";
  if (statistic == "rise") return "no finite rise";
  if (r.responders == 0) return "no responders";
  if (statistic == "period") return "no cell with \u2265 2 peaks";
  return "no peak in any responder";
}

std::string histogram_plot(const Page& page, const VariantResult& v, std::size_t index,
                           const std::string& statistic, const Bins& b) {
  const double width = 290, height = 200;
  Frame f;
  f.left = 48;
  f.top = 30;
  f.width = width - f.left - 12;
  f.height = height - f.top - 44;
  f.x0 = b.lo;
  f.x1 = b.lo + static_cast<double>(b.count) * b.step;
  const Range y = nice_range(0.0, static_cast<double>(b.max_count), 4);
  f.y0 = 0.0;
  f.y1 = y.hi;
  const bool time = is_time_statistic(statistic);
  Svg svg(fmt::format("hist-{}-{}", statistic, v.id), width, height,
          fmt::format("histogram of {} over the cells of {}", statistic_title(statistic), v.id));
  const std::string unit_suffix = time && !page.unit.empty() ? fmt::format(" ({})", page.unit) : "";
  const std::vector<double> values = cell_values(v, statistic);
  std::vector<std::int64_t> counts(b.count, 0);
  std::int64_t n = 0;
  for (const double x : values)
    if (finite(x)) ++counts[bin_of(b, x)], ++n;
  draw_axes(svg, f, {b.axis_step, esc(statistic_title(statistic)) + unit_suffix},
            {std::max(1.0, y.step), "cells"});

  const std::string colour = colour_of(index);
  const Described d = describe(values);
  text(svg, 4, 14, esc(v.id.size() > 16 ? v.id.substr(0, 15) + "\u2026" : v.id), "start", "panel");
  if (n == 0) {
    svg.points = 0;
    no_data_note(svg, f, empty_reason(v, statistic));
    text(svg, f.right(), 14, fmt::format("n 0/{}", values.size()), "end", "lg");
    return svg.finish();
  }
  const int dec = time ? 1 : decimals_for(d.q50);
  text(svg, f.right(), 14,
       fmt::format("n {}/{} \u00b7 median {}{}", n, values.size(), fixed(d.q50, dec),
                   time ? " " + page.unit : ""),
       "end", "lg");
  for (std::size_t k = 0; k < b.count; ++k) {
    if (counts[k] == 0) continue;
    const double x0 = f.px(b.lo + static_cast<double>(k) * b.step);
    const double x1 = f.px(b.lo + static_cast<double>(k + 1) * b.step);
    const double top = f.py(static_cast<double>(counts[k]));
    svg.body += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" fill-opacity=\"0.55\" "
        "stroke=\"{}\" stroke-width=\"0.8\"/>\n",
        c(x0), c(top), c(std::max(0.5, x1 - x0)), c(f.bottom() - top), colour, colour);
  }
  if (finite(d.q50) && f.holds_x(d.q50))
    line(svg, f.px(d.q50), f.top, f.px(d.q50), f.bottom(), "class=\"median\"");
  if (statistic == "rise" && finite(page.report.threshold) && f.holds_x(page.report.threshold)) {
    const double x = f.px(page.report.threshold);
    line(svg, x, f.top - 4, x, f.bottom(), "class=\"threshold\"");
    text(svg, x + 3, f.top + 9,
         fmt::format("responder \u2265 {}", threshold_text(page.report.threshold)), "start",
         "thr-label");
  }
  svg.points = n;
  return svg.finish();
}

// One value per variant with its 95 % interval, for each headline statistic, in one figure.
struct GlanceValue {
  double value = kNaN, low = kNaN, high = kNaN, ode = kNaN;
  std::string missing;  // why there is no value
};

bool any_ode(const Page& page) {
  return std::any_of(page.variants.begin(), page.variants.end(),
                     [](const VariantResult& v) { return v.has_ode; });
}

std::string glance_plot(const Page& page) {
  const std::vector<std::string> stats = {"responder_fraction", "first_peak_time", "amplitude",
                                          "period"};
  const std::size_t rows = page.variants.size();
  const double label_width = 128, gap = 44, right_pad = 14;
  const double width = 1180;
  const double panel = (width - label_width - right_pad - gap * 3) / 4;
  const double row_h = 26, top = 34;
  const double height = top + row_h * static_cast<double>(std::max<std::size_t>(rows, 1)) + 64;
  Svg svg("at-a-glance", width, height,
          "responder fraction, first peak time, amplitude and period per variant with 95 % "
          "intervals and ODE values");
  for (std::size_t i = 0; i < rows; ++i) {
    const double y = top + row_h * static_cast<double>(i);
    if (i % 2 == 0)
      svg.body +=
          fmt::format("<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"stripe\"/>\n",
                      c(y), c(width), c(row_h));
    std::string label = page.variants[i].id.size() > 18
                            ? page.variants[i].id.substr(0, 17) + "\u2026"
                            : page.variants[i].id;
    svg.body += i < kPalette.size()
                    ? fmt::format("<circle cx=\"10\" cy=\"{}\" r=\"5\" fill=\"{}\"/>\n",
                                  c(y + row_h / 2), colour_of(i))
                    : fmt::format(
                          "<circle cx=\"10\" cy=\"{}\" r=\"4\" fill=\"#fff\" stroke=\"{}\" "
                          "stroke-width=\"2.5\"/>\n",
                          c(y + row_h / 2), colour_of(i));
    text(svg, 22, y + row_h / 2 + 4, esc(label), "start", "rowlabel");
  }
  std::int64_t points = 0;
  for (std::size_t s = 0; s < stats.size(); ++s) {
    const std::string& stat = stats[s];
    const bool time = is_time_statistic(stat);
    std::vector<GlanceValue> values(rows);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < rows; ++i) {
      const VariantResult& v = page.variants[i];
      GlanceValue& g = values[i];
      if (stat == "responder_fraction") {
        const ResponderFraction r = responder_fraction(v);
        if (r.cells > 0)
          g.value = r.fraction, g.low = r.ci_low, g.high = r.ci_high;
        else
          g.missing = "no cells";
        if (v.has_ode) g.ode = v.ode_summary.responder ? 1.0 : 0.0;
      } else {
        const Described d = describe(cell_values(v, stat));
        g.value = d.mean, g.low = d.ci_low, g.high = d.ci_high;
        if (!finite(g.value)) g.missing = empty_reason(v, stat);
        if (v.has_ode) {
          g.ode = cell_statistic(v.ode_summary, stat);
          if (stat == "amplitude" && !v.ode_summary.responder) g.ode = kNaN;
        }
      }
      for (const double x : {g.value, g.low, g.high, g.ode})
        if (finite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    }
    Frame f;
    f.left = label_width + static_cast<double>(s) * (panel + gap);
    f.top = top;
    f.width = panel;
    f.height = row_h * static_cast<double>(std::max<std::size_t>(rows, 1));
    Range x;
    if (stat == "responder_fraction") {
      x = {0.0, 1.0, 0.2};
    } else if (finite(lo)) {
      if (!time) lo = std::min(lo, 0.0);
      x = nice_range(lo, hi, 4);
      if (time) {
        x.step = time_step(x.hi - x.lo, page.report.readout_info.time_unit, 4);
        x.lo = std::floor(lo / x.step + 1e-9) * x.step;
        x.hi = std::ceil(hi / x.step - 1e-9) * x.step;
        if (x.hi <= x.lo) x.hi = x.lo + x.step;
      }
    }
    f.x0 = x.lo;
    f.x1 = x.hi;
    const std::string unit_suffix =
        time && !page.unit.empty() ? fmt::format(" ({})", page.unit) : "";
    text(svg, f.left + f.width / 2, 18, esc(statistic_title(stat)) + unit_suffix, "middle",
         "panel");
    for (const double t : ticks_in(f.x0, f.x1, x.step)) {
      line(svg, f.px(t), f.top, f.px(t), f.bottom(), "class=\"grid\"");
      text(svg, f.px(t), f.bottom() + 15, fixed(t, step_decimals(x.step)), "middle", "tl");
    }
    line(svg, f.left, f.bottom(), f.right(), f.bottom(), "class=\"axis\"");
    for (std::size_t i = 0; i < rows; ++i) {
      const GlanceValue& g = values[i];
      const double y = top + row_h * (static_cast<double>(i) + 0.5);
      if (!finite(g.value)) {
        text(svg, f.left + 6, y + 4, esc(g.missing), "start", "note-sm");
      } else {
        if (finite(g.low) && finite(g.high)) {
          line(svg, f.px(g.low), y, f.px(g.high), y,
               fmt::format("stroke=\"{}\" stroke-width=\"2\"", colour_of(i)));
          for (const double e : {g.low, g.high})
            line(svg, f.px(e), y - 5, f.px(e), y + 5,
                 fmt::format("stroke=\"{}\" stroke-width=\"2\"", colour_of(i)));
        }
        svg.body += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\"/>\n",
                                c(f.px(g.value)), c(y), colour_of(i));
        ++points;
      }
      if (finite(g.ode) && f.holds_x(g.ode)) {
        svg.body += fmt::format(
            "<path d=\"M{} {}l5 5l-5 5l-5 -5Z\" fill=\"none\" stroke=\"{}\" "
            "stroke-width=\"1.5\"/>\n",
            c(f.px(g.ode)), c(y - 5), kOdeColour);
        ++points;
      }
    }
  }
  svg.points = points;
  if (points == 0) svg.empty_note = "no variant has a value";
  std::vector<LegendItem> legend = {
      {LegendItem::Kind::Dot, "#555", 1.0, "mean over cells (responders: fraction)", ""},
      {LegendItem::Kind::Line, "#555", 1.0, "95 % confidence interval", ""}};
  if (any_ode(page))
    legend.push_back({LegendItem::Kind::Diamond, kOdeColour, 1.0, "ODE (no noise)", ""});
  legend_row(svg, legend, label_width, height - 14);
  return svg.finish();
}

// ---------------------------------------------------------------------------------------------
// Tables

std::string swatch(std::size_t index) {
  if (index >= kPalette.size())
    return fmt::format("<span class=\"sw\" style=\"border:2.5px solid {}\"></span>",
                       colour_of(index));
  return fmt::format("<span class=\"sw\" style=\"background:{}\"></span>", colour_of(index));
}

std::size_t index_of(const Page& page, const std::string& id) {
  for (std::size_t i = 0; i < page.variants.size(); ++i)
    if (page.variants[i].id == id) return i;
  return page.variants.size();
}

std::string variant_label(const Page& page, const std::string& id) {
  const std::size_t i = index_of(page, id);
  return (i < page.variants.size() ? swatch(i) : std::string()) + "<b>" + esc(id) + "</b>";
}

std::string mean_ci_cell(const Described& d, int decimals) {
  if (d.n == 0 || !finite(d.mean)) return "<span class=\"na\">\u2013</span>";
  std::string out = fixed(d.mean, decimals);
  if (finite(d.ci_low) && finite(d.ci_high))
    out += fmt::format(" <span class=\"ci\">[{}, {}]</span>", fixed(d.ci_low, decimals),
                       fixed(d.ci_high, decimals));
  return out;
}

std::string summary_table(const Page& page) {
  std::string out =
      "<table class=\"data\"><thead><tr><th>Variant</th><th>Responders<br><span class=\"sub\">n/N, "
      "fraction [95 % Wilson CI]</span></th>";
  for (const std::string& s : {std::string("rise"), std::string("first_peak_time"),
                               std::string("amplitude"), std::string("period")})
    out += fmt::format("<th>{}{}<br><span class=\"sub\">mean [95 % CI] \u00b7 n</span></th>",
                       esc(statistic_title(s)),
                       is_time_statistic(s) && !page.unit.empty() ? " (" + page.unit + ")" : "");
  out += "</tr></thead><tbody>\n";
  // One number of decimals per column, from the largest mean in it.
  std::vector<int> decimals;
  for (const std::string& s : {std::string("rise"), std::string("first_peak_time"),
                               std::string("amplitude"), std::string("period")}) {
    double scale = 0.0;
    for (const VariantResult& v : page.variants) {
      const Described d = describe(cell_values(v, s));
      if (finite(d.mean)) scale = std::max(scale, std::fabs(d.mean));
    }
    decimals.push_back(is_time_statistic(s) ? 1 : decimals_for(scale));
  }
  for (std::size_t i = 0; i < page.variants.size(); ++i) {
    const VariantResult& v = page.variants[i];
    const ResponderFraction r = responder_fraction(v);
    out += fmt::format("<tr><td class=\"var\">{}</td>", variant_label(page, v.id));
    out += fmt::format("<td class=\"num\">{}/{} = {} <span class=\"ci\">[{}, {}]</span>{}</td>",
                       r.responders, r.cells, fixed(r.fraction, 2), fixed(r.ci_low, 2),
                       fixed(r.ci_high, 2),
                       v.has_ode ? fmt::format("<div class=\"ode\">ODE: {}</div>",
                                               v.ode_summary.responder ? "responds" : "no response")
                                 : "");
    std::size_t column = 0;
    for (const std::string& s : {std::string("rise"), std::string("first_peak_time"),
                                 std::string("amplitude"), std::string("period")}) {
      const Described d = describe(cell_values(v, s));
      const int dec = decimals[column++];
      std::string cell =
          d.n == 0 ? fmt::format("<span class=\"na\">{}</span>", esc(empty_reason(v, s)))
                   : mean_ci_cell(d, dec) + fmt::format(" <span class=\"n\">\u00b7 {}</span>", d.n);
      if (v.has_ode) {
        double ode = cell_statistic(v.ode_summary, s);
        if (s == "amplitude" && !v.ode_summary.responder) ode = kNaN;
        cell += fmt::format("<div class=\"ode\">ODE: {}</div>",
                            finite(ode)
                                ? fixed(ode, dec)
                                : (s == "period" || s == "first_peak_time" ? "none" : "\u2013"));
      }
      out += fmt::format("<td class=\"num\">{}</td>", cell);
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string variants_table(const Page& page) {
  std::string out =
      "<table class=\"data small\"><thead><tr><th>Variant</th><th class=\"left\">Description</th>"
      "<th class=\"left\">Method</th><th class=\"left\">Cell-to-cell "
      "noise</th><th>Cells</th><th>Events per cell</th><th>SSA time</th>"
      "<th>ODE time</th><th class=\"left\">Trajectory status</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < page.variants.size(); ++i) {
    const VariantResult& v = page.variants[i];
    const auto cells = static_cast<std::int64_t>(v.cells.cells().size());
    std::string status;
    for (int s = 0; s < kTrajectoryStatusCount; ++s) {
      const std::int64_t n = v.ensemble.status_counts[static_cast<std::size_t>(s)];
      if (n == 0) continue;
      if (!status.empty()) status += ", ";
      status += fmt::format("{} {}", esc(status_name(static_cast<TrajectoryStatus>(s))), n);
    }
    out += fmt::format(
        "<tr><td class=\"var\">{}</td><td class=\"left\">{}</td><td class=\"left nw\">{}</td>"
        "<td class=\"left nw\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{} s</td><td class=\"num\">{}</td>"
        "<td class=\"left nw\">{}</td></tr>\n",
        variant_label(page, v.id), esc(v.description), esc(v.method),
        v.extrinsic_noise ? "on" : "off", cells,
        cells > 0 ? count_text(static_cast<double>(v.ensemble.events) / static_cast<double>(cells))
                  : "\u2013",
        fixed(v.ensemble.wall_seconds, 1), v.has_ode ? fixed(v.ode_seconds, 2) + " s" : "not run",
        status.empty() ? "\u2013" : status);
  }
  return out + "</tbody></table>\n";
}

std::string row_label(const Page& page, const ComparisonRow& r) {
  if (finite(r.tau))
    return fmt::format("{} at \u03c4 = {}{}", page.readout, compact(r.tau),
                       page.unit.empty() ? "" : " " + page.unit);
  std::string label = esc(statistic_title(r.statistic));
  if (is_time_statistic(r.statistic) && !page.unit.empty()) label += " (" + page.unit + ")";
  return label;
}

int row_decimals(const ComparisonRow& r) {
  if (r.statistic == "responder_fraction") return 2;
  if (is_time_statistic(r.statistic)) return 1;
  return decimals_for({r.value_reference, r.value_other});
}

std::string comparison_tables(const Page& page) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const ComparisonRow& r : page.report.rows)
    if (std::find(pairs.begin(), pairs.end(), std::pair{r.reference, r.other}) == pairs.end())
      pairs.emplace_back(r.reference, r.other);
  if (pairs.empty()) return "<p class=\"note\">No pair of variants was compared.</p>\n";
  std::string out;
  for (const auto& [a, b] : pairs) {
    out += fmt::format(
        "<h3>{} <span class=\"vs\">versus</span> {} <span class=\"sub\">(reference)</span></h3>\n",
        variant_label(page, b), variant_label(page, a));
    out += fmt::format(
        "<table class=\"data cmp\"><thead><tr><th>Statistic</th><th>n<br><span class=\"sub\">"
        "reference / other</span></th><th>{}<br><span class=\"sub\">reference</span></th>"
        "<th>{}<br><span class=\"sub\">other</span></th><th>Difference<br><span class=\"sub\">"
        "other \u2212 reference [95 % CI]</span></th><th>Hedges g</th><th>KS D</th>"
        "<th>p (Holm)</th></tr></thead><tbody>\n",
        esc(a), esc(b));
    int family = -1;
    for (const ComparisonRow& r : page.report.rows) {
      if (r.reference != a || r.other != b) continue;
      const int this_family = finite(r.tau) ? 1 : 0;
      if (this_family != family) {
        family = this_family;
        out += fmt::format("<tr class=\"group\"><td colspan=\"8\">{}</td></tr>\n",
                           family == 0 ? "Per-cell statistics"
                                       : fmt::format("{} at the test times", page.readout));
      }
      const bool significant = finite(r.p_adjusted) && r.p_adjusted < 0.05;
      const int dec = row_decimals(r);
      std::string difference;
      if (r.n_reference == 0 || r.n_other == 0)
        difference = fmt::format("<span class=\"na\">no values in {}</span>",
                                 esc(r.n_other == 0 ? r.other : r.reference));
      else if (!finite(r.difference))
        difference = "\u2013";
      else if (!finite(r.ci_low) || !finite(r.ci_high))
        difference = signed_fixed(r.difference, dec);
      else
        difference =
            fmt::format("{} <span class=\"ci\">[{}, {}]</span>", signed_fixed(r.difference, dec),
                        signed_fixed(r.ci_low, dec), signed_fixed(r.ci_high, dec));
      out += fmt::format(
          "<tr{}><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num p\">{}{}</td></tr>\n",
          significant ? " class=\"sig\"" : "", row_label(page, r), r.n_reference, r.n_other,
          fixed(r.value_reference, dec), fixed(r.value_other, dec), difference,
          fixed(r.effect_size, 2), fixed(r.ks_statistic, 2), p_value_text(r.p_adjusted),
          significant ? " <span class=\"star\">significant</span>" : "");
    }
    out += "</tbody></table>\n";
  }
  return out;
}

std::string ssa_ode_table(const Page& page) {
  std::string out =
      "<table class=\"data small\"><thead><tr><th>Variant</th><th>Largest |SSA mean \u2212 "
      "ODE|</th>"
      "<th>at \u03c4</th><th>relative to max |ODE|</th><th>mean |SSA mean \u2212 ODE|, \u03c4 "
      "\u2265 0"
      "</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < page.variants.size(); ++i) {
    const VariantResult& v = page.variants[i];
    if (!v.has_ode || !readout_valid(page, v) ||
        v.ode.size() < static_cast<std::size_t>(std::max(0, v.cells.time_points())) ||
        page.report.tau.size() < static_cast<std::size_t>(std::max(0, v.cells.time_points()))) {
      out += fmt::format(
          "<tr><td class=\"var\">{}</td><td colspan=\"4\" class=\"na\">no ODE "
          "solution</td></tr>\n",
          variant_label(page, v.id));
      continue;
    }
    const SsaOdeDifference d = ssa_versus_ode(v, page.report.readout, page.report.tau);
    const int dec = decimals_for(d.largest);
    out += fmt::format(
        "<tr><td class=\"var\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}{}</td>"
        "<td class=\"num\">{} %</td><td class=\"num\">{}</td></tr>\n",
        variant_label(page, v.id), fixed(d.largest, dec), compact(d.at_tau),
        page.unit.empty() ? "" : " " + page.unit, fixed(100.0 * d.relative, 1),
        fixed(d.mean_absolute, dec));
  }
  return out + "</tbody></table>\n";
}

// "wt: responders ..." -> the part before the first colon in bold.
std::string summary_item(const std::string& line) {
  const std::size_t colon = line.find(": ");
  if (colon == std::string::npos || colon > 60) return esc(line);
  return "<b>" + esc(line.substr(0, colon)) + "</b>" + esc(line.substr(colon));
}

std::string cells_per_variant(const std::vector<VariantResult>& variants) {
  if (variants.empty()) return "0";
  std::size_t lo = variants.front().cells.cells().size(), hi = lo;
  for (const VariantResult& v : variants) {
    lo = std::min(lo, v.cells.cells().size());
    hi = std::max(hi, v.cells.cells().size());
  }
  return lo == hi ? fmt::format("{}", lo) : fmt::format("{}\u2013{}", lo, hi);
}

std::string duration(double seconds) {
  if (!finite(seconds)) return "\u2013";
  if (seconds < 120) return fmt::format("{:.1f} s", seconds);
  if (seconds < 7200) return fmt::format("{:.1f} min", seconds / 60);
  return fmt::format("{:.2f} h", seconds / 3600);
}

constexpr const char* kStyle = R"css(
:root { --ink: #1f2328; --muted: #5f6b76; --line: #d8dee4; --soft: #f6f8fa; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans",
  Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 40px; background: #fff;
  box-shadow: 0 0 0 1px var(--line); }
header h1 { font-size: 26px; margin: 4px 0 2px; letter-spacing: -0.01em; }
header .kicker { color: var(--muted); text-transform: uppercase; letter-spacing: .08em; font-size: 11px; }
dl.meta { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 6px 18px;
  margin: 14px 0 4px; padding: 12px 14px; background: var(--soft); border: 1px solid var(--line);
  border-radius: 6px; }
dl.meta div { min-width: 0; }
dl.meta div.wide { grid-column: span 2; }
.lc { text-transform: none; }
dl.meta dt { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
h2 { font-size: 19px; margin: 34px 0 6px; padding-bottom: 5px; border-bottom: 2px solid var(--ink); }
h2 .num { color: var(--muted); font-weight: 400; margin-right: 6px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.lead { color: var(--muted); margin: 4px 0 12px; max-width: 980px; }
ul.summary { margin: 8px 0 16px; padding: 0; list-style: none; }
ul.summary li { margin: 0 0 6px; padding: 7px 12px; border-left: 4px solid var(--accent);
  background: #f3f8fc; border-radius: 0 4px 4px 0; }
table.data { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
table.data th { text-align: left; font-weight: 600; vertical-align: bottom; padding: 6px 8px;
  border-bottom: 2px solid var(--ink); background: #fff; }
table.data td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.data tbody tr:hover td { background: #f7fafc; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data th:not(:first-child) { text-align: right; }
table.small { font-size: 12.5px; }
table.data th.left, table.data td.left { text-align: left; }
td.var, td.nw, table.small th { white-space: nowrap; }
.sub { font-weight: 400; color: var(--muted); font-size: 11px; }
.ci { color: var(--muted); }
.n { color: var(--muted); font-size: 11px; }
.na { color: var(--muted); font-style: italic; }
.ode { color: var(--muted); font-size: 11.5px; }
.sw { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px;
  vertical-align: -1px; }
tr.group td { background: var(--soft); color: var(--muted); font-size: 11.5px; font-weight: 600;
  text-transform: uppercase; letter-spacing: .04em; }
tr.sig td { background: #fff6d9; }
tr.sig:hover td { background: #ffefbf; }
tr.sig td.p { font-weight: 700; }
.star { display: inline-block; font-size: 10px; font-weight: 600; color: #7a4d00; background: #ffe08a;
  border-radius: 3px; padding: 0 4px; margin-left: 4px; vertical-align: 1px; }
.vs { color: var(--muted); font-weight: 400; margin: 0 4px; }
.grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px 22px; }
.grid4 { display: flex; flex-wrap: wrap; gap: 6px 8px; }
figure { margin: 0; }
figure.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 6px; }
figcaption { font-size: 13px; margin-bottom: 2px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
figcaption .desc { color: var(--muted); }
svg.plot { display: block; max-width: 100%; height: auto; }
svg text { fill: #333; font-size: 11px; }
svg text.tl { fill: #555; font-size: 10.5px; font-variant-numeric: tabular-nums; }
svg text.al { fill: #333; font-size: 11.5px; }
svg text.lg { fill: #444; font-size: 11px; }
svg text.panel { fill: #1f2328; font-size: 12px; font-weight: 600; }
svg text.rowlabel { fill: #1f2328; font-size: 12px; font-weight: 600; }
svg text.note { fill: #6b7580; font-size: 13px; font-style: italic; }
svg text.note-sm { fill: #6b7580; font-size: 11px; font-style: italic; }
svg text.stim-label { fill: #6b7580; font-size: 10.5px; }
svg text.thr-label { fill: #a33; font-size: 10px; }
svg .grid { stroke: #e6eaee; stroke-width: 1; }
svg .axis { stroke: #6b7580; stroke-width: 1; }
svg .tick { stroke: #6b7580; stroke-width: 1; }
svg .cell { fill: none; stroke: #4d4d4d; stroke-opacity: .55; stroke-width: .9; }
svg .stim { stroke: #6b7580; stroke-width: 1; stroke-dasharray: 3 3; }
svg .stim-mark { fill: #6b7580; }
svg .median { stroke: #1f2328; stroke-width: 1.2; stroke-dasharray: 2 2; }
svg .threshold { stroke: #b22; stroke-width: 1.4; stroke-dasharray: 5 3; }
svg .empty { fill: #f6f8fa; stroke: #d8dee4; stroke-dasharray: 4 3; }
svg .stripe { fill: #f6f8fa; }
.hist-row { margin: 8px 0 16px; }
.hist-row h3 { margin-bottom: 2px; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted);
  font-size: 12px; }
footer ul { padding-left: 18px; margin: 4px 0; }
p.note { color: var(--muted); font-style: italic; }
@media print { body { background: #fff; } main { box-shadow: none; } }
)css";

std::string statistic_explanation(const std::string& statistic, const Page& page) {
  if (statistic == "first_peak_time")
    return "time after the stimulus of a cell's first peak (responders with a peak only)";
  if (statistic == "amplitude")
    return fmt::format("{} at the first peak minus its value at \u03c4 = 0 (responders)",
                       page.readout);
  if (statistic == "rise")
    return fmt::format(
        "largest increase of the smoothed {} over its value at \u03c4 = 0, every cell; the red "
        "dashed line is the responder threshold {}",
        page.readout, threshold_text(page.report.threshold));
  if (statistic == "period")
    return "mean interval between successive peaks (cells with at least two peaks)";
  return "";
}

}  // namespace

std::string render_report_html(const CompareReport& report) {
  static const std::vector<VariantResult> kNone;
  const std::vector<VariantResult>& variants = report.variants ? *report.variants : kNone;
  Page page{report,
            variants,
            esc(report.readout_info.time_unit),
            esc(report.readout_info.observable.empty() && report.readout >= 0 &&
                        static_cast<std::size_t>(report.readout) < report.observable_ids.size()
                    ? report.observable_ids[static_cast<std::size_t>(report.readout)]
                    : report.readout_info.observable),
            {},
            60,
            0.2};
  fit_time_frame(page);

  std::string html;
  html.reserve(1 << 20);
  html += fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"nkappa {}\">\n<title>{} \u2014 nkappa compare</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<main>\n",
      esc(report.nkappa_version), esc(report.title), kStyle);

  // 1. What was run, and the answer.
  std::string test_times;
  for (const double t : report.readout_info.test_times)
    test_times += (test_times.empty() ? "" : ", ") + compact(t);
  html += fmt::format(
      "<header>\n<div class=\"kicker\">nkappa compare \u00b7 stochastic single-cell "
      "comparison</div>\n"
      "<h1>{}</h1>\n<dl class=\"meta\">\n"
      "<div class=\"wide\"><dt>Scenario</dt><dd>{}</dd></div>\n"
      "<div class=\"wide\"><dt>Model</dt><dd>{}</dd></div>\n"
      "<div><dt>nkappa</dt><dd>{}</dd></div>\n<div><dt>Created (UTC)</dt><dd>{}</dd></div>\n"
      "<div><dt>Variants \u00d7 cells</dt><dd>{} \u00d7 {}</dd></div>\n"
      "<div><dt>Wall time</dt><dd>{}</dd></div>\n"
      "<div class=\"wide\"><dt>Readout</dt><dd>{} \u00b7 responder: rise \u2265 {}</dd></div>\n"
      "<div class=\"wide\"><dt>Test times (<span "
      "class=\"lc\">\u03c4</span>{})</dt><dd>{}</dd></div>\n</dl>\n</header>\n",
      esc(report.title), esc(report.scenario_file), esc(report.model_file),
      esc(report.nkappa_version), esc(report.created_utc), variants.size(),
      cells_per_variant(variants), duration(report.wall_seconds), page.readout,
      threshold_text(report.threshold), page.unit.empty() ? "" : ", " + page.unit,
      test_times.empty() ? "\u2013" : test_times);

  html += "<section id=\"summary\">\n<h2><span class=\"num\">1</span>Summary</h2>\n";
  if (!report.summary_lines.empty()) {
    html += "<ul class=\"summary\">\n";
    for (const std::string& s : report.summary_lines) html += "<li>" + summary_item(s) + "</li>\n";
    html += "</ul>\n";
  }
  html += fmt::format(
      "<p class=\"lead\">Per variant: responders (rise \u2265 {}) with the Wilson interval; the "
      "other statistics as mean [95 % t interval] over the cells that have them, n = that number "
      "of cells{}.</p>\n",
      threshold_text(report.threshold),
      any_ode(page) ? "; grey: the ODE solution of the same variant without noise" : "");
  html += summary_table(page);
  html +=
      "<figure class=\"card\"><figcaption>At a glance: each variant's mean over cells "
      "(dot) with its 95 % interval, and the ODE value (open diamond)</figcaption>\n" +
      glance_plot(page) + "</figure>\n";
  html += "<h3>Variants</h3>\n" + variants_table(page);
  html += "</section>\n";

  // 2. The readout over time, per variant.
  html += fmt::format(
      "<section id=\"time-courses\">\n<h2><span class=\"num\">2</span>{} over time, per "
      "variant</h2>\n"
      "<p class=\"lead\">Coloured line: mean over cells; shaded: 25\u201375 % and 5\u201395 % of "
      "cells at each time; thin grey lines: single cells{}. Same axes in every panel; the dashed "
      "vertical line marks the stimulus at \u03c4 = 0.</p>\n<div class=\"grid2\">\n",
      page.readout, any_ode(page) ? "; black dashed: ODE" : "");
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const VariantResult& v = variants[i];
    html += fmt::format(
        "<figure class=\"card\"><figcaption title=\"{}\">{}{}</figcaption>\n{}</figure>\n",
        esc(v.description), variant_label(page, v.id),
        v.description.empty() ? std::string()
                              : " <span class=\"desc\">\u2014 " + esc(v.description) + "</span>",
        readout_plot(page, v, i));
  }
  html += "</div>\n</section>\n";

  // 3. All variants together.
  html += fmt::format(
      "<section id=\"overlay\">\n<h2><span class=\"num\">3</span>All variants together</h2>\n"
      "<div class=\"grid2\">\n<figure class=\"card\"><figcaption>Mean {} of the cells "
      "(stochastic simulation)</figcaption>\n{}</figure>\n<figure class=\"card\"><figcaption>ODE "
      "solution (mean field, no noise)</figcaption>\n{}</figure>\n</div>\n</section>\n",
      page.readout, overlay_plot(page, false), overlay_plot(page, true));

  // 4. Histograms of the per-cell statistics.
  html +=
      "<section id=\"distributions\">\n<h2><span class=\"num\">4</span>Per-cell statistics</h2>\n"
      "<p class=\"lead\">Histograms over the cells of each variant on shared bins and axes per "
      "statistic; the dotted line is the median.</p>\n";
  for (const std::string& statistic : {std::string("first_peak_time"), std::string("amplitude"),
                                       std::string("rise"), std::string("period")}) {
    const Bins bins = shared_bins(page, statistic);
    html += fmt::format(
        "<div class=\"hist-row\"><h3>{}</h3><p class=\"lead\">{}</p>\n<div class=\"grid4\">\n",
        esc(statistic_title(statistic)), statistic_explanation(statistic, page));
    for (std::size_t i = 0; i < variants.size(); ++i)
      html += "<figure>" + histogram_plot(page, variants[i], i, statistic, bins) + "</figure>\n";
    html += "</div></div>\n";
  }
  html += "</section>\n";

  // 5. The comparisons.
  html += fmt::format(
      "<section id=\"comparison\">\n<h2><span class=\"num\">5</span>Comparisons</h2>\n"
      "<p class=\"lead\">Difference = other \u2212 reference with its 95 % interval (Welch; "
      "Newcombe for the responder fraction); Hedges g: standardised mean difference; KS D: "
      "two-sample Kolmogorov\u2013Smirnov distance of the distributions, whose p-value is Holm-"
      "adjusted within each group. <span class=\"star\">significant</span> rows have "
      "adjusted p &lt; 0.05.</p>\n{}",
      comparison_tables(page));
  html +=
      "<h3>Stochastic mean versus ODE</h3>\n<p class=\"lead\">Where the mean of the simulated "
      "cells departs from the deterministic solution of the same variant (\u03c4 \u2265 0)."
      "</p>\n" +
      ssa_ode_table(page) + "</section>\n";

  html += fmt::format(
      "<footer>\n<b>Methods.</b>\n<ul>\n<li>Per-cell statistics of {0}: the trace is smoothed "
      "after the stimulus (centred moving average); rise = maximum minus the value at \u03c4 = 0; "
      "responder: rise \u2265 {1}; a peak rises at least {1} above the value at \u03c4 = 0 and "
      "is confirmed by a later fall; period = mean interval between peaks.</li>\n<li>Quantile "
      "bands come from bounded-memory sketches of all cells at each time (error at most one "
      "sketch bin); single-cell lines are the first cells of the ensemble.</li>\n<li>Intervals: "
      "Wilson (responder fraction), Student t (means), Welch (differences), Newcombe (difference "
      "of fractions); tests: two-sample Kolmogorov\u2013Smirnov, Holm\u2013Bonferroni adjusted."
      "</li>\n</ul>\n<div>Generated by nkappa {2} on {3}. This page is self-contained: no "
      "script, no network access.</div>\n</footer>\n",
      page.readout, threshold_text(report.threshold), esc(report.nkappa_version),
      esc(report.created_utc));
  html += "</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace nkappa

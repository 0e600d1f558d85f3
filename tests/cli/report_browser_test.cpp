// report.html of `nkappa compare`, rendered from a synthetic comparison: the page is
// self-contained, every plot has data (or says why not), no "nan" reaches the page, user strings
// are escaped; then Debian's chromium renders it headless (screenshot and DOM) without a console
// error. The screenshot is kept in <build>/reports/report_screenshot.png for a human to look at.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/run/state.hpp"
#include "report/compare_tables.hpp"
#include "report/comparison.hpp"
#include "report/html_report.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

// How one synthetic variant's cells behave: a train of Gaussian pulses of the nuclear fraction
// after the stimulus (first at peak_time, then every period, each `damping` times the previous),
// with cell-to-cell spread and measurement noise.
struct CellModel {
  double f0 = 0.003;
  double amplitude = 0.85, amplitude_sd = 0.05;
  double peak_time = 24, peak_time_sd = 3;
  double period = 90, period_sd = 8;
  double damping = 0.55;
  double width = 11;  // min
  double noise_sd = 0.01;
};

constexpr double kTotal = 10000;     // NF-kB molecules per cell
constexpr double kStimulus = 21600;  // s
constexpr std::int64_t kCells = 48;

struct Fixture {
  ModelDescription model;
  ReactionNetwork net;
  std::deque<RateProgram> programs;
  std::deque<CellRecorderSetup> setups;
  std::vector<VariantResult> variants;
  CompareReport report;
};

double clamp01(double x) {
  return std::min(1.0, std::max(0.0, x));
}

double pulse_train(const CellModel& m, double tau, double amplitude, double first, double period) {
  if (tau <= 0) return 0.0;
  double f = 0.0, height = amplitude;
  for (int k = 0; k < 8; ++k, height *= m.damping) {
    const double centre = first + k * period;
    f += height * std::exp(-0.5 * (tau - centre) * (tau - centre) / (m.width * m.width));
  }
  // The rise to the first peak is slower than the Gaussian's flank.
  return f * (1.0 - std::exp(-tau / 6.0));
}

void add_variant(Fixture& fx, const std::string& id, const std::string& description,
                 const CellModel& m, bool with_ode, std::uint32_t seed) {
  const CellRecorderSetup& setup = fx.setups.front();
  fx.variants.push_back(
      VariantResult{id, description, false, "direct", {}, CellRecorder(setup), false, {}, {}, 0.0});
  VariantResult& v = fx.variants.back();
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  State state;
  state.counts.assign(2, 0.0);
  std::int64_t events = 0;
  for (std::int64_t cell = 0; cell < kCells; ++cell) {
    const double amplitude = std::max(0.0, m.amplitude + m.amplitude_sd * z(rng));
    const double first = m.peak_time + m.peak_time_sd * z(rng);
    const double period = m.period + m.period_sd * z(rng);
    for (std::size_t t = 0; t < setup.times.size(); ++t) {
      const double tau = setup.tau[t];
      const double f = clamp01(m.f0 + pulse_train(m, tau, amplitude, first, period) +
                               m.noise_sd * std::fabs(z(rng)));
      state.time = setup.times[t];
      state.counts[0] = std::round(f * kTotal);    // nuclear
      state.counts[1] = kTotal - state.counts[0];  // cytoplasmic
      v.cells.on_sample(cell, static_cast<std::int32_t>(t), state);
    }
    const auto cell_events = static_cast<std::int64_t>(2e5 + 1e4 * static_cast<double>(cell));
    events += cell_events;
    v.cells.on_trajectory_end(cell, TrajectoryStatus::ReachedEnd, cell_events);
  }
  v.ensemble.trajectories = kCells;
  v.ensemble.events = events;
  v.ensemble.status_counts[0] = kCells;
  v.ensemble.wall_seconds = 1.25;
  if (with_ode) {
    v.has_ode = true;
    v.ode_seconds = 0.02;
    std::vector<double> f;
    for (std::size_t t = 0; t < setup.times.size(); ++t) {
      const double x = m.f0 + pulse_train(m, setup.tau[t], m.amplitude, m.peak_time, m.period);
      f.push_back(x);
      v.ode.push_back({x, x * kTotal});
    }
    CellStatsSettings ode_stats = setup.stats;
    ode_stats.smoothing_points = 1;
    v.ode_summary = summarise_cell(setup.tau, f, ode_stats);
  }
}

std::unique_ptr<Fixture> synthetic_report() {
  auto fx = std::make_unique<Fixture>();
  ModelBuilder b;
  b.species("NFkBn", 30)
      .species("NFkB", kTotal - 30)
      .parameter("k_in", 1e-3)
      .parameter("k_out", 1e-2);
  b.mass_action("import", {{"NFkB", 1}}, {{"NFkBn", 1}}, "k_in");
  b.mass_action("export", {{"NFkBn", 1}}, {{"NFkB", 1}}, "k_out");
  fx->model = b.build();
  fx->net = compile(fx->model);
  const Expr n = Expr::name("NFkBn"), c = Expr::name("NFkB");
  fx->programs.push_back(
      compile_expressions(fx->net, fx->model, {{"f_nuc", n / (n + c)}, {"nuc_NFkB", n}}));

  // Output every 2 min from tau = -2 to 480 min.
  CellRecorderSetup setup;
  setup.observables = &fx->programs.back();
  setup.observable_ids = {"f_nuc", "nuc_NFkB"};
  setup.readout = 0;
  for (int k = 0; k <= 241; ++k) {
    setup.tau.push_back(-2.0 + 2.0 * k);
    setup.times.push_back(kStimulus + 60.0 * setup.tau.back());
  }
  setup.test_time_index = {16, 61};  // tau = 30 and 120 min
  fx->setups.push_back(setup);

  CellModel wt;
  CellModel hypo;
  hypo.amplitude = 0.45;
  hypo.amplitude_sd = 0.25;  // a few cells stay below the responder threshold
  hypo.peak_time = 31;
  hypo.peak_time_sd = 4;
  hypo.period = 102;
  hypo.period_sd = 10;
  CellModel null;
  null.amplitude = 0.0;
  null.amplitude_sd = 0.0;
  null.noise_sd = 0.004;
  add_variant(*fx, "wt", "wild type, TNF 10 ng/ml <b>reference</b> & \"control\"", wt, true, 1);
  add_variant(*fx, "hypo_ub", "NEMO UBAN hypomorph (k_rel \u00d710)", hypo, true, 2);
  add_variant(*fx, "null", "NEMO null", null, false, 3);

  const ReadoutInfo readout{"f_nuc", {30.0, 120.0}, "min"};
  CompareReport& r = fx->report;
  r.title = "NEMO mutants & IL-2 <rescue>";
  r.scenario_file = "models/nfkb_nemo/scenarios.yaml";
  r.model_file = "models/nfkb_nemo/nfkb_nemo.xml";
  r.nkappa_version = "0.1.0 (git test)";
  r.created_utc = "2024-01-01T00:00:00Z";
  r.observable_ids = fx->setups.front().observable_ids;
  r.readout = 0;
  r.readout_info = readout;
  r.tau = fx->setups.front().tau;
  r.threshold = 0.10;
  r.variants = &fx->variants;
  for (std::size_t i = 1; i < fx->variants.size(); ++i) {
    auto rows = compare_variants(fx->variants[0], fx->variants[i], readout);
    r.rows.insert(r.rows.end(), rows.begin(), rows.end());
  }
  r.summary_lines = summary_sentences(fx->variants, r.rows, readout);
  r.wall_seconds = 12.5;
  return fx;
}

struct SvgInfo {
  std::string name;
  std::int64_t points = -1;
  std::string empty_note;
  std::string text;  // the whole element
};

std::string attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const std::size_t at = tag.find(key);
  if (at == std::string::npos) return {};
  const std::size_t start = at + key.size();
  return tag.substr(start, tag.find('"', start) - start);
}

std::vector<SvgInfo> svgs_of(const std::string& html) {
  std::vector<SvgInfo> out;
  for (std::size_t at = html.find("<svg"); at != std::string::npos;
       at = html.find("<svg", at + 1)) {
    const std::size_t tag_end = html.find('>', at);
    const std::size_t end = html.find("</svg>", at);
    REQUIRE(tag_end != std::string::npos);
    REQUIRE(end != std::string::npos);
    const std::string tag = html.substr(at, tag_end - at + 1);
    SvgInfo s;
    s.name = attribute(tag, "data-plot");
    const std::string points = attribute(tag, "data-points");
    s.points = points.empty() ? -1 : std::stoll(points);
    s.empty_note = attribute(tag, "data-empty");
    s.text = html.substr(at, end + 6 - at);
    out.push_back(s);
  }
  return out;
}

std::string html_escaped(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    if (ch == '&')
      out += "&amp;";
    else if (ch == '<')
      out += "&lt;";
    else if (ch == '>')
      out += "&gt;";
    else if (ch == '"')
      out += "&quot;";
    else if (ch == '\'')
      out += "&#39;";
    else
      out += ch;
  }
  return out;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const std::set<std::string>& expected_plots() {
  static const std::set<std::string> names = [] {
    std::set<std::string> s = {"at-a-glance", "overlay-mean", "overlay-ode"};
    for (const std::string v : {"wt", "hypo_ub", "null"}) {
      s.insert("readout-" + v);
      for (const std::string stat : {"first_peak_time", "amplitude", "rise", "period"})
        s.insert("hist-" + stat + "-" + v);
    }
    return s;
  }();
  return names;
}

std::filesystem::path write_page(const std::string& html, const std::string& tag) {
  const std::filesystem::path dir = test::temp_dir(tag);
  const std::filesystem::path page = dir / "report.html";
  std::ofstream(page, std::ios::binary) << html;
  return page;
}

// Console messages of the page in chromium's log (its own noise about dbus, GPU or crash
// reporting is not the page's).
std::vector<std::string> console_errors(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string l; std::getline(in, l);) {
    const bool console = l.find("CONSOLE") != std::string::npos;
    const bool error =
        l.find("Uncaught") != std::string::npos || l.find("ERROR") != std::string::npos ||
        l.find("Error") != std::string::npos || l.find("Failed to load") != std::string::npos;
    if (console && error) out.push_back(l);
  }
  return out;
}

const char* const kChromium = "/usr/bin/chromium";

std::string chromium_command(const std::filesystem::path& profile, const std::string& action,
                             const std::filesystem::path& page, const std::filesystem::path& out,
                             const std::filesystem::path& err) {
  // --no-sandbox: the tests may run as root (containers, CI), where chromium refuses to start
  // sandboxed. Nothing here needs the network; background services are switched off.
  return "(timeout 180 " + std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
         " --disable-background-networking --disable-component-update --disable-sync"
         " --disable-crash-reporter --hide-scrollbars --user-data-dir='" +
         profile.string() + "' --enable-logging=stderr --v=0 " + action +
         " --window-size=1400,3000 'file://" + page.string() + "' >'" + out.string() + "' 2>'" +
         err.string() + "')";
}

void require_chromium() {
  if (!std::filesystem::exists(kChromium)) {
    std::cerr << "SKIPPED: " << kChromium
              << " is absent; install Debian's chromium (apt-get install chromium, or "
                 "scripts/install_deps.sh chromium) to render report.html\n";
    std::exit(77);
  }
}

struct PngSize {
  std::uint32_t width = 0, height = 0;
};
PngSize png_size(const std::string& bytes) {
  PngSize s;
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return s;
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(bytes[at + k]);
    return v;
  };
  s.width = be32(16);
  s.height = be32(20);
  return s;
}

}  // namespace

TEST_CASE("report.html: self-contained, every plot has data, no nan, user text escaped") {
  const auto fx = synthetic_report();
  const std::string html = render_report_html(fx->report);
  write_page(html, "report-page");

  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);

  // Every plot is there, once, with data or with the reason it has none.
  const std::vector<SvgInfo> svgs = svgs_of(html);
  CHECK(occurrences(html, "<svg") == occurrences(html, "</svg>"));
  std::set<std::string> names;
  std::set<std::string> empty;
  for (const SvgInfo& s : svgs) {
    INFO("plot ", s.name);
    CHECK_FALSE(s.name.empty());
    CHECK(names.insert(s.name).second);
    REQUIRE(s.points >= 0);
    if (s.points == 0) {
      CHECK_FALSE(s.empty_note.empty());
      CHECK(s.text.find(">" + s.empty_note + "</text>") != std::string::npos);
      empty.insert(s.name);
    }
  }
  CHECK(names == expected_plots());
  // Only the NEMO null's peak statistics may be empty, and they say why.
  CHECK(empty == std::set<std::string>{"hist-first_peak_time-null", "hist-amplitude-null",
                                       "hist-period-null"});
  for (const SvgInfo& s : svgs)
    if (empty.count(s.name) != 0) CHECK(s.empty_note == "no responders");

  // What the plots hold.
  for (const SvgInfo& s : svgs) {
    INFO("plot ", s.name);
    if (s.name == "readout-wt" || s.name == "readout-hypo_ub") {
      CHECK(s.text.find("stroke-dasharray=\"6 4\"") != std::string::npos);  // ODE
      CHECK(occurrences(s.text, "class=\"cell\"") == 5);                    // single cells
      CHECK(s.text.find(">stimulus</text>") != std::string::npos);
      CHECK(s.points > 3 * 242);
    }
    if (s.name == "readout-null") CHECK(s.text.find(">ODE</text>") == std::string::npos);
    if (s.name.rfind("hist-rise-", 0) == 0) {
      CHECK(s.text.find("class=\"threshold\"") != std::string::npos);
      CHECK(s.points == kCells);
    }
    if (s.name == "overlay-mean") CHECK(s.points == 3 * 242);
    if (s.name == "overlay-ode") CHECK(s.points == 2 * 242);
  }

  // No NaN or infinity anywhere, as a word (coordinates, labels, tables).
  const std::regex not_a_number("(^|[^A-Za-z0-9_])(nan|inf|infinity)([^A-Za-z0-9_]|$)",
                                std::regex::icase);
  std::smatch m;
  CHECK_MESSAGE(!std::regex_search(html, m, not_a_number), "found '", m.str(), "'");

  // Nothing from the network: the only URL is the SVG namespace.
  const std::string xmlns = "xmlns=\"http://www.w3.org/2000/svg\"";
  CHECK(occurrences(html, "http") == occurrences(html, xmlns));
  for (const std::string banned : {"<script", "<link", "<img", "<iframe", "@import",
                                   " src=", "url(", "//fonts.", "<object", "<embed"})
    CHECK_MESSAGE(html.find(banned) == std::string::npos, "found ", banned);

  // User strings are escaped.
  CHECK(html.find("<b>reference</b>") == std::string::npos);
  CHECK(html.find("&lt;b&gt;reference&lt;/b&gt; &amp; &quot;control&quot;") != std::string::npos);
  CHECK(html.find("NEMO mutants &amp; IL-2 &lt;rescue&gt;") != std::string::npos);
  CHECK(html.find("<rescue>") == std::string::npos);

  // The answer: summary sentences, per-variant table, significant rows highlighted, SSA vs ODE.
  for (const std::string& line : fx->report.summary_lines) {
    const std::size_t colon = line.find(": ");
    CHECK(html.find(html_escaped(line.substr(colon))) != std::string::npos);
  }
  CHECK(html.find("48/48") != std::string::npos);  // wt responders
  CHECK(html.find("0/48") != std::string::npos);   // null responders
  CHECK(occurrences(html, "<tr class=\"sig\">") >= 3);
  CHECK(html.find("no ODE solution") != std::string::npos);  // null was run without ODE
}

TEST_CASE("report.html: no variants, or a variant without cells, still gives a clean page") {
  const auto fx = synthetic_report();
  const std::regex not_a_number("(^|[^A-Za-z0-9_])(nan|inf|infinity)([^A-Za-z0-9_]|$)",
                                std::regex::icase);

  CompareReport none = fx->report;
  none.variants = nullptr;
  none.rows.clear();
  none.summary_lines.clear();
  const std::string empty_page = render_report_html(none);
  CHECK(empty_page.find("</html>") != std::string::npos);
  CHECK_FALSE(std::regex_search(empty_page, not_a_number));
  for (const SvgInfo& s : svgs_of(empty_page)) CHECK((s.points > 0 || !s.empty_note.empty()));

  // A variant whose ensemble produced nothing (every plot of it says so), next to real ones.
  fx->variants.push_back(VariantResult{
      "no_cells", "", false, "direct", {}, CellRecorder(fx->setups.front()), false, {}, {}, 0.0});
  const std::string html = render_report_html(fx->report);
  CHECK_FALSE(std::regex_search(html, not_a_number));
  std::size_t plots_of_it = 0;
  for (const SvgInfo& s : svgs_of(html)) {
    INFO("plot ", s.name);
    CHECK((s.points > 0 || !s.empty_note.empty()));
    if (s.name.size() > 8 && s.name.compare(s.name.size() - 8, 8, "no_cells") == 0) {
      ++plots_of_it;
      CHECK(s.points == 0);
    }
  }
  CHECK(plots_of_it == 5);
}

TEST_CASE("report.html renders in headless chromium without console errors") {
  require_chromium();
  const auto fx = synthetic_report();
  const std::string html = render_report_html(fx->report);
  const std::filesystem::path page = write_page(html, "report-browser");
  const std::filesystem::path dir = page.parent_path();

  // Screenshot.
  const std::filesystem::path png = dir / "report.png";
  const test::CommandResult shot = test::run_command(
      chromium_command(dir / "profile-shot", "--screenshot='" + png.string() + "'", page,
                       dir / "shot.out", dir / "shot.err"));
  const std::string shot_log = test::read_text(dir / "shot.err");
  INFO("chromium stderr:\n", shot_log);
  REQUIRE(shot.status == 0);
  REQUIRE(std::filesystem::exists(png));
  const std::string image = test::read_text(png);
  const PngSize size = png_size(image);
  CHECK(size.width == 1400);
  CHECK(size.height == 3000);
  CHECK(image.size() > 60000);  // a blank or text-only page compresses to far less
  CHECK(console_errors(shot_log).empty());

  // The DOM chromium built from the page holds every plot.
  const test::CommandResult dom_run = test::run_command(
      chromium_command(dir / "profile-dom", "--dump-dom", page, dir / "dom.html", dir / "dom.err"));
  const std::string dom_log = test::read_text(dir / "dom.err");
  INFO("chromium --dump-dom stderr:\n", dom_log);
  REQUIRE(dom_run.status == 0);
  const std::string dom = test::read_text(dir / "dom.html");
  CHECK(occurrences(dom, "<svg") == expected_plots().size());
  for (const std::string& name : expected_plots())
    CHECK_MESSAGE(dom.find("data-plot=\"" + name + "\"") != std::string::npos, "missing ", name);
  CHECK(console_errors(dom_log).empty());

  // The browser profiles are large and of no further use; page, screenshot and logs stay.
  std::filesystem::remove_all(dir / "profile-shot");
  std::filesystem::remove_all(dir / "profile-dom");

  const std::filesystem::path reports = std::filesystem::path(NKAPPA_BINARY_DIR) / "reports";
  std::filesystem::create_directories(reports);
  std::filesystem::copy_file(png, reports / "report_screenshot.png",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(page, reports / "report_example.html",
                             std::filesystem::copy_options::overwrite_existing);
  test::write_report("report_browser.txt",
                     "report.html (synthetic wt / hypo_ub / null, " + std::to_string(kCells) +
                         " cells each): " + std::to_string(html.size()) + " bytes, " +
                         std::to_string(expected_plots().size()) +
                         " plots; chromium rendered it without console errors.\nScreenshot: " +
                         (reports / "report_screenshot.png").string() +
                         "\nPage: " + (reports / "report_example.html").string() + "\n");
}

TEST_CASE("report browser check: a page with a script error is caught") {
  // Guards the check above: if chromium's log format changed, console_errors would find nothing
  // and the report test would pass without looking.
  require_chromium();
  const std::filesystem::path page = write_page(
      "<!DOCTYPE html><html><body><p>x</p><script>no_such_function();</script></body></html>",
      "report-bad");
  const std::filesystem::path dir = page.parent_path();
  const test::CommandResult run = test::run_command(
      chromium_command(dir / "profile", "--dump-dom", page, dir / "dom.html", dir / "dom.err"));
  const std::string log = test::read_text(dir / "dom.err");
  INFO("chromium stderr:\n", log);
  REQUIRE(run.status == 0);
  CHECK_FALSE(console_errors(log).empty());
  std::filesystem::remove_all(dir / "profile");
}

}  // namespace nkappa

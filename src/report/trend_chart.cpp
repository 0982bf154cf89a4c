#include "report/trend_chart.h"

#include <algorithm>
#include <sstream>

#include "report/svg_map.h"
#include "stats/area_stats.h"
#include "stats/monthly_series.h"

namespace hotspot::report {

namespace {

// One area's group: its title, code and (cut) name.
void append_area(std::string& out, const AreaLayer& layer, size_t a, double x0, double y0) {
  std::string name = layer.label[a];
  if (name.size() > 26) {  // cut on a UTF-8 character boundary
    size_t cut = 24;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name = name.substr(0, cut) + "...";
  }
  out += "<g><title>" + html_escape(layer.name + " " + layer.code[a] + " " + layer.label[a]) + "</title>";
  out += "<text x=\"" + num(x0, 1) + "\" y=\"" + num(y0 + 12, 1) + "\" font-size=\"11\" font-weight=\"bold\">";
  out += html_escape(layer.code[a]) + "</text><text x=\"" + num(x0, 1) + "\" y=\"" + num(y0 + 24, 1);
  out += "\" font-size=\"9\" fill=\"#555\">" + html_escape(name) + "</text>";
}

}  // namespace

bool append_trend_small_multiples(std::string& out, const RunResult& r, size_t l) {
  if (!r.stats || l >= r.counts.size() || l >= r.layers.size()) return false;
  const AreaCounts& c = r.counts[l];
  const AreaLayer& layer = r.layers[l];
  const stats::StatCategory& headline = r.stats->categories[size_t(r.stats->headline)];
  if (c.months < 2 || layer.size() == 0) return false;
  // n[a][m]: the headline's incidents of area a in month m.
  // (stats::monthly_series: the same series the per-area trends test.)
  std::vector<std::vector<int64_t>> n(layer.size(), std::vector<int64_t>(size_t(c.months), 0));
  int64_t top = 1;
  for (size_t a = 0; a < layer.size(); ++a) {
    const std::vector<double> series = stats::monthly_series(c, int(a), headline.members);
    for (int m = 0; m < c.months; ++m) {
      n[a][size_t(m)] = int64_t(series[size_t(m)]);
      top = std::max(top, n[a][size_t(m)]);
    }
  }
  // Areas with none in any month are flat panels; on all English LSOAs
  // they were ~98% of a 31 MB figure 775,000 units tall. Only the others
  // are drawn, and the caption counts the rest.
  std::vector<size_t> drawn;
  for (size_t a = 0; a < layer.size(); ++a)
    if (std::any_of(n[a].begin(), n[a].end(), [](int64_t v) { return v != 0; })) drawn.push_back(a);
  const std::string none_drawn = std::to_string(layer.size() - drawn.size()) + " of " + std::to_string(layer.size()) +
                                 " " + layer.name + " areas with none in any month are not drawn.";
  if (drawn.empty()) {
    out += "<p class=\"note\">" + html_escape(headline.name + " by month: " + none_drawn) + "</p>";
    return true;
  }
  const int per_row = 5;
  const double w = 180, h = 118, top_pad = 30, base = 96, plot_w = w - 16;
  const size_t rows = (drawn.size() + per_row - 1) / per_row;
  // The viewBox through an ostream, as before (its default 6-digit %g
  // form); the ~31 MB body (all English LSOAs) appended to one string
  // instead: the ostringstream's growth, str() and the figure's
  // concatenations were five copies of it (bench/RESULTS.md, perf-areas5).
  std::ostringstream view;
  view << "<svg class=\"trends\" viewBox=\"0 0 " << w * per_row << " " << h * double(rows);
  out += "<figure>";
  out += view.str();
  out += "\" width=\"100%\" role=\"img\" aria-label=\"";
  out += html_escape(headline.name + " by month in every " + layer.name);
  out += "\">";
  const double bar = plot_w / c.months;
  std::vector<std::string> month(size_t(c.months));  // the same few labels in every area
  for (int m = 0; m < c.months; ++m) month[size_t(m)] = month_label(c.first_month + m);
  for (size_t i = 0; i < drawn.size(); ++i) {
    const size_t a = drawn[i];
    const double x0 = double(i % per_row) * w + 8, y0 = double(i / per_row) * h;
    append_area(out, layer, a, x0, y0);
    for (int m = 0; m < c.months; ++m) {
      const int64_t v = n[a][size_t(m)];
      const double bh = (base - top_pad) * double(v) / double(top);
      out += "<rect x=\"" + num(x0 + m * bar + bar * 0.1, 2) + "\" y=\"" + num(y0 + base - bh, 2) + "\" width=\"";
      out += num(bar * 0.8, 2) + "\" height=\"" + num(bh, 2) + "\" fill=\"#4a6fa5\"><title>";
      out += html_escape(month[size_t(m)] + ": " + std::to_string(v)) + "</title></rect>";
    }
    out += "<line x1=\"" + num(x0, 1) + "\" x2=\"" + num(x0 + plot_w, 1) + "\" y1=\"" + num(y0 + base, 1);
    out += "\" y2=\"" + num(y0 + base, 1) + "\" stroke=\"#333\" stroke-width=\"0.6\"/>";
    out += "<text x=\"" + num(x0, 1) + "\" y=\"" + num(y0 + base + 11, 1) + "\" font-size=\"8\">";
    out += html_escape(month.front()) + "</text><text x=\"" + num(x0 + plot_w, 1) + "\" y=\"";
    out += num(y0 + base + 11, 1) + "\" font-size=\"8\" text-anchor=\"end\">";
    out += html_escape(month.back() + ": " + std::to_string(n[a].back()));
    out += "</text></g>";
  }
  out += "</svg><figcaption>";
  out += html_escape(headline.name + " per month in each " + layer.name + " (" + month_label(c.first_month) + " to " +
                     month_label(c.first_month + c.months - 1) + ", every month of the data); one scale for all, " +
                     "0 to " + std::to_string(top) + " a month; the last month's count at the right." +
                     (drawn.size() < layer.size() ? " " + none_drawn : ""));
  out += "</figcaption></figure>";
  return true;
}

}  // namespace hotspot::report

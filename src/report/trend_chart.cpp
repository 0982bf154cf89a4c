#include "report/trend_chart.h"

#include <algorithm>
#include <sstream>

#include "report/svg_map.h"
#include "stats/area_stats.h"
#include "stats/monthly_series.h"

namespace hotspot::report {

std::string trend_small_multiples(const RunResult& r, size_t l) {
  if (!r.stats || l >= r.counts.size() || l >= r.layers.size()) return "";
  const AreaCounts& c = r.counts[l];
  const AreaLayer& layer = r.layers[l];
  const stats::StatCategory& headline = r.stats->categories[size_t(r.stats->headline)];
  if (c.months < 2 || layer.size() == 0) return "";
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
  const int per_row = 5;
  const double w = 180, h = 118, top_pad = 30, base = 96, plot_w = w - 16;
  const size_t rows = (layer.size() + per_row - 1) / per_row;
  std::ostringstream o;
  o << "<svg class=\"trends\" viewBox=\"0 0 " << w * per_row << " " << h * double(rows)
    << "\" width=\"100%\" role=\"img\" aria-label=\"" << html_escape(headline.name + " by month in every " + layer.name)
    << "\">";
  const double bar = plot_w / c.months;
  for (size_t a = 0; a < layer.size(); ++a) {
    const double x0 = double(a % per_row) * w + 8, y0 = double(a / per_row) * h;
    std::string name = layer.label[a];
    if (name.size() > 26) {  // cut on a UTF-8 character boundary
      size_t cut = 24;
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
      name = name.substr(0, cut) + "...";
    }
    o << "<g><title>" << html_escape(layer.name + " " + layer.code[a] + " " + layer.label[a]) << "</title>"
      << "<text x=\"" << num(x0, 1) << "\" y=\"" << num(y0 + 12, 1) << "\" font-size=\"11\" font-weight=\"bold\">"
      << html_escape(layer.code[a]) << "</text><text x=\"" << num(x0, 1) << "\" y=\"" << num(y0 + 24, 1)
      << "\" font-size=\"9\" fill=\"#555\">" << html_escape(name) << "</text>";
    for (int m = 0; m < c.months; ++m) {
      const int64_t v = n[a][size_t(m)];
      const double bh = (base - top_pad) * double(v) / double(top);
      o << "<rect x=\"" << num(x0 + m * bar + bar * 0.1, 2) << "\" y=\"" << num(y0 + base - bh, 2) << "\" width=\""
        << num(bar * 0.8, 2) << "\" height=\"" << num(bh, 2) << "\" fill=\"#4a6fa5\"><title>"
        << html_escape(month_label(c.first_month + m) + ": " + std::to_string(v)) << "</title></rect>";
    }
    o << "<line x1=\"" << num(x0, 1) << "\" x2=\"" << num(x0 + plot_w, 1) << "\" y1=\"" << num(y0 + base, 1)
      << "\" y2=\"" << num(y0 + base, 1) << "\" stroke=\"#333\" stroke-width=\"0.6\"/>"
      << "<text x=\"" << num(x0, 1) << "\" y=\"" << num(y0 + base + 11, 1) << "\" font-size=\"8\">"
      << html_escape(month_label(c.first_month)) << "</text><text x=\"" << num(x0 + plot_w, 1) << "\" y=\""
      << num(y0 + base + 11, 1) << "\" font-size=\"8\" text-anchor=\"end\">"
      << html_escape(month_label(c.first_month + c.months - 1) + ": " + std::to_string(n[a].back())) << "</text></g>";
  }
  o << "</svg>";
  return "<figure>" + o.str() + "<figcaption>" +
         html_escape(headline.name + " per month in each " + layer.name + " (" + month_label(c.first_month) + " to " +
                     month_label(c.first_month + c.months - 1) + ", every month of the data); one scale for all, " +
                     "0 to " + std::to_string(top) + " a month; the last month's count at the right.") +
         "</figcaption></figure>";
}

}  // namespace hotspot::report

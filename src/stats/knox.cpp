#include "stats/knox.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <thread>

namespace hotspot::knox {

std::string band_problem(const Bands& b) {
  if (b.edges.size() < 2) return "needs at least two edges (one band)";
  if (!(b.edges[0] >= 0)) return "the first edge must be >= 0";
  for (size_t k = 0; k + 1 < b.edges.size(); ++k) {
    if (std::isinf(b.edges[k])) return "only the last edge may be infinite";
    if (!(b.edges[k] < b.edges[k + 1])) return "edges must increase strictly";
  }
  if (b.edges.size() > 255) return "at most 254 bands";
  return "";
}

uint64_t permutation_seed(uint64_t seed, int64_t r) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (uint64_t(r) + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

namespace {

// A uniform integer in [0, range) (Lemire's multiply-and-reject), written out
// because std::uniform_int_distribution's algorithm is left to the library:
// the same seed must give the same permutations with any standard library.
uint64_t bounded(std::mt19937_64& g, uint64_t range) {
  unsigned __int128 m = static_cast<unsigned __int128>(g()) * range;
  uint64_t low = uint64_t(m);
  if (low < range) {
    const uint64_t threshold = (0 - range) % range;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(g()) * range;
      low = uint64_t(m);
    }
  }
  return uint64_t(m >> 64);
}

// Fisher-Yates with bounded(): a fixed algorithm, so permutation r is the
// same everywhere.
void shuffle(std::vector<int64_t>& v, std::mt19937_64& g) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[bounded(g, i)]);
}

// Counts one ordering of the times into a rows x cols table.
//
// The close pairs are held per event (CSR: each event's later-numbered
// partners), each partner packed with its distance row in one 32-bit word,
// so a pass reads 4 bytes a pair and each event's time once. Pairs whose gap
// is past the last finite time edge (most pairs, over a long span) are not
// counted one by one: a row's open-ended time cell is the row's pair count
// (fixed: shuffling times moves no event) minus its counted cells.
class Counter {
 public:
  // Enumerates the close pairs twice (count, then fill), so no list of
  // every pair (12 bytes each) is ever held beside the packed one.
  Counter(const std::vector<double>& x, const std::vector<double>& y, const Options& o, const std::vector<int64_t>& t)
      : o_(o), rows_(o.space.count()), cols_(o.time.count()), width_(cols_ + 2) {
    enumerated_ = o.space.open_ended() ? rows_ - 1 : rows_;
    // Gaps are whole units: a lookup table up to the last finite edge;
    // column cols_ = a gap below the first time edge (in no band), column
    // cols_ + 1 = past the table.
    const double limit = std::ceil(o.time.finite_limit());
    lut_.resize(size_t(std::min(limit, double(1 << 22))));
    for (size_t g = 0; g < lut_.size(); ++g) {
      const int b = o.time.band_of(double(g));
      lut_[g] = uint16_t(b < 0 ? cols_ : size_t(b));
    }
    lut_covers_all_ = double(lut_.size()) >= limit;
    const size_t n = x.size();
    row_total_.assign(enumerated_ + 1, 0);
    offset_.assign(n + 1, 0);
    for_each_close_pair(x, y, o.space, o.metric, [&](uint32_t i, uint32_t, uint8_t band) {
      ++offset_[i + 1];
      ++row_total_[band == kBelow ? enumerated_ : band];
    });
    for (size_t i = 0; i < n; ++i) offset_[i + 1] += offset_[i];
    partner_.resize(offset_[n]);
    std::vector<uint64_t> fill(offset_.begin(), offset_.end() - 1);
    for_each_close_pair(x, y, o.space, o.metric, [&](uint32_t i, uint32_t j, uint8_t band) {
      partner_[fill[i]++] = j | uint32_t(band == kBelow ? enumerated_ : band) << 24;
    });
    if (o.space.open_ended()) marginal_ = time_marginal(t);
  }

  size_t pairs() const { return partner_.size(); }

  std::vector<int64_t> count(const std::vector<int64_t>& t) const {
    // + a row for pairs below the first distance edge. Four interleaved
    // copies of the tally so that increments of one cell do not wait for
    // each other.
    const size_t cells = (enumerated_ + 1) * width_, lut_size = lut_.size();
    std::vector<int64_t> lanes(4 * cells, 0);
    // The hot loop works on local copies: a store into the tally could
    // otherwise alias the members, and every one would be reloaded.
    int64_t* const tally = lanes.data();
    const int64_t* const time = t.data();
    const uint16_t* const lut = lut_.data();
    const uint32_t* const partner = partner_.data();
    const uint64_t* const offset = offset_.data();
    const size_t width = width_, past = cols_ + 1, events = offset_.size() - 1;
    const bool covers = lut_covers_all_;
    for (size_t i = 0; i < events; ++i) {
      const int64_t ti = time[i];
      const uint64_t end = offset[i + 1];
      for (uint64_t k = offset[i]; k < end; ++k) {
        const uint32_t packed = partner[k];
        const int64_t tj = time[packed & 0xFFFFFF];
        const uint64_t gap = uint64_t(ti > tj ? ti - tj : tj - ti);
        // No branch on the gap (it goes either way at random): a gap past
        // the table is tallied in the spare column.
        size_t b = gap < lut_size ? lut[gap] : past;
        if (!covers && b == past) {  // a table capped at 2^22 units: look the band up
          const int band = o_.time.band_of(double(gap));
          if (band < 0) continue;
          b = size_t(band);
        }
        ++tally[(k & 3) * cells + (packed >> 24) * width + b];
      }
    }
    std::vector<int64_t> acc(cells, 0);
    for (size_t c = 0; c < cells; ++c) acc[c] = lanes[c] + lanes[cells + c] + lanes[2 * cells + c] + lanes[3 * cells + c];
    if (lut_covers_all_ && o_.time.open_ended())
      for (size_t r = 0; r <= enumerated_; ++r) {
        int64_t counted = 0;  // gaps within the table, in a band or below the first edge
        for (size_t b = 0; b <= cols_; ++b) counted += acc[r * width_ + b];
        acc[r * width_ + cols_ - 1] = row_total_[r] - counted;
      }
    std::vector<int64_t> table(rows_ * cols_, 0);
    for (size_t r = 0; r < enumerated_; ++r)
      for (size_t b = 0; b < cols_; ++b) table[r * cols_ + b] = acc[r * width_ + b];
    if (enumerated_ < rows_)  // the open-ended distance band: all pairs minus the close ones
      for (size_t b = 0; b < cols_; ++b) {
        int64_t close = 0;
        for (size_t a = 0; a <= enumerated_; ++a) close += acc[a * width_ + b];
        table[enumerated_ * cols_ + b] = marginal_[b] - close;
      }
    return table;
  }

 private:
  // Pairs per time band over all pairs (the same for every ordering).
  std::vector<int64_t> time_marginal(std::vector<int64_t> s) const {
    std::sort(s.begin(), s.end());
    const int64_t n = int64_t(s.size()), all = n * (n - 1) / 2;
    auto closer_than = [&](double e) -> int64_t {  // pairs with gap < e
      if (std::isinf(e)) return all;
      if (e <= 0) return 0;  // else s[j] - s[j] = 0 < e keeps lo <= j
      int64_t pairs = 0;
      size_t lo = 0;
      for (size_t j = 0; j < s.size(); ++j) {
        while (!(double(s[j] - s[lo]) < e)) ++lo;
        pairs += int64_t(j - lo);
      }
      return pairs;
    };
    std::vector<int64_t> m(cols_);
    for (size_t b = 0; b < cols_; ++b) m[b] = closer_than(o_.time.edges[b + 1]) - closer_than(o_.time.edges[b]);
    return m;
  }

  const Options& o_;
  size_t rows_, cols_, width_, enumerated_ = 0;
  std::vector<uint16_t> lut_;
  bool lut_covers_all_ = false;
  std::vector<uint64_t> offset_;   // CSR: event i's partners are partner_[offset_[i] .. offset_[i + 1])
  std::vector<uint32_t> partner_;  // partner index | distance row << 24
  std::vector<int64_t> row_total_; // close pairs per distance row (+ the below row)
  std::vector<int64_t> marginal_;
};

struct Tally {
  std::vector<int64_t> sum, at_least;
  explicit Tally(size_t cells) : sum(cells, 0), at_least(cells, 0) {}
  void add(const std::vector<int64_t>& table, const std::vector<int64_t>& observed) {
    for (size_t c = 0; c < table.size(); ++c) sum[c] += table[c], at_least[c] += table[c] >= observed[c];
  }
  void merge(const Tally& o) {
    for (size_t c = 0; c < sum.size(); ++c) sum[c] += o.sum[c], at_least[c] += o.at_least[c];
  }
};

Tally monte_carlo(const Counter& counter, const std::vector<int64_t>& t, const std::vector<int64_t>& observed,
                  const Options& o) {
  const int64_t R = o.permutations;
  const int64_t workers = std::clamp<int64_t>(o.threads, 1, R);
  std::vector<Tally> part(size_t(workers), Tally(observed.size()));
  auto work = [&](int64_t w) {
    std::vector<int64_t> tp;
    for (int64_t r = R * w / workers; r < R * (w + 1) / workers; ++r) {
      std::mt19937_64 g(permutation_seed(o.seed, r));
      tp = t;
      shuffle(tp, g);
      part[size_t(w)].add(counter.count(tp), observed);
    }
  };
  std::vector<std::thread> pool;
  for (int64_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& th : pool) th.join();
  Tally all(observed.size());
  for (const Tally& p : part) all.merge(p);  // integer sums: the same for any split
  return all;
}

// Every ordering of the times (n! of them, the observed one among them).
Tally exact(const Counter& counter, const std::vector<int64_t>& t, const std::vector<int64_t>& observed,
            int64_t& orderings) {
  std::vector<size_t> idx(t.size());
  std::iota(idx.begin(), idx.end(), size_t(0));
  Tally all(observed.size());
  std::vector<int64_t> tp(t.size());
  orderings = 0;
  do {
    for (size_t i = 0; i < t.size(); ++i) tp[i] = t[idx[i]];
    all.add(counter.count(tp), observed);
    ++orderings;
  } while (std::next_permutation(idx.begin(), idx.end()));
  return all;
}

double factorial(size_t n) {
  double f = 1;
  for (size_t k = 2; k <= n; ++k) f *= double(k);
  return f;
}

}  // namespace

Table knox_test(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int64_t>& t,
                const Options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (x.size() != y.size() || x.size() != t.size()) throw std::invalid_argument("knox: x, y and t differ in size");
  if (x.size() < 2) throw std::invalid_argument("knox: needs at least 2 events (has " + std::to_string(x.size()) + ")");
  if (std::string e = band_problem(o.space); !e.empty()) throw std::invalid_argument("knox: distance bands: " + e);
  if (std::string e = band_problem(o.time); !e.empty()) throw std::invalid_argument("knox: time bands: " + e);
  if (o.permutations < 1) throw std::invalid_argument("knox: permutations must be >= 1");
  const size_t n = x.size();
  if (n >= (size_t(1) << 24))
    throw std::invalid_argument("knox: at most 16,777,215 events (has " + std::to_string(n) + ")");
  const bool use_exact =
      o.method == Method::kExact || (o.method == Method::kAuto && factorial(n) <= double(o.permutations) + 1);
  if (use_exact && n > kMaxExact)
    throw std::invalid_argument("knox: exact enumeration of " + std::to_string(n) + " events is " +
                                "too many orderings (at most " + std::to_string(kMaxExact) + " events)");
  // Renumber the events in grid-cell order: the close pairs' indices then
  // lie close together, so each permutation's pass reads nearby times.
  const std::vector<uint32_t> order = cell_order(x, y, o.space.finite_limit());
  std::vector<double> xs(n), ys(n);
  std::vector<int64_t> ts(n);
  for (size_t k = 0; k < n; ++k) xs[k] = x[order[k]], ys[k] = y[order[k]], ts[k] = t[order[k]];

  Table out;
  out.rows = o.space.count(), out.cols = o.time.count();
  out.events = int64_t(n);
  out.all_pairs = int64_t(n) * int64_t(n - 1) / 2;
  const Counter counter(xs, ys, o, ts);
  out.close_pairs = int64_t(counter.pairs());
  out.observed = counter.count(ts);
  Tally tally(out.observed.size());
  if (use_exact) {
    tally = exact(counter, ts, out.observed, out.orderings);
    out.exact = true;
  } else {
    tally = monte_carlo(counter, ts, out.observed, o);
    out.orderings = o.permutations;
  }
  const size_t cells = out.observed.size();
  out.expected.resize(cells), out.ratio.resize(cells), out.p.resize(cells), out.flagged.resize(cells);
  out.at_least = tally.at_least;
  const double R = double(out.orderings);
  for (size_t c = 0; c < cells; ++c) {
    out.expected[c] = double(tally.sum[c]) / R;
    out.ratio[c] = out.expected[c] > 0 ? double(out.observed[c]) / out.expected[c] : NAN;
    out.p[c] = out.exact ? double(tally.at_least[c]) / R : (1.0 + double(tally.at_least[c])) / (R + 1.0);
    out.flagged[c] = out.p[c] <= o.alpha && out.ratio[c] >= o.min_ratio;  // NaN ratio: never
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace hotspot::knox

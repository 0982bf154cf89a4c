// Ledger: where every input row went. Written with every run.
//   rows_read == accepted + rejected
//   for each layer: accepted == matched + unmatched
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot {

enum class RejectReason {
  kMalformedRow,       // wrong number of fields / broken quoting
  kBlankCoordinates,   // x or y empty
  kBadNumber,          // x or y not a number
  kZeroCoordinates,    // x == 0 and y == 0 (a common "unknown" marker)
  kOutOfRange,         // outside the CRS's valid area (e.g. |lat| > 90)
  kBadDate,            // date/month missing or unparsable
  kMissingCategory,    // blank crime type
  kDuplicateId,        // id seen before in this run
  kMissingGeometry,    // OGR feature without a point geometry
  kTransformFailed,    // PROJ could not transform the point
};
constexpr int kRejectReasonCount = 10;
std::string_view to_string(RejectReason r);

struct Reject {
  std::string file;
  int64_t row = 0;          // text: 1-based data row (header excluded); OGR: the feature's FID
  RejectReason reason{};
  std::string field;        // the offending field name
  std::string raw;          // the raw row (fields joined with ',')
};

// Recorded-vs-spatial agreement for one layer (only where the source
// records an area code for that layer).
struct Agreement {
  int64_t compared = 0;     // accepted rows with a recorded code
  int64_t agree = 0;        // recorded == spatial
  int64_t disagree = 0;     // recorded != spatial (includes spatially unmatched)
  int64_t recorded_blank = 0;
  struct Row {
    int64_t incident = 0;   // index into the IncidentTable
    std::string recorded;
    std::string spatial;    // "" when unmatched
  };
  std::vector<Row> rows;    // every disagreeing row
  double agree_share() const { return compared ? double(agree) / double(compared) : 0.0; }
};

struct LayerLedger {
  std::string layer;
  int64_t matched = 0;
  int64_t unmatched = 0;
  int64_t multiple = 0;     // points inside more than one area (overlaps)
  bool has_agreement = false;
  Agreement agreement;

  // The counts as a public run may print them. A public run (k > 0) shows
  // no count of 1..k of incidents outside a layer or in overlapping areas:
  // such a count is `marker`, and so is `matched` (accepted - unmatched
  // would give it back). The recorded-vs-spatial comparison is not
  // published at all (empty strings). k = 0: every count as it is.
  struct Shown {
    std::string matched, unmatched, multiple;
  };
  Shown shown(int64_t k, const std::string& marker) const;
};

struct Ledger {
  int64_t rows_read = 0;
  int64_t accepted = 0;
  int64_t rejected = 0;
  std::map<RejectReason, int64_t> rejected_by_reason;
  std::vector<Reject> rejects;              // one per rejected row
  std::map<std::string, int64_t> read_by_file;
  std::vector<LayerLedger> layers;
  std::vector<std::string> warnings;        // e.g. repaired polygons

  void add_reject(Reject r);
  bool reconciles() const;                  // checks every identity above
  std::string to_text() const;              // human summary for the terminal
  // Public runs: counts through LayerLedger::shown (k = 0: as to_text()).
  std::string to_text(int64_t public_k, const std::string& marker) const;
};

}  // namespace hotspot

#include "hotspot/ledger.h"

#include <sstream>

namespace hotspot {

std::string_view to_string(RejectReason r) {
  switch (r) {
    case RejectReason::kMalformedRow: return "malformed_row";
    case RejectReason::kBlankCoordinates: return "blank_coordinates";
    case RejectReason::kBadNumber: return "unparsable_number";
    case RejectReason::kZeroCoordinates: return "zero_coordinates";
    case RejectReason::kOutOfRange: return "out_of_range";
    case RejectReason::kBadDate: return "unparsable_date";
    case RejectReason::kMissingCategory: return "missing_category";
    case RejectReason::kDuplicateId: return "duplicate_id";
    case RejectReason::kMissingGeometry: return "missing_geometry";
    case RejectReason::kTransformFailed: return "transform_failed";
  }
  return "unknown";
}

void Ledger::add_reject(Reject r) {
  ++rejected;
  ++rejected_by_reason[r.reason];
  rejects.push_back(std::move(r));
}

bool Ledger::reconciles() const {
  if (rows_read != accepted + rejected) return false;
  int64_t by_reason = 0;
  for (const auto& [reason, n] : rejected_by_reason) by_reason += n;
  if (by_reason != rejected || int64_t(rejects.size()) != rejected) return false;
  int64_t by_file = 0;
  for (const auto& [file, n] : read_by_file) by_file += n;
  if (by_file != rows_read) return false;
  for (const LayerLedger& l : layers) {
    if (l.matched + l.unmatched != accepted) return false;
    if (l.has_agreement && l.agreement.agree + l.agreement.disagree != l.agreement.compared) return false;
  }
  return true;
}

LayerLedger::Shown LayerLedger::shown(int64_t k, const std::string& marker) const {
  auto small = [&](int64_t v) { return k > 0 && v >= 1 && v <= k; };
  const bool hide = small(unmatched) || small(multiple);
  return {hide ? marker : std::to_string(matched), small(unmatched) ? marker : std::to_string(unmatched),
          small(multiple) ? marker : std::to_string(multiple)};
}

std::string Ledger::to_text() const { return to_text(0, "x"); }

std::string Ledger::to_text(int64_t public_k, const std::string& marker) const {
  std::ostringstream out;
  out << "rows read " << rows_read << " = accepted " << accepted << " + rejected " << rejected
      << (reconciles() ? "  [reconciles]" : "  [DOES NOT RECONCILE]") << "\n";
  for (const auto& [reason, n] : rejected_by_reason) out << "  rejected " << to_string(reason) << ": " << n << "\n";
  for (const LayerLedger& l : layers) {
    const LayerLedger::Shown s = l.shown(public_k, marker);
    out << "layer " << l.layer << ": matched " << s.matched << " + unmatched " << s.unmatched << " = " << accepted;
    if (l.multiple) out << " (" << s.multiple << " in overlapping areas)";
    out << "\n";
    if (l.has_agreement && public_k == 0) {
      const Agreement& a = l.agreement;
      out << "  recorded vs spatial " << l.layer << ": " << a.agree << " of " << a.compared << " agree ("
          << double(int64_t(a.agree_share() * 10000 + 0.5)) / 100 << "%), " << a.disagree << " disagree, "
          << a.recorded_blank << " with no recorded code\n";
    }
  }
  for (const std::string& w : warnings) out << "warning: " << w << "\n";
  return out.str();
}

}  // namespace hotspot

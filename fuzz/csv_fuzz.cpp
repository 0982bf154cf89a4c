// Fuzzes the delimited-text readers: the RFC 4180 record reader
// (io::CsvReader) and read_delimited in both its police.uk and generic CSV
// forms, on arbitrary bytes. The file is handed over through GDAL's
// in-memory file system (/vsimem/), the same VSI path read_file uses.
//
// Expected outcomes: rows accepted or rejected with the ledger reconciling,
// or an InputError. Anything else (a sanitizer report, another exception, a
// ledger that does not add up) is a finding.
#include <cpl_vsi.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "hotspot/errors.h"
#include "io/csv_parser.h"
#include "io/delimited_reader.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();  // libFuzzer records the input that got here
}

void read_all_records(std::string_view text, char delimiter) {
  hotspot::io::CsvReader reader(text, delimiter);
  std::vector<std::string_view> fields;
  bool ok = true;
  int64_t last_line = 0;
  while (reader.next(fields, &ok)) {
    check(!fields.empty());
    check(reader.line() > last_line);  // lines only move forward
    last_line = reader.line();
    for (std::string_view f : fields) check(f.size() <= text.size());
    (void)hotspot::io::join_csv(fields);
  }
}

void read_file_as(const std::string& path, hotspot::IncidentFormat format, bool geographic) {
  hotspot::IncidentSource source;
  source.format = format;
  if (format == hotspot::IncidentFormat::kDelimited) {
    source.x_field = "x";
    source.y_field = "y";
    source.date_field = "date";
    source.category_field = "category";
    source.id_field = "id";
    source.weight_field = "weight";
  }
  hotspot::Ledger ledger;
  hotspot::io::ReadContext ctx;
  ctx.ledger = &ledger;
  try {
    hotspot::io::IncidentBatch batch = hotspot::io::read_delimited(source, path, geographic, ctx);
    check(ledger.rows_read == ledger.accepted + ledger.rejected);
    check(ledger.reconciles());
    check(static_cast<int64_t>(batch.table.size()) == ledger.accepted);
  } catch (const hotspot::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  read_all_records(text, ',');
  read_all_records(text, hotspot::io::guess_delimiter(text.substr(0, text.find('\n'))));

  const std::string path = "/vsimem/fuzz/input.csv";
  VSILFILE* f = VSIFileFromMemBuffer(path.c_str(), const_cast<GByte*>(data), size, FALSE);
  check(f != nullptr);
  VSIFCloseL(f);
  read_file_as(path, hotspot::IncidentFormat::kPoliceUk, true);
  read_file_as(path, hotspot::IncidentFormat::kDelimited, false);
  VSIUnlink(path.c_str());
  return 0;
}

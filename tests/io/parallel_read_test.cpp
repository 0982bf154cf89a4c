// The read stage of issue 13: files parsed in parallel and merged in order,
// compact text columns, the exact duplicate-id set, the memory refusal.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "hotspot/errors.h"
#include "hotspot/text_column.h"
#include "io/delimited_reader.h"
#include "io/id_set.h"
#include "pipeline/memory_check.h"
#include "test_paths.h"

namespace hotspot::io {
namespace {

namespace fs = std::filesystem;

const char* const kHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n";

// Seven police.uk files with every kind of row the reader treats apart:
// ids repeated within and across files, blank ids (ASB), blank
// coordinates, a malformed row, a quoted location with a comma.
std::vector<std::string> write_files(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<std::string> paths;
  for (int f = 0; f < 7; ++f) {
    std::string text = kHeader;
    for (int r = 0; r < 40; ++r) {
      const int id = (f * 40 + r) % 97;  // ids come back in later files: duplicates across files
      const std::string crime_id = r % 5 == 0 ? "" : "id" + std::to_string(id);
      if (r == 7) {
        text += "broken,row\n";
        continue;
      }
      const std::string lon = r % 11 == 3 ? "" : "-1." + std::to_string(100 + r);
      text += crime_id + ",2019-0" + std::to_string(1 + f % 3) + ",LP,LP," + lon + ",52." + std::to_string(600 + f) +
              ",\"On or near Road " + std::to_string(r % 6) + ", Town\",E0" + std::to_string(r % 4) + ",N," +
              (r % 5 == 0 ? "Anti-social behaviour" : "Burglary") + ",,\n";
    }
    paths.push_back((dir / ("2019-0" + std::to_string(f) + "-x-street.csv")).string());
    std::ofstream(paths.back(), std::ios::binary) << text;
  }
  return paths;
}

struct Read {
  IncidentBatch batch;
  Ledger ledger;
  std::vector<std::string> sampled;  // on_file's paths, in the order it saw them
};

Read read_all(const std::vector<std::string>& files, int threads) {
  Read out;
  ReadContext ctx{&out.ledger, {}};
  IncidentSource source;  // police.uk
  read_delimited_files(source, files, true, threads, ctx, out.batch,
                       [&](const IncidentBatch& b) { out.sampled.push_back(b.table.sources.at(0)); });
  return out;
}

void expect_same(const Read& a, const Read& b) {
  const IncidentTable &s = a.batch.table, &t = b.batch.table;
  EXPECT_EQ(s.x, t.x);
  EXPECT_EQ(s.y, t.y);
  EXPECT_EQ(s.month, t.month);
  EXPECT_EQ(s.category, t.category);
  EXPECT_EQ(s.categories, t.categories);
  EXPECT_EQ(s.source, t.source);
  EXPECT_EQ(s.sources, t.sources);
  EXPECT_EQ(s.source_row, t.source_row);
  EXPECT_EQ(s.id.strings(), t.id.strings());
  EXPECT_EQ(s.location.strings(), t.location.strings());
  EXPECT_EQ(s.recorded.at("lsoa").strings(), t.recorded.at("lsoa").strings());
  EXPECT_EQ(a.ledger.rows_read, b.ledger.rows_read);
  EXPECT_EQ(a.ledger.accepted, b.ledger.accepted);
  ASSERT_EQ(a.ledger.rejects.size(), b.ledger.rejects.size());
  for (size_t i = 0; i < a.ledger.rejects.size(); ++i) {
    const Reject &x = a.ledger.rejects[i], &y = b.ledger.rejects[i];
    EXPECT_EQ(x.file + ":" + std::to_string(x.row) + ":" + std::string(to_string(x.reason)) + ":" + x.raw,
              y.file + ":" + std::to_string(y.row) + ":" + std::string(to_string(y.reason)) + ":" + y.raw);
  }
  EXPECT_EQ(a.ledger.read_by_file, b.ledger.read_by_file);
}

TEST(ParallelRead, SameTableAndRejectsOnOneOrManyThreadsAsFileByFile) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("hotspot_parallel_read_" + std::to_string(getpid()));
  const std::vector<std::string> files = write_files(dir);
  // The reference: each file read on its own, in order, as before issue 13.
  Read ref;
  {
    ReadContext ctx{&ref.ledger, {}};
    for (const std::string& f : files) {
      IncidentBatch b = read_delimited(IncidentSource{}, f, true, ctx);
      append_table(ref.batch.table, std::move(b.table));
    }
  }
  ASSERT_TRUE(ref.ledger.reconciles());
  EXPECT_GT(ref.ledger.rejected_by_reason.at(RejectReason::kDuplicateId), 20);
  EXPECT_GT(ref.ledger.rejected_by_reason.at(RejectReason::kBlankCoordinates), 0);
  EXPECT_EQ(ref.ledger.rejected_by_reason.at(RejectReason::kMalformedRow), 7);
  // A duplicate's raw row is its line as written.
  for (const Reject& r : ref.ledger.rejects) {
    if (r.reason != RejectReason::kDuplicateId) continue;
    EXPECT_EQ(r.raw.rfind("id", 0), 0u) << r.raw;
  }
  for (int threads : {1, 2, 5}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const Read got = read_all(files, threads);
    EXPECT_TRUE(got.ledger.reconciles());
    expect_same(ref, got);
    EXPECT_EQ(got.sampled, files);  // each file seen once, in order
  }
  fs::remove_all(dir);
}

// Each worker reads its next file into the memory of its last one's text,
// written over and never cleared first: a short file after a long one
// must be read as itself, with no tail of the long one (a row that would
// come from it is a row the file does not have).
TEST(ParallelRead, TextReadIntoTheLastFilesBufferIsExactlyTheNextFile) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("hotspot_reused_text_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<std::string> files;
  for (int f = 0; f < 6; ++f) {
    std::string text = kHeader;
    const int rows = f % 2 == 0 ? 400 : 3;  // long, short, long, short...
    for (int r = 0; r < rows; ++r)
      text += "f" + std::to_string(f) + "r" + std::to_string(r) + ",2019-01,LP,LP,-1.1" + std::to_string(r % 10) +
              ",52.6,On or near X,E01,N,Burglary,,\n";
    files.push_back((dir / ("2019-0" + std::to_string(f) + "-x-street.csv")).string());
    std::ofstream(files.back(), std::ios::binary) << text;
  }
  std::string buffer(1 << 20, 'x');  // a buffer full of something else
  for (const std::string& f : files) {
    read_file_into(f, buffer);
    EXPECT_EQ(buffer, read_file(f));
  }
  Read ref;
  {
    ReadContext ctx{&ref.ledger, {}};
    for (const std::string& f : files) append_table(ref.batch.table, std::move(read_delimited(IncidentSource{}, f, true, ctx).table));
  }
  EXPECT_EQ(ref.ledger.rows_read, 3 * 400 + 3 * 3);
  EXPECT_EQ(ref.ledger.accepted, ref.ledger.rows_read);
  for (int threads : {1, 2}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const Read got = read_all(files, threads);
    expect_same(ref, got);
    EXPECT_EQ(got.batch.table.id[got.batch.table.size() - 1], "f5r2");
  }
  fs::remove_all(dir);
}

TEST(ParallelRead, AFailingFileKeepsTheFilesBeforeItAndThrows) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("hotspot_parallel_fail_" + std::to_string(getpid()));
  std::vector<std::string> files = write_files(dir);
  std::ofstream(files[3], std::ios::binary) << "not,a,police,uk,header\n1,2,3,4,5\n";
  Read got;
  ReadContext ctx{&got.ledger, {}};
  EXPECT_THROW(read_delimited_files(IncidentSource{}, files, true, 3, ctx, got.batch, {}), InputError);
  EXPECT_EQ(got.batch.table.sources, std::vector<std::string>(files.begin(), files.begin() + 3));
  EXPECT_EQ(got.ledger.read_by_file.size(), 3u);
  fs::remove_all(dir);
}

// Police.uk Crime IDs (64 hex digits, stored packed) repeated within a
// file and across files far apart: duplicate ids are settled on the
// parsing workers (each file's ids encoded there, then looked up in file
// order), and the first row seen keeps the id on any number of threads.
TEST(ParallelRead, DuplicateIdsSettledOnTheWorkersKeepTheFirstRowInFileOrder) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("hotspot_parallel_hex_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto crime_id = [](int k) {
    std::string id(64, 'f');
    const std::string n = std::to_string(k);
    id.replace(64 - n.size(), n.size(), n);
    return id;
  };
  std::vector<std::string> files;
  std::set<std::string> distinct;
  for (int f = 0; f < 12; ++f) {
    std::string text = kHeader;
    for (int r = 0; r < 300; ++r) {
      const int k = (f * 300 + r * 7) % 1500;  // repeats across files, some 8 files apart
      distinct.insert(crime_id(r % 50 == 0 ? 99999 : k));
      text += crime_id(r % 50 == 0 ? 99999 : k) + ",2019-01,LP,LP,-1." + std::to_string(100 + r) + ",52." +
              std::to_string(600 + f) + ",On or near Road,E01,N,Burglary,,\n";
    }
    files.push_back((dir / ("2019-" + std::to_string(10 + f) + "-x-street.csv")).string());
    std::ofstream(files.back(), std::ios::binary) << text;
  }
  Read ref;
  {
    ReadContext ctx{&ref.ledger, {}};
    for (const std::string& f : files) {
      IncidentBatch b = read_delimited(IncidentSource{}, f, true, ctx);
      append_table(ref.batch.table, std::move(b.table));
    }
  }
  // Each id kept once, on its first row.
  ASSERT_EQ(ref.batch.table.size(), distinct.size());
  const std::vector<std::string> kept = ref.batch.table.id.strings();
  EXPECT_EQ(std::set<std::string>(kept.begin(), kept.end()), distinct);
  EXPECT_EQ(ref.ledger.rejected_by_reason.at(RejectReason::kDuplicateId), int64_t(12 * 300 - distinct.size()));
  // The id repeated every 50 rows is kept on its first row, file 0 row 1;
  // its repeats within that file are its first rejects.
  EXPECT_EQ(ref.batch.table.id[0], crime_id(99999));
  EXPECT_EQ(ref.batch.table.source_row[0], 1);
  EXPECT_EQ(ref.ledger.rejects.front().file, files[0]);
  EXPECT_EQ(ref.ledger.rejects.front().row, 51);
  for (int threads : {1, 2, 4}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const Read got = read_all(files, threads);
    EXPECT_TRUE(got.ledger.reconciles());
    expect_same(ref, got);
    EXPECT_EQ(got.sampled, files);
  }
  fs::remove_all(dir);
}

// encode_all is what a worker runs on a file's ids: each key is the id's
// stored form (33 bytes for 64 lowercase hex digits, 5 + its length
// otherwise) and the set answers on the encoded ids as on their text.
TEST(IdSet, EncodedIdsAreEachIdsStoredFormAndAnswerAsTheText) {
  const std::string hex(64, 'c'), upper(64, 'C');
  const std::vector<std::string_view> ids = {hex, "ab", upper, "", hex, "ab"};
  const EncodedIds encoded = IdSet::encode_all(ids);
  ASSERT_EQ(encoded.size(), ids.size());
  EXPECT_EQ(encoded.key(0).size(), 33u);
  EXPECT_EQ(encoded.key(1).size(), 7u);
  EXPECT_EQ(encoded.key(2).size(), 69u);
  EXPECT_EQ(encoded.key(3).size(), 5u);
  EXPECT_EQ(encoded.key(4), encoded.key(0));
  EXPECT_EQ(encoded.hash[4], encoded.hash[0]);
  EXPECT_NE(encoded.key(2), encoded.key(0));
  IdSet set;
  EXPECT_TRUE(set.insert("ab"));
  std::vector<char> fresh;
  set.insert_encoded(encoded, fresh);
  EXPECT_EQ(fresh, (std::vector<char>{1, 0, 1, 1, 0, 0}));
  EXPECT_TRUE(set.contains(upper));
  EXPECT_TRUE(set.contains(""));
  EXPECT_EQ(set.size(), 4u);
}

TEST(IdSet, ExactForPoliceUkAndOtherIds) {
  IdSet set;
  const std::string hex(64, 'a');
  std::string upper = hex;
  upper[10] = 'A';  // not lowercase hex: stored as given, and not equal to hex
  EXPECT_TRUE(set.insert(hex));
  EXPECT_FALSE(set.insert(hex));
  EXPECT_TRUE(set.insert(upper));
  EXPECT_TRUE(set.insert("c1"));
  EXPECT_FALSE(set.insert("c1"));
  EXPECT_TRUE(set.insert("c1 "));
  EXPECT_TRUE(set.contains(upper));
  // 64 characters that are hex but for the last, or a non-ASCII byte: kept as given.
  std::string g = hex, high = hex;
  g[63] = 'g';
  high[0] = '\xC3';
  EXPECT_TRUE(set.insert(g));
  EXPECT_FALSE(set.insert(g));
  EXPECT_TRUE(set.insert(high));
  EXPECT_FALSE(set.contains(std::string(63, 'a') + "b"));
  EXPECT_TRUE(set.insert(std::string(63, 'a') + "b"));
  EXPECT_TRUE(set.insert(std::string(64, '0')));
  EXPECT_FALSE(set.insert(std::string(64, '0')));
  EXPECT_FALSE(set.contains(std::string(64, 'b')));
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(set.insert("n" + std::to_string(i)));  // grows many times
  for (int i = 0; i < 100000; i += 997) EXPECT_TRUE(set.contains("n" + std::to_string(i)));
  EXPECT_EQ(set.size(), 100008u);
}

// settle_duplicates adds a file's ids in one insert_all (slots prefetched
// ahead): it must answer exactly as inserting them one at a time, for
// repeats within a batch, across batches and across the set's growth.
TEST(IdSet, InsertAllAnswersAsOneInsertAtATime) {
  auto hex_id = [](int k) {
    std::string id(64, '0');
    const std::string n = std::to_string(k % 50000);  // repeats across batches
    id.replace(64 - n.size(), n.size(), n);
    return id;
  };
  IdSet batched, single;
  std::vector<std::string> texts;
  for (int batch = 0; batch < 12; ++batch) {
    texts.clear();
    for (int k = 0; k < 9000; ++k) {
      const int v = batch * 7919 + k * 13;
      texts.push_back(v % 5 == 0 ? "other-" + std::to_string(v % 30011) : hex_id(v));
    }
    texts.push_back(texts.front());  // a repeat within the batch
    const std::vector<std::string_view> ids(texts.begin(), texts.end());
    std::vector<char> fresh;
    batched.insert_all(ids, fresh);
    ASSERT_EQ(fresh.size(), ids.size());
    size_t repeats = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      ASSERT_EQ(bool(fresh[i]), single.insert(ids[i])) << "batch " << batch << ", id " << i;
      repeats += !fresh[i];
    }
    EXPECT_GT(repeats, 0u);
  }
  EXPECT_EQ(batched.size(), single.size());
  std::vector<char> fresh;
  batched.insert_all({}, fresh);
  EXPECT_TRUE(fresh.empty());
  EXPECT_TRUE(batched.contains(hex_id(49999)));
  EXPECT_FALSE(batched.contains(hex_id(50000) + "x"));
}

TEST(TextColumns, KeepAppendResizeAndCopy) {
  TextColumn ids;
  for (const char* s : {"a", "", "ccc", "dd"}) ids.push_back(s);
  ids.keep_rows({true, false, true, true});
  EXPECT_EQ(ids.strings(), (std::vector<std::string>{"a", "ccc", "dd"}));
  TextColumn more;
  more.push_back("e");
  ids.append(more);
  ids.resize(5);
  EXPECT_EQ(ids.strings(), (std::vector<std::string>{"a", "ccc", "dd", "e", ""}));
  ids.resize(2);
  EXPECT_EQ(ids.strings(), (std::vector<std::string>{"a", "ccc"}));

  InternedColumn codes;
  for (const char* s : {"E1", "E2", "E1", "E3"}) codes.push_back(s);
  EXPECT_EQ(codes.values().size(), 3u);
  InternedColumn copy = codes;  // its own lookup: interning into it leaves codes alone
  copy.push_back("E4");
  copy.push_back("E1");
  EXPECT_EQ(copy.strings(), (std::vector<std::string>{"E1", "E2", "E1", "E3", "E4", "E1"}));
  EXPECT_EQ(codes.size(), 4u);
  InternedColumn other;
  other.push_back("E3");
  other.push_back("E9");
  codes.append(other);
  codes.keep_rows({true, false, true, true, true, true});
  EXPECT_EQ(codes.strings(), (std::vector<std::string>{"E1", "E1", "E3", "E3", "E9"}));
}

// InternedColumn's own open-addressing table (it replaced a
// std::unordered_map): each distinct value once, the same index for equal
// values across the table's growth, values that differ only late or in
// length kept apart, and a copy's table independent of the original's.
TEST(TextColumns, InternedColumnStoresEachValueOnceAcrossGrowthAndCopies) {
  InternedColumn c;
  auto value = [](int k) { return "On or near Street " + std::to_string(k % 20000); };
  for (int k = 0; k < 60000; ++k) c.push_back(value(k));
  ASSERT_EQ(c.size(), 60000u);
  EXPECT_EQ(c.values().size(), 20000u);
  for (int k = 0; k < 60000; k += 7) {
    ASSERT_EQ(c[size_t(k)], value(k));
    ASSERT_EQ(c.index(size_t(k)), c.index(size_t(k % 20000)));
  }
  c.push_back("On or near Street 1");
  c.push_back("On or near Street 1 ");
  c.push_back("");
  c.push_back(std::string_view("\0", 1));
  EXPECT_EQ(c.values().size(), 20003u);
  InternedColumn copy = c;
  copy.push_back("only in the copy");
  copy.push_back(value(5));
  EXPECT_EQ(copy.values().size(), 20004u);
  EXPECT_EQ(copy.index(copy.size() - 1), c.index(5));
  c.push_back("only in the copy");
  EXPECT_EQ(c.values().size(), 20004u);
  EXPECT_EQ(c[c.size() - 1], "only in the copy");
  InternedColumn moved = std::move(copy);
  moved.push_back(value(6));
  EXPECT_EQ(moved.index(moved.size() - 1), c.index(6));
}

TEST(MemoryCheck, ARunTooBigIsRefusedBeforeReadingWithTheFigure) {
  RunSpec spec;
  IncidentSource s;
  s.format = IncidentFormat::kPoliceUk;
  s.paths = {std::string(HOTSPOT_TEST_DATA_DIR) + "/io/police_uk_rejects.csv"};
  spec.incidents.push_back(s);
  const pipeline::MemoryEstimate e = pipeline::estimate_memory(spec);
  EXPECT_GT(e.input_bytes, 0);
  EXPECT_GT(e.rows, 0);
  EXPECT_GT(e.bytes, e.rows * 100);
  spec.max_memory_gb = 100;
  EXPECT_NO_THROW(pipeline::check_memory(spec));
  spec.max_memory_gb = 0.01;  // 10 MB: less than the program itself
  try {
    pipeline::check_memory(spec);
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& err) {
    const std::string msg = err.what();
    EXPECT_NE(msg.find("would need about 0.3 GB"), std::string::npos) << msg;
    EXPECT_NE(msg.find("more than the 0.0 GB allowed (max_memory_gb)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nothing was read"), std::string::npos) << msg;
  }
}

// The incidents layer is built whole before it is written (650 bytes a
// row): a national decade fits without it but not with it, and the refusal
// says so, with the figure without it.
TEST(MemoryCheck, TheIncidentsLayerIsCountedAndTheRefusalSaysWhatFitsWithoutIt) {
  RunSpec spec;
  IncidentSource s;
  s.format = IncidentFormat::kPoliceUk;
  s.paths = {std::string(HOTSPOT_TEST_DATA_DIR) + "/io/police_uk_rejects.csv"};
  spec.incidents.push_back(s);
  const pipeline::MemoryEstimate without = pipeline::estimate_memory(spec);  // no output folder: no layer
  EXPECT_FALSE(without.incident_layer);
  spec.output.dir = "/nonexistent/out";
  const pipeline::MemoryEstimate with = pipeline::estimate_memory(spec);
  EXPECT_TRUE(with.incident_layer);
  EXPECT_EQ(with.bytes - without.bytes, int64_t(650 * double(with.rows)));
  // Without the layer the run is in aggregate mode (pipeline/stream.h): no
  // whole per-incident table either, so less than the whole table's figure.
  EXPECT_FALSE(with.aggregate);
  spec.output.incidents = false;
  const pipeline::MemoryEstimate aggregate = pipeline::estimate_memory(spec);
  EXPECT_TRUE(aggregate.aggregate);
  EXPECT_FALSE(aggregate.incident_layer);
  EXPECT_LT(aggregate.bytes, without.bytes);
  EXPECT_EQ(aggregate.bytes, with.without_incident_layer);
  spec.output.incidents = true;
  spec.dry_run = true;  // nothing written, and a dry run keeps the whole table
  EXPECT_EQ(pipeline::estimate_memory(spec).bytes, without.bytes);
  spec.dry_run = false;
  spec.stats.public_mode = true;  // public packs have no incidents layer
  EXPECT_EQ(pipeline::estimate_memory(spec).bytes, aggregate.bytes);
  spec.stats.public_mode = false;
  // A limit between the two: refused, naming the layer and the figure that fits.
  spec.max_memory_gb = double(without.bytes + (with.bytes - without.bytes) / 2) / 1e9;
  try {
    pipeline::check_memory(spec);
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& err) {
    const std::string msg = err.what();
    EXPECT_NE(msg.find("is the incidents layer (one row per incident); without it (--no-incidents, or "
                       "incidents = false in [output]) the run keeps no per-incident table and would need about "
                       "0.3 GB, which fits"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("nothing was read"), std::string::npos) << msg;
  }
  spec.output.incidents = false;
  EXPECT_NO_THROW(pipeline::check_memory(spec));
}

}  // namespace
}  // namespace hotspot::io

#include "io/incident_batch.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "hotspot/errors.h"
#include "io/huge_pages.h"

namespace hotspot::io {

uint16_t intern_category(IncidentTable& table, std::string_view name) {
  // Linear search: a source has tens of categories, and this beats hashing
  // a string_view per row at that size.
  for (size_t i = 0; i < table.categories.size(); ++i)
    if (table.categories[i] == name) return static_cast<uint16_t>(i);
  if (table.categories.size() >= 65535) throw InputError("more than 65535 distinct categories");
  table.categories.emplace_back(name);
  return static_cast<uint16_t>(table.categories.size() - 1);
}

void append_table(IncidentTable& dst, IncidentTable&& src) {
  if (dst.size() == 0 && dst.sources.empty() && dst.categories.empty() && dst.recorded.empty()) {
    dst = std::move(src);  // the usual first append: no copy, no second table in memory
    return;
  }
  std::vector<uint16_t> cat_map(src.categories.size());
  for (size_t i = 0; i < src.categories.size(); ++i)
    cat_map[i] = intern_category(dst, src.categories[i]);
  const uint32_t source_base = static_cast<uint32_t>(dst.sources.size());
  for (auto& s : src.sources) dst.sources.push_back(std::move(s));
  const size_t old_size = dst.size();
  auto move_append = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    from = {};  // free each column as soon as it is copied
  };
  move_append(dst.x, src.x);
  move_append(dst.y, src.y);
  move_append(dst.month, src.month);
  move_append(dst.minute, src.minute);
  move_append(dst.source_row, src.source_row);
  // Optional columns: pad whichever side lacks them with blanks.
  auto append_optional = [&](auto& to, auto& from) {
    if (to.empty() && from.empty()) return;
    to.resize(old_size);
    to.append(from);
    to.resize(dst.x.size());
    from = {};
  };
  append_optional(dst.id, src.id);
  append_optional(dst.location, src.location);
  if (!dst.weight.empty() || !src.weight.empty()) {  // absent weights are 1
    dst.weight.resize(old_size, 1.0);
    dst.weight.insert(dst.weight.end(), src.weight.begin(), src.weight.end());
    dst.weight.resize(dst.x.size(), 1.0);
  }
  for (uint16_t c : src.category) dst.category.push_back(cat_map[c]);
  for (uint32_t s : src.source) dst.source.push_back(s + source_base);
  // Recorded codes: a layer missing on one side is blank there.
  for (auto& [layer, codes] : src.recorded) dst.recorded[layer];
  for (auto& [layer, codes] : dst.recorded) {
    codes.resize(old_size);
    auto it = src.recorded.find(layer);
    if (it != src.recorded.end()) codes.append(it->second);
    codes.resize(dst.size());
  }
}

void reserve_rows(IncidentTable& t, size_t rows, size_t id_bytes) {
  for (auto* v : {&t.x, &t.y}) v->reserve(rows);
  t.month.reserve(rows);
  t.minute.reserve(rows);
  t.category.reserve(rows);
  t.source.reserve(rows);
  t.source_row.reserve(rows);
  if (!t.id.empty()) t.id.reserve(rows, id_bytes);
  if (!t.location.empty()) t.location.reserve(rows);
  if (!t.weight.empty()) t.weight.reserve(rows);
  for (auto& [layer, codes] : t.recorded) codes.reserve(rows);
  // The room is then written file after file: in huge pages where it is
  // large enough (the merged table; a single file's columns are too small).
  for (auto* v : {&t.x, &t.y}) advise_huge_pages(*v);
  advise_huge_pages(t.month), advise_huge_pages(t.minute), advise_huge_pages(t.category);
  advise_huge_pages(t.source), advise_huge_pages(t.source_row), advise_huge_pages(t.weight);
  t.id.advise_huge_pages();
  t.location.advise_huge_pages();
  for (auto& [layer, codes] : t.recorded) codes.advise_huge_pages();
}

std::vector<Room> room_for_rows(const IncidentTable& t, size_t rows, size_t id_bytes) {
  std::vector<Room> out = {room_for(t.x, rows),      room_for(t.y, rows),      room_for(t.month, rows),
                           room_for(t.minute, rows), room_for(t.category, rows), room_for(t.source, rows),
                           room_for(t.source_row, rows), room_for(t.weight, rows)};
  auto add = [&](std::vector<Room> more) { out.insert(out.end(), more.begin(), more.end()); };
  add(t.id.room(rows, id_bytes));
  add(t.location.room(rows));
  for (const auto& [layer, codes] : t.recorded) add(codes.room(rows));
  return out;
}

namespace {

template <class T>
void keep(std::vector<T>& v, const std::vector<bool>& kept) {
  size_t k = 0;
  for (size_t i = 0; i < v.size(); ++i)
    if (kept[i]) v[k++] = std::move(v[i]);
  v.resize(k);
}

}  // namespace

void keep_rows(IncidentTable& t, const std::vector<bool>& kept) {
  keep(t.x, kept), keep(t.y, kept), keep(t.month, kept), keep(t.minute, kept), keep(t.category, kept);
  keep(t.source, kept), keep(t.source_row, kept);
  if (!t.weight.empty()) keep(t.weight, kept);
  if (!t.id.empty()) t.id.keep_rows(kept);
  if (!t.location.empty()) t.location.keep_rows(kept);
  for (auto& [layer, codes] : t.recorded) codes.keep_rows(kept);
}

std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                      const std::vector<std::string>& extensions) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p.size() >= 3 && (p.compare(0, 3, "PG:") == 0 || p.compare(0, 3, "pg:") == 0)) {
      out.push_back(p);  // a PostGIS connection (format = "postgis"): read through GDAL as it is
    } else if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(p))
        if (entry.is_regular_file() &&
            std::find(extensions.begin(), extensions.end(), entry.path().extension().string()) != extensions.end())
          found.push_back(entry.path().string());
      if (found.empty()) throw InputError(p + ": directory has no " + extensions.front() + " files");
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else if (p.find_first_of("*?[") != std::string::npos) {
      glob_t g{};
      int rc = glob(p.c_str(), 0, nullptr, &g);
      std::vector<std::string> found;
      if (rc == 0)
        for (size_t i = 0; i < g.gl_pathc; ++i) found.emplace_back(g.gl_pathv[i]);
      globfree(&g);
      if (found.empty()) throw InputError(p + ": pattern matches no file");
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      throw InputError(p + ": no such file or directory");
    }
  }
  return out;
}

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A police.uk download's month folder: "2019-02".
bool is_month_folder(const std::string& name) {
  if (name.size() != 7 || name[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (name[i] < '0' || name[i] > '9') return false;
  return true;
}

// police.uk files that are not street-level crimes.
bool is_other_police_uk_file(const std::string& name) {
  for (const char* kind : {"-outcomes.csv", "-stop-and-search.csv"})
    if (ends_with(name, kind) || ends_with(name, std::string(kind) + ".gz")) return true;
  return false;
}

const std::vector<std::string> kTextExtensions = {".csv", ".tsv", ".txt", ".gz"};

bool is_text_file(const std::filesystem::directory_entry& entry) {
  const std::string ext = entry.path().extension().string();
  return entry.is_regular_file() && std::find(kTextExtensions.begin(), kTextExtensions.end(), ext) != kTextExtensions.end();
}

}  // namespace

std::vector<std::string> expand_police_uk_paths(const std::vector<std::string>& paths,
                                                std::vector<std::string>* skipped) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      // A file or a glob is taken as named.
      for (std::string& f : expand_paths({p}, kTextExtensions)) out.push_back(std::move(f));
      continue;
    }
    std::vector<std::string> found;
    int64_t other = 0;
    auto take = [&](const fs::directory_entry& entry) {
      if (!is_text_file(entry)) return;
      if (is_other_police_uk_file(entry.path().filename().string())) {
        ++other;
        if (skipped) skipped->push_back(entry.path().string());
        return;
      }
      found.push_back(entry.path().string());
    };
    for (const auto& entry : fs::directory_iterator(p)) {
      if (entry.is_directory() && is_month_folder(entry.path().filename().string())) {
        for (const auto& inner : fs::directory_iterator(entry.path())) take(inner);
      } else {
        take(entry);
      }
    }
    if (found.empty())
      throw InputError(p + ": folder has no police.uk street files (*-street.csv, directly or in YYYY-MM folders" +
                       (other ? "; " + std::to_string(other) + " outcomes/stop-and-search files are not read" : "") +
                       ")");
    std::sort(found.begin(), found.end());  // YYYY-MM names sort by month
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::vector<std::string> incident_files(const IncidentSource& source, Ledger* ledger) {
  switch (source.format) {
    case IncidentFormat::kOgr:
      return expand_paths(source.paths, {".gpkg", ".geojson", ".json", ".shp"});
    case IncidentFormat::kDelimited:
      return expand_paths(source.paths, kTextExtensions);
    case IncidentFormat::kPoliceUk:
      break;
  }
  std::vector<std::string> skipped;
  std::vector<std::string> files = expand_police_uk_paths(source.paths, &skipped);
  if (ledger && !skipped.empty())
    ledger->warnings.push_back("skipped " + std::to_string(skipped.size()) +
                              " police.uk outcomes/stop-and-search files (not street-level crimes), e.g. " +
                              skipped.front());
  return files;
}

}  // namespace hotspot::io

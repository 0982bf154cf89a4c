// Compact text columns for the incident table (issue 13). A national year
// of police.uk has millions of rows but only tens of thousands of distinct
// locations and LSOA codes, and one short id per row: a std::string per
// cell cost 32-100 bytes and a heap allocation each.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotspot {

// Each distinct value stored once; each row holds a 4-byte index.
class InternedColumn {
 public:
  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  const std::string& operator[](size_t i) const { return values_[index_[i]]; }
  void push_back(std::string_view v) { index_.push_back(intern(v)); }
  void reserve(size_t n) { index_.reserve(n); }
  // Asks for huge pages over the reserved room (src/io/huge_pages.h): for
  // a merged national table, reserved once before the files are appended.
  void advise_huge_pages() const;
  // Where the next `rows` rows will be written, within the reserved room:
  // (begin, bytes) ranges, for io::populate.
  std::vector<std::pair<const void*, size_t>> room(size_t rows) const;
  // Pads with blanks (or cuts) to n rows.
  void resize(size_t n);
  // Keeps the rows whose keep[i] is true, in order.
  void keep_rows(const std::vector<bool>& keep);
  // Appends other's rows.
  void append(const InternedColumn& other);
  // The column as plain strings (tests, small tables).
  std::vector<std::string> strings() const;
  // Distinct values in first-seen order; index(i) points into them.
  const std::deque<std::string>& values() const { return values_; }
  uint32_t index(size_t i) const { return index_[i]; }

 private:
  uint32_t intern(std::string_view v);
  // The slot holding v, or the empty slot where it would go.
  size_t find_slot(std::string_view v, uint64_t hash) const;
  void grow();

  std::vector<uint32_t> index_;
  std::deque<std::string> values_;  // a deque: growing never copies the values
  // Open addressing, at most half full: each slot holds a value's index + 1
  // in its low 32 bits (0 = empty) and the top 32 bits of its hash above,
  // so most probes that cannot match never read the value. Indices, not
  // pointers: a copied column's table is right as copied. (It replaced a
  // std::unordered_map, a heap node per value and a pointer chase per
  // row: 8.7% of the national read stage, perf.)
  std::vector<uint64_t> slots_;
};

// Every row's text end to end in one buffer: 8 bytes a row plus the text,
// for values that rarely repeat (ids).
class TextColumn {
 public:
  size_t size() const { return end_.size(); }
  bool empty() const { return end_.empty(); }
  std::string_view operator[](size_t i) const {
    const uint64_t b = i ? end_[i - 1] : 0;
    return std::string_view(bytes_).substr(b, end_[i] - b);
  }
  void push_back(std::string_view v) {
    bytes_.append(v);
    end_.push_back(bytes_.size());
  }
  void reserve(size_t rows, size_t bytes) {
    end_.reserve(rows);
    bytes_.reserve(bytes);
  }
  void advise_huge_pages() const;  // as InternedColumn's
  // As InternedColumn's, for rows holding about `bytes` of text.
  std::vector<std::pair<const void*, size_t>> room(size_t rows, size_t bytes) const;
  size_t text_bytes() const { return bytes_.size(); }  // the text of all rows
  void resize(size_t n);  // pads with blanks (or cuts)
  void keep_rows(const std::vector<bool>& keep);
  void append(const TextColumn& other);
  std::vector<std::string> strings() const;
  void shrink_to_fit() {
    bytes_.shrink_to_fit();
    end_.shrink_to_fit();
  }

 private:
  std::string bytes_;
  std::vector<uint64_t> end_;
};

}  // namespace hotspot

// Compact text columns for the incident table (issue 13). A national year
// of police.uk has millions of rows but only tens of thousands of distinct
// locations and LSOA codes, and one short id per row: a std::string per
// cell cost 32-100 bytes and a heap allocation each.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotspot {

// Each distinct value stored once; each row holds a 4-byte index.
class InternedColumn {
 public:
  InternedColumn() = default;
  InternedColumn(const InternedColumn& other) { *this = other; }
  InternedColumn& operator=(const InternedColumn& other);
  InternedColumn(InternedColumn&&) noexcept = default;
  InternedColumn& operator=(InternedColumn&&) noexcept = default;

  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  const std::string& operator[](size_t i) const { return values_[index_[i]]; }
  void push_back(std::string_view v) { index_.push_back(intern(v)); }
  void reserve(size_t n) { index_.reserve(n); }
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
  std::vector<uint32_t> index_;
  std::deque<std::string> values_;  // a deque: elements never move, so lookup_'s views stay valid
  std::unordered_map<std::string_view, uint32_t> lookup_;
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

#include "hotspot/text_column.h"

#include <algorithm>
#include <stdexcept>

namespace hotspot {

InternedColumn& InternedColumn::operator=(const InternedColumn& other) {
  if (this == &other) return *this;
  index_ = other.index_;
  values_ = other.values_;
  // The views must point into this column's own values.
  lookup_.clear();
  for (size_t k = 0; k < values_.size(); ++k) lookup_.emplace(values_[k], uint32_t(k));
  return *this;
}

uint32_t InternedColumn::intern(std::string_view v) {
  auto it = lookup_.find(v);
  if (it != lookup_.end()) return it->second;
  if (values_.size() >= UINT32_MAX) throw std::length_error("more than 4e9 distinct values in a column");
  values_.emplace_back(v);
  const auto k = uint32_t(values_.size() - 1);
  lookup_.emplace(values_.back(), k);
  return k;
}

void InternedColumn::resize(size_t n) {
  if (n > index_.size()) index_.resize(n, intern(""));
  else index_.resize(n);
}

void InternedColumn::keep_rows(const std::vector<bool>& keep) {
  size_t kept = 0;
  for (size_t i = 0; i < index_.size(); ++i)
    if (keep[i]) index_[kept++] = index_[i];
  index_.resize(kept);
}

void InternedColumn::append(const InternedColumn& other) {
  std::vector<uint32_t> to(other.values_.size());
  for (size_t k = 0; k < other.values_.size(); ++k) to[k] = intern(other.values_[k]);
  // No exact reserve here: appending file after file would then copy the
  // whole column on every file (quadratic); push_back grows geometrically.
  for (uint32_t k : other.index_) index_.push_back(to[k]);
}

std::vector<std::string> InternedColumn::strings() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.push_back((*this)[i]);
  return out;
}

void TextColumn::resize(size_t n) {
  if (n < end_.size()) {
    end_.resize(n);
    bytes_.resize(n ? end_.back() : 0);
  } else {
    end_.resize(n, bytes_.size());  // blanks: each ends where the text does
  }
}

void TextColumn::keep_rows(const std::vector<bool>& keep) {
  size_t kept = 0, at = 0, begin = 0;
  for (size_t i = 0; i < end_.size(); ++i) {
    const size_t end = end_[i];
    if (keep[i]) {
      // Moving left within one buffer (at <= begin always).
      if (at != begin) std::copy(bytes_.begin() + long(begin), bytes_.begin() + long(end), bytes_.begin() + long(at));
      at += end - begin;
      end_[kept++] = at;
    }
    begin = end;
  }
  end_.resize(kept);
  bytes_.resize(at);
}

void TextColumn::append(const TextColumn& other) {
  const uint64_t base = bytes_.size();
  bytes_.append(other.bytes_);
  // No exact reserve (see InternedColumn::append): geometric growth.
  for (uint64_t e : other.end_) end_.push_back(base + e);
}

std::vector<std::string> TextColumn::strings() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
  return out;
}

}  // namespace hotspot

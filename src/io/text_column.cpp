#include "hotspot/text_column.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "io/huge_pages.h"

namespace hotspot {

namespace {

uint64_t hash_of(std::string_view v) { return std::hash<std::string_view>{}(v); }
uint64_t tag_of(uint64_t hash) { return hash >> 32 << 32; }

}  // namespace

size_t InternedColumn::find_slot(std::string_view v, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = tag_of(hash);
  for (size_t s = hash & mask;; s = (s + 1) & mask) {
    const uint64_t e = slots_[s];
    if (e == 0 || (tag_of(e) == tag && values_[uint32_t(e) - 1] == v)) return s;
  }
}

void InternedColumn::grow() {
  slots_.assign(slots_.empty() ? 64 : 2 * slots_.size(), 0);
  for (size_t k = 0; k < values_.size(); ++k) {
    const uint64_t hash = hash_of(values_[k]);
    slots_[find_slot(values_[k], hash)] = tag_of(hash) | (k + 1);
  }
}

uint32_t InternedColumn::intern(std::string_view v) {
  if (2 * (values_.size() + 1) > slots_.size()) grow();
  const uint64_t hash = hash_of(v);
  const size_t s = find_slot(v, hash);
  if (slots_[s]) return uint32_t(slots_[s]) - 1;
  if (values_.size() >= UINT32_MAX - 1) throw std::length_error("more than 4e9 distinct values in a column");
  values_.emplace_back(v);
  slots_[s] = tag_of(hash) | values_.size();
  return uint32_t(values_.size() - 1);
}

void InternedColumn::advise_huge_pages() const { io::advise_huge_pages(index_); }

std::vector<io::Room> InternedColumn::room(size_t rows) const { return {io::room_for(index_, rows)}; }

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

void TextColumn::advise_huge_pages() const {
  io::advise_huge_pages(end_);
  io::advise_huge_pages(bytes_.data(), bytes_.capacity());
}

std::vector<io::Room> TextColumn::room(size_t rows, size_t bytes) const {
  const size_t text = std::min(bytes, bytes_.capacity() - bytes_.size());
  return {io::room_for(end_, rows), {bytes_.data() + bytes_.size(), text}};
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

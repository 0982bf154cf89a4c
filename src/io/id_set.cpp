#include "io/id_set.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

#include "hotspot/fresh_buffer.h"
#include "io/huge_pages.h"

namespace hotspot::io {
namespace {

// Hex digit values by byte, 0xFF for anything else (upper case included:
// "AB" and "ab" must stay different ids). A table because encode() runs
// once per Crime ID, tens of millions of times in a national decade, and
// the branchy version was 10% of the read stage (perf, 1M rows).
struct HexTable {
  unsigned char value[256];
  constexpr HexTable() : value() {
    for (int c = 0; c < 256; ++c) value[c] = 0xFF;
    for (int c = '0'; c <= '9'; ++c) value[c] = static_cast<unsigned char>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) value[c] = static_cast<unsigned char>(c - 'a' + 10);
  }
};
constexpr HexTable kHex;

uint64_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }

}  // namespace

// Stored forms: a 0 byte then 32 bytes for 64 lowercase hex digits;
// otherwise a 1 byte, the length in 4 bytes, then the bytes as given. The
// two forms never equal each other, so equal ids always have equal keys.
void IdSet::encode(std::string_view id, std::string& key) {
  if (id.size() == 64) {
    unsigned char packed[33];
    packed[0] = 0;
    unsigned char bad = 0;  // any non-hex byte sets 0x80 in it
    for (size_t i = 0; i < 32; ++i) {
      const unsigned char hi = kHex.value[static_cast<unsigned char>(id[2 * i])];
      const unsigned char lo = kHex.value[static_cast<unsigned char>(id[2 * i + 1])];
      bad |= hi | lo;
      packed[i + 1] = static_cast<unsigned char>(hi << 4 | (lo & 0x0F));
    }
    if (!(bad & 0x80)) {
      key.append(reinterpret_cast<const char*>(packed), 33);
      return;
    }
  }
  key.push_back('\1');
  const auto n = uint32_t(id.size());
  key.append(reinterpret_cast<const char*>(&n), 4);
  key.append(id);
}

std::string_view IdSet::stored(uint64_t at) const {
  if (bytes_[at] == '\0') return std::string_view(bytes_).substr(at, 33);
  uint32_t n = 0;
  std::memcpy(&n, bytes_.data() + at + 1, 4);
  return std::string_view(bytes_).substr(at, 5 + size_t(n));
}

// A slot holds the key's offset + 1 in its low 40 bits and the top 24 bits
// of its hash above them: most probes that cannot match are told apart
// without reading the key (a cache miss each).
namespace {

constexpr uint64_t kOffsetBits = 40, kOffsetMask = (uint64_t{1} << kOffsetBits) - 1;

uint64_t tag_of(uint64_t hash) { return hash >> kOffsetBits << kOffsetBits; }

}  // namespace

size_t IdSet::find_slot(std::string_view key, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = tag_of(hash);
  for (size_t s = hash & mask;; s = (s + 1) & mask) {
    const uint64_t v = slots_[s];
    if (v == 0 || ((v & ~kOffsetMask) == tag && stored((v & kOffsetMask) - 1) == key)) return s;
  }
}

void IdSet::grow() {
  // A fresh buffer, zeroed in huge pages: a national year's slots are 128 MB.
  assign_fresh(slots_, slots_.empty() ? size_t(1024) : slots_.size() * 2, uint64_t{0});
  // The keys are end to end in bytes_: walking them in order reads memory
  // in order, where walking the old slots would jump to each key at random
  // (a cache miss per id, millions per growth in a national year).
  const size_t mask = slots_.size() - 1;
  for (uint64_t at = 0; at < bytes_.size();) {
    const std::string_view key = stored(at);
    const uint64_t hash = hash_of(key);
    size_t s = hash & mask;
    while (slots_[s]) s = (s + 1) & mask;
    slots_[s] = tag_of(hash) | (at + 1);
    at += key.size();
  }
}

void IdSet::reserve_slots(size_t n) {
  while (2 * n > slots_.size()) grow();  // at most half full: short probes
}

void IdSet::reserve(size_t ids, size_t bytes) {
  reserve_slots(count_ + ids);
  bytes_.reserve(bytes_.size() + bytes);
  advise_huge_pages(bytes_.data(), bytes_.capacity());
}

void IdSet::add(size_t s, std::string_view key, uint64_t hash) {
  if (bytes_.size() + 1 > kOffsetMask) throw std::length_error("more than 1 TB of ids");
  slots_[s] = tag_of(hash) | (bytes_.size() + 1);
  bytes_.append(key);
  ++count_;
}

bool IdSet::insert(std::string_view id) {
  reserve_slots(count_ + 1);
  key_.clear();
  encode(id, key_);
  const uint64_t hash = hash_of(key_);
  const size_t s = find_slot(key_, hash);
  if (slots_[s]) return false;
  add(s, key_, hash);
  return true;
}

EncodedIds IdSet::encode_all(const std::vector<std::string_view>& ids) {
  EncodedIds out;
  out.keys.reserve(33 * ids.size());
  out.end.reserve(ids.size());
  out.hash.reserve(ids.size());
  for (std::string_view id : ids) {
    const size_t begin = out.keys.size();
    encode(id, out.keys);
    out.end.push_back(out.keys.size());
    out.hash.push_back(hash_of(std::string_view(out.keys).substr(begin)));
  }
  return out;
}

void IdSet::insert_all(const std::vector<std::string_view>& ids, std::vector<char>& fresh) {
  insert_encoded(encode_all(ids), fresh);
}

void IdSet::insert_encoded(const EncodedIds& ids, std::vector<char>& fresh) {
  fresh.assign(ids.size(), 0);
  reserve_slots(count_ + ids.size());  // no growth inside: a prefetched slot stays the slot probed
  // The home slot of the id kAhead places on is fetched from memory while
  // this one is probed (the probes are cache misses).
  constexpr size_t kAhead = 8;
  const size_t mask = slots_.size() - 1;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i + kAhead < ids.size()) __builtin_prefetch(&slots_[ids.hash[i + kAhead] & mask]);
    const std::string_view key = ids.key(i);
    const size_t s = find_slot(key, ids.hash[i]);
    if (!slots_[s]) {
      add(s, key, ids.hash[i]);
      fresh[i] = 1;
    }
  }
}

bool IdSet::contains(std::string_view id) const {
  if (slots_.empty()) return false;
  key_.clear();
  encode(id, key_);
  return slots_[find_slot(key_, hash_of(key_))] != 0;
}

}  // namespace hotspot::io

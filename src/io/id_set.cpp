#include "io/id_set.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

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
void IdSet::encode(std::string_view id, std::string& key) const {
  key.clear();
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
      key.assign(reinterpret_cast<const char*>(packed), 33);
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
  slots_.assign(slots_.empty() ? 1024 : slots_.size() * 2, 0);
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
}

void IdSet::add(size_t s, std::string_view key, uint64_t hash) {
  if (bytes_.size() + 1 > kOffsetMask) throw std::length_error("more than 1 TB of ids");
  slots_[s] = tag_of(hash) | (bytes_.size() + 1);
  bytes_.append(key);
  ++count_;
}

bool IdSet::insert(std::string_view id) {
  reserve_slots(count_ + 1);
  encode(id, key_);
  const uint64_t hash = hash_of(key_);
  const size_t s = find_slot(key_, hash);
  if (slots_[s]) return false;
  add(s, key_, hash);
  return true;
}

void IdSet::insert_all(const std::vector<std::string_view>& ids, std::vector<char>& fresh) {
  fresh.assign(ids.size(), 0);
  reserve_slots(count_ + ids.size());  // no growth inside: a prefetched slot stays the slot probed
  // Keys and hashes of the next kAhead ids, in a ring; each one's home slot
  // is prefetched when it is encoded, kAhead lookups before it is probed.
  constexpr size_t kAhead = 8;
  std::string keys[kAhead];
  uint64_t hashes[kAhead];
  const size_t mask = slots_.size() - 1;
  auto prepare = [&](size_t i) {
    std::string& key = keys[i % kAhead];
    encode(ids[i], key);
    hashes[i % kAhead] = hash_of(key);
    __builtin_prefetch(&slots_[hashes[i % kAhead] & mask]);
  };
  for (size_t i = 0; i < std::min(kAhead, ids.size()); ++i) prepare(i);
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& key = keys[i % kAhead];
    const uint64_t hash = hashes[i % kAhead];
    const size_t s = find_slot(key, hash);
    if (!slots_[s]) {
      add(s, key, hash);
      fresh[i] = 1;
    }
    if (i + kAhead < ids.size()) prepare(i + kAhead);
  }
}

bool IdSet::contains(std::string_view id) const {
  if (slots_.empty()) return false;
  encode(id, key_);
  return slots_[find_slot(key_, hash_of(key_))] != 0;
}

}  // namespace hotspot::io

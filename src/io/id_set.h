// The set of non-blank incident ids seen so far in a run, for duplicate-id
// rejects (issue 13: a std::unordered_set<std::string> cost ~130 bytes and
// two allocations per id, 11% of a national run).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::io {

// Ids in IdSet's stored form with their hashes, made apart from the set:
// a file's ids are encoded on the worker that parsed it (in parallel), so
// the one thread that takes the files' ids in file order only looks them
// up (encoding and hashing were about half of that thread's id work).
struct EncodedIds {
  std::string keys;             // stored forms end to end
  std::vector<uint64_t> end;    // where each key ends in keys
  std::vector<uint64_t> hash;   // each key's hash
  size_t size() const { return end.size(); }
  std::string_view key(size_t i) const {
    const uint64_t begin = i ? end[i - 1] : 0;
    return std::string_view(keys).substr(begin, end[i] - begin);
  }
};

// Exact: ids are compared byte for byte, never by hash alone. Each id is
// stored once in one buffer; a police.uk Crime ID (64 lowercase hex digits)
// in 33 bytes. About 55 bytes an id in all.
class IdSet {
 public:
  // Adds id; true when it was not there yet.
  bool insert(std::string_view id);
  // insert() on each id in order; fresh[i] (resized to ids.size()) says
  // whether ids[i] was new. The same answers as one insert() at a time,
  // faster: the slot of an id a few places ahead is fetched from memory
  // while this one is looked up (the probes are cache misses).
  void insert_all(const std::vector<std::string_view>& ids, std::vector<char>& fresh);
  // insert_all on ids encoded beforehand by encode_all (thread-safe: touches no set).
  static EncodedIds encode_all(const std::vector<std::string_view>& ids);
  void insert_encoded(const EncodedIds& ids, std::vector<char>& fresh);
  bool contains(std::string_view id) const;
  size_t size() const { return count_; }
  // Room for `ids` more ids of about `bytes` stored bytes in all, so that
  // reading a national year does not grow (rehash, copy) the set 13 times.
  void reserve(size_t ids, size_t bytes);

 private:
  // Appends the stored form of id to key (see id_set.cpp).
  static void encode(std::string_view id, std::string& key);
  // The stored key at offset `at` of bytes_.
  std::string_view stored(uint64_t at) const;
  // The slot holding key, or the empty slot where it would go.
  size_t find_slot(std::string_view key, uint64_t hash) const;
  void grow();
  // Grows until n ids in all fit without growing.
  void reserve_slots(size_t n);
  // Puts an absent key with its hash into the empty slot s.
  void add(size_t s, std::string_view key, uint64_t hash);

  std::string bytes_;            // keys end to end
  std::vector<uint64_t> slots_;  // open addressing: offset + 1 into bytes_, 0 = empty
  size_t count_ = 0;
  mutable std::string key_;      // scratch for encode()
};

}  // namespace hotspot::io

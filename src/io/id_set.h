// The set of non-blank incident ids seen so far in a run, for duplicate-id
// rejects (issue 13: a std::unordered_set<std::string> cost ~130 bytes and
// two allocations per id, 11% of a national run).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotspot::io {

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
  bool contains(std::string_view id) const;
  size_t size() const { return count_; }
  // Room for `ids` more ids of about `bytes` stored bytes in all, so that
  // reading a national year does not grow (rehash, copy) the set 13 times.
  void reserve(size_t ids, size_t bytes);

 private:
  // The stored form of id in key_ (see id_set.cpp).
  void encode(std::string_view id, std::string& key) const;
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

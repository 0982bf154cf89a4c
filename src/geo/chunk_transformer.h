// ChunkTransformer: points transformed chunk by chunk beside the code that
// produces them.
//
// The area reader gets its polygons from OGR on one core; their points were
// then transformed (PROJ, on every core) only after the last feature, so
// the other core idled through the reading. Chunks queued as they are read
// are transformed by worker threads meanwhile; whatever is still queued
// when the reading ends is transformed by the reader's thread and the
// workers together. Each chunk goes through transform_points, whose result
// for a point depends on that point alone, so the coordinates are those of
// one call over all the points, on any number of threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hotspot::geo {

class ChunkTransformer {
 public:
  struct Chunk {
    std::vector<double> x, y;  // in `from` when added; in `to` after finish()
  };

  // `threads` (>= 1): the calling thread plus threads - 1 workers, started
  // here. from/to: CRS definitions as for transform_points.
  ChunkTransformer(std::string from, std::string to, int threads);
  // Stops the workers (untransformed chunks are dropped): for a reader that
  // failed before finish().
  ~ChunkTransformer();
  ChunkTransformer(const ChunkTransformer&) = delete;
  ChunkTransformer& operator=(const ChunkTransformer&) = delete;

  // Queues a chunk (moved in) for a worker.
  void add(std::vector<double> x, std::vector<double> y);
  // Transforms what is still queued on this thread and the workers, joins
  // them, and returns the chunks in the order added (untransformable points
  // are NaN, as transform_points gives them). Rethrows a worker's error.
  std::deque<Chunk>& finish();

 private:
  void work();  // takes queued chunks until there are none and no more come
  void stop_workers();

  const std::string from_, to_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Chunk> chunks_;  // references stay valid as chunks are added
  size_t next_ = 0;           // the first chunk no thread has taken
  bool closed_ = false;       // no more chunks will be added
  bool cancelled_ = false;    // the destructor: leave the rest
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

}  // namespace hotspot::geo

#include "geo/chunk_transformer.h"

#include <utility>

#include "geo/crs.h"

namespace hotspot::geo {

ChunkTransformer::ChunkTransformer(std::string from, std::string to, int threads)
    : from_(std::move(from)), to_(std::move(to)) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

ChunkTransformer::~ChunkTransformer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
  }
  stop_workers();
}

void ChunkTransformer::add(std::vector<double> x, std::vector<double> y) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    chunks_.push_back({std::move(x), std::move(y)});
  }
  queued_.notify_one();
}

void ChunkTransformer::work() {
  TransformPtr transform;  // this thread's own (they are not thread-safe), made once
  for (;;) {
    Chunk* chunk = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_.wait(lock, [&] { return cancelled_ || closed_ || next_ < chunks_.size(); });
      if (cancelled_ || error_ || next_ == chunks_.size()) return;  // (closed, nothing left)
      chunk = &chunks_[next_++];
    }
    try {
      if (!transform) transform = make_transform(from_, to_);
      transform_points(*transform, chunk->x, chunk->y);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      return;
    }
  }
}

void ChunkTransformer::stop_workers() {
  queued_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
}

std::deque<ChunkTransformer::Chunk>& ChunkTransformer::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  queued_.notify_all();
  work();  // this thread helps with what is left
  stop_workers();
  if (error_) std::rethrow_exception(error_);
  return chunks_;
}

}  // namespace hotspot::geo

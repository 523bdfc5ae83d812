#pragma once

#include "pipeline/record.h"

namespace wirefeed {

// Makes input positions durable. The at-least-once implementation stores offsets in the consumer
// and lets it commit; an exactly-once one would hand them to the producer's transaction instead.
class offset_committer {
 public:
  virtual ~offset_committer() = default;
  // Everything of `tp` before `next` has been processed and its outputs delivered. Called from the
  // engine's strand, with `next` increasing per partition.
  virtual void store(const topic_partition& tp, offset next) = 0;
  // Commits what has been stored, synchronously. Called from the poll thread.
  virtual bool commit() = 0;
};

// For drivers without positions to keep (files, stdin) or that must not commit (replay).
class no_commit final : public offset_committer {
 public:
  void store(const topic_partition&, offset) override {}
  bool commit() override { return true; }
};

}  // namespace wirefeed

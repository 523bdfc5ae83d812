#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/record.h"

namespace wirefeed {

// Makes input positions durable, at least once: the implementation stores offsets in the consumer
// and lets it commit. (Exactly once: `transaction` below.)
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

// Exactly once: what was sent since the last commit and the input positions it came from become
// visible together, as one Kafka transaction. The engine calls commit on its strand, the only
// thread that sends, at a moment when everything sent is the whole output of the records before
// `next` (and nothing of a record after it).
class transaction {
 public:
  struct failure {
    std::string why;
    // The consumer group rebalanced while the transaction committed (a member joined or left) and
    // the transaction was aborted: nothing is lost, and a run started afresh from the committed
    // state and positions carries on at once (run_summary::rebalanced).
    bool rebalanced = false;
  };
  virtual ~transaction() = default;
  // Commits the open transaction with the consumer positions `next` and opens the next one.
  // Blocks until the broker has it. A failure is fatal: the engine stops, and the records of the
  // transaction are consumed again by the next run.
  virtual std::optional<failure> commit(const std::vector<std::pair<topic_partition, offset>>& next) = 0;
};

}  // namespace wirefeed

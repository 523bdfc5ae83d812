#pragma once

#include <chrono>

#include "daemon/kafka_client.h"
#include "pipeline/offset_committer.h"

namespace wirefeed::kafka {

// At-least-once positions: store() hands the position to the consumer (enable.auto.offset.store is
// off, so only delivered work is ever stored); the consumer's auto-commit sends stored positions
// every auto.commit.interval.ms, and commit() sends them and waits for the answer (shutdown,
// revocation), at most `timeout`: with the group coordinator unreachable a synchronous commit
// waits until it is back, and so would a stop. Positions not committed stay stored for the
// auto-commit, and a restart re-processes what they covered. Commits are counted where every
// commit is reported, the consumer's offset_commit_cb (kafka_source).
// Exactly once, the positions go with the producer's transactions instead (kafka_transaction.h).
class kafka_committer final : public offset_committer {
 public:
  kafka_committer(rd_kafka_t* consumer, std::chrono::milliseconds timeout) : rk_(consumer), timeout_(timeout) {}
  void store(const topic_partition& tp, offset next) override;
  bool commit() override;

 private:
  rd_kafka_t* rk_;  // not owned: the kafka_source's consumer, which outlives this
  std::chrono::milliseconds timeout_;
};

}  // namespace wirefeed::kafka

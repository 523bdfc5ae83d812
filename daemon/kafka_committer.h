#pragma once

#include "daemon/kafka_client.h"
#include "pipeline/offset_committer.h"


namespace wirefeed::kafka {

// At-least-once positions: store() hands the position to the consumer (enable.auto.offset.store is
// off, so only delivered work is ever stored); the consumer's auto-commit sends stored positions
// every auto.commit.interval.ms, and commit() sends them synchronously (shutdown, revocation).
// Exactly once, the positions go with the producer's transactions instead (kafka_transaction.h).
class kafka_committer final : public offset_committer {
 public:
  explicit kafka_committer(rd_kafka_t* consumer) : rk_(consumer) {}
  void store(const topic_partition& tp, offset next) override;
  bool commit() override;

 private:
  rd_kafka_t* rk_;  // not owned: the kafka_source's consumer, which outlives this
};

}  // namespace wirefeed::kafka

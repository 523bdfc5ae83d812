#pragma once

#include <string>

#include "daemon/kafka_client.h"
#include "pipeline/offset_committer.h"

namespace wirefeed::kafka {

// Exactly-once commits on a transactional kafka_sink's producer: the input positions go into the
// open transaction with the consumer's group metadata (so a member the group has moved past is
// fenced, KIP-447), the transaction commits, and the next one opens. A retriable failure is tried
// again up to three times; any other aborts the transaction (when it can still be aborted) and is
// returned, `rebalanced` when the group's generation moved on while the member still holds its
// partitions (ILLEGAL_GENERATION or REBALANCE_IN_PROGRESS, the assignment not lost).
class kafka_transaction final : public transaction {
 public:
  kafka_transaction(rd_kafka_t* producer, rd_kafka_t* consumer, std::string transactional_id)
      : producer_(producer), consumer_(consumer), id_(std::move(transactional_id)) {}
  std::optional<failure> commit(const std::vector<std::pair<topic_partition, offset>>& next) override;

 private:
  failure failed(const char* what, rd_kafka_error_t* e);

  rd_kafka_t* producer_;  // not owned: the kafka_sink's, which outlives this
  rd_kafka_t* consumer_;  // not owned: the kafka_source's, same
  std::string id_;
};

}  // namespace wirefeed::kafka

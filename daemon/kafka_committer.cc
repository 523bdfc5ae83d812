#include "daemon/kafka_committer.h"

#include <spdlog/spdlog.h>

namespace wirefeed::kafka {

void kafka_committer::store(const topic_partition& tp, offset next) {
  auto list = make_partition_list({tp});
  list->elems[0].offset = next.value;
  if (auto err = rd_kafka_offsets_store(rk_, list.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // The partition was revoked in the meantime: its next owner starts from the last commit.
    spdlog::debug("offset store {}/{}@{}: {}", tp.topic, tp.partition.value, next.value, rd_kafka_err2str(err));
  }
}

bool kafka_committer::commit() {
  // A failure is logged and counted by the consumer's commit callback (kafka_source).
  const auto err = rd_kafka_commit(rk_, nullptr, /*async=*/0);
  return err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET;
}

}  // namespace wirefeed::kafka

#include "daemon/kafka_committer.h"

#include <spdlog/spdlog.h>

#include <chrono>

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
  // The answer comes as an event on a queue of our own, waited for at most timeout_
  // (rd_kafka_commit would wait for as long as the coordinator is away).
  const queue_ptr answers(rd_kafka_queue_new(rk_));
  auto err = rd_kafka_commit_queue(rk_, nullptr, answers.get(), nullptr, nullptr);
  bool answered = err != RD_KAFKA_RESP_ERR_NO_ERROR;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (!answered && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_event_t* event = rd_kafka_queue_poll(answers.get(), 100);
    if (!event) continue;
    if (rd_kafka_event_type(event) == RD_KAFKA_EVENT_OFFSET_COMMIT) {
      err = rd_kafka_event_error(event);
      answered = true;
    }
    rd_kafka_event_destroy(event);
  }
  // Counted by the consumer's offset_commit_cb, which librdkafka calls for this commit too, also
  // when its answer comes after the wait below.
  if (!answered) {
    spdlog::warn("kafka consumer: offset commit not answered within {} ms (group coordinator unreachable?); the "
                 "positions stay stored, and what they cover is consumed again if they are never committed",
                 timeout_.count());
    return false;
  }
  if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return true;  // nothing new to commit
  return err == RD_KAFKA_RESP_ERR_NO_ERROR;  // a failure is logged by the offset_commit_cb
}

}  // namespace wirefeed::kafka

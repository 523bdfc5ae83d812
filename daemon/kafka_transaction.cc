#include "daemon/kafka_transaction.h"

#include <spdlog/spdlog.h>

namespace wirefeed::kafka {
namespace {

constexpr int k_timeout_ms = 60000;
constexpr int k_attempts = 3;

// Runs a transactional call until it succeeds, fails for good or runs out of attempts.
template <class Call>
error_ptr retrying(Call call) {
  for (int attempt = 1;; ++attempt) {
    error_ptr e{call()};
    if (!e || !rd_kafka_error_is_retriable(e.get()) || attempt == k_attempts) return e;
    spdlog::warn("kafka transaction: {} (attempt {} of {}); trying again", rd_kafka_error_string(e.get()), attempt,
                 k_attempts);
  }
}

}  // namespace

std::optional<transaction::failure> kafka_transaction::commit(const std::vector<std::pair<topic_partition, offset>>& next) {
  if (!next.empty()) {
    std::vector<topic_partition> tps;
    for (const auto& [tp, off] : next) tps.push_back(tp);
    auto list = make_partition_list(tps);
    for (std::size_t i = 0; i < next.size(); ++i) list->elems[i].offset = next[i].second.value;
    rd_kafka_consumer_group_metadata_t* group = rd_kafka_consumer_group_metadata(consumer_);
    error_ptr e = retrying([&] { return rd_kafka_send_offsets_to_transaction(producer_, list.get(), group, k_timeout_ms); });
    rd_kafka_consumer_group_metadata_destroy(group);
    if (e) return failed("adding the input positions to the transaction", e.get());
  }
  if (error_ptr e = retrying([&] { return rd_kafka_commit_transaction(producer_, k_timeout_ms); })) {
    return failed("committing", e.get());
  }
  if (error_ptr e{rd_kafka_begin_transaction(producer_)}) return failed("beginning the next transaction", e.get());
  return std::nullopt;
}

transaction::failure kafka_transaction::failed(const char* what, rd_kafka_error_t* e) {
  std::string why = std::string(what) + ": " + rd_kafka_error_string(e);
  if (const auto hint = fenced_producer_hint(rd_kafka_error_code(e), id_); !hint.empty()) {
    why += hint;
    return {why};
  }
  if (rd_kafka_error_txn_requires_abort(e)) {
    // Nothing of it becomes visible; the next run consumes its input again.
    if (error_ptr aborted{rd_kafka_abort_transaction(producer_, k_timeout_ms)}) {
      why += "; aborting it failed too: " + std::string(rd_kafka_error_string(aborted.get()));
      // A newcomer's fencing can first reach a commit as an unknown broker error, and only the
      // abort then says what happened: the hint goes with it.
      rd_kafka_resp_err_t code = rd_kafka_error_code(aborted.get());
      if (code == RD_KAFKA_RESP_ERR__FATAL) {
        char reason[256];
        code = rd_kafka_fatal_error(producer_, reason, sizeof reason);
      }
      why += fenced_producer_hint(code, id_);
    } else {
      why += "; the transaction was aborted";
    }
  }
  // ILLEGAL_GENERATION with the assignment still ours: the group rebalanced (a member joined or
  // left) between reading the group's generation and the broker taking the positions. librdkafka
  // makes that abortable: the outputs are gone, and a run started afresh consumes them again.
  const rd_kafka_resp_err_t code = rd_kafka_error_code(e);
  if ((code == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION || code == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS) &&
      !rd_kafka_assignment_lost(consumer_)) {
    return {why + " (the consumer group rebalanced while the transaction committed: a member joined or left)", true};
  }
  return {why + lost_member_hint(code)};
}

}  // namespace wirefeed::kafka

#include "metrics/prometheus_probe.h"

#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace wirefeed {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PrometheusProbeTest : public ::testing::Test {
 protected:
  std::string scrape() const {
    return prometheus::TextSerializer().Serialize(probe_.registry()->Collect());
  }

  prometheus_probe probe_{{"wire.raw", "wire.enriched"}, "1.2.3"};
};

TEST_F(PrometheusProbeTest, ConfiguredTopicSeriesExistAtZeroBeforeTraffic) {
  const auto text = scrape();
  for (const std::string topic : {"wire.raw", "wire.enriched"}) {
    const auto labels = "{topic=\"" + topic + "\"} 0\n";
    EXPECT_THAT(text, HasSubstr("wirefeed_messages_consumed_total" + labels));
    EXPECT_THAT(text, HasSubstr("wirefeed_bytes_consumed_total" + labels));
    EXPECT_THAT(text, HasSubstr("wirefeed_messages_produced_total" + labels));
    EXPECT_THAT(text, HasSubstr("wirefeed_produce_errors_total" + labels));
  }
}

TEST_F(PrometheusProbeTest, ConsumedMessagesAndBytesAreCountedPerTopic) {
  probe_.on_consumed("wire.raw", 100);
  probe_.on_consumed("wire.raw", 23);

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_messages_consumed_total{topic=\"wire.raw\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_bytes_consumed_total{topic=\"wire.raw\"} 123\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_messages_consumed_total{topic=\"wire.enriched\"} 0\n"));
}

TEST_F(PrometheusProbeTest, ProducedMessagesAndProduceErrorsAreCountedPerTopic) {
  probe_.on_produced("wire.enriched");
  probe_.on_produced("wire.enriched");
  probe_.on_produce_error("wire.enriched");

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_messages_produced_total{topic=\"wire.enriched\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_produce_errors_total{topic=\"wire.enriched\"} 1\n"));
}

TEST_F(PrometheusProbeTest, UnconfiguredTopicGetsItsSeriesOnFirstUse) {
  EXPECT_THAT(scrape(), Not(HasSubstr("wire.dlq")));

  probe_.on_produced("wire.dlq");

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_messages_produced_total{topic=\"wire.dlq\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_produce_errors_total{topic=\"wire.dlq\"} 0\n"));
}

TEST_F(PrometheusProbeTest, DeadLetterReasonIsCreatedOnFirstUse) {
  EXPECT_THAT(scrape(), Not(HasSubstr("wirefeed_dead_letters_total{")));

  probe_.on_dead_letter("invalid_json");
  probe_.on_dead_letter("invalid_json");
  probe_.on_dead_letter("oversized");

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_dead_letters_total{reason=\"invalid_json\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_dead_letters_total{reason=\"oversized\"} 1\n"));
}

TEST_F(PrometheusProbeTest, EveryStageHasAnEmptyHistogramBeforeTraffic) {
  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("# TYPE wirefeed_stage_duration_seconds histogram\n"));
  for (stage_id s : all_stages) {
    EXPECT_THAT(text, HasSubstr("wirefeed_stage_duration_seconds_count{stage=\"" +
                                std::string(to_string(s)) + "\"} 0\n"));
  }
}

TEST_F(PrometheusProbeTest, StageDurationsAreObservedInTheirStageOnly) {
  probe_.on_stage_done(stage_id::extract, 0.002);
  probe_.on_stage_done(stage_id::extract, 0.3);

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_stage_duration_seconds_count{stage=\"extract\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_stage_duration_seconds_bucket{stage=\"extract\","
                              "le=\"0.0025\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_stage_duration_seconds_bucket{stage=\"extract\","
                              "le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_stage_duration_seconds_count{stage=\"decode\"} 0\n"));
}

TEST_F(PrometheusProbeTest, EndToEndLatencyIsObserved) {
  probe_.on_end_to_end(0.75);

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("# TYPE wirefeed_end_to_end_latency_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_end_to_end_latency_seconds_count 1\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_end_to_end_latency_seconds_bucket{le=\"0.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_end_to_end_latency_seconds_bucket{le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_end_to_end_latency_seconds_bucket{le=\"60\"} 1\n"));
}

TEST_F(PrometheusProbeTest, InFlightGaugesHoldTheLastValueSet) {
  probe_.set_in_flight(10, 4096);
  probe_.set_in_flight(3, 512);

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_in_flight_messages 3\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_in_flight_bytes 512\n"));
}

TEST_F(PrometheusProbeTest, RebalancesAreCountedByKind) {
  probe_.on_rebalance(rebalance_kind::assigned);
  probe_.on_rebalance(rebalance_kind::assigned);
  probe_.on_rebalance(rebalance_kind::lost);

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_rebalances_total{kind=\"assigned\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_rebalances_total{kind=\"revoked\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_rebalances_total{kind=\"lost\"} 1\n"));
}

TEST_F(PrometheusProbeTest, CommitFailuresShowAsResultFailed) {
  probe_.on_commit(true);
  probe_.on_commit(true);
  probe_.on_commit(false);

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_commits_total{result=\"ok\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_commits_total{result=\"failed\"} 1\n"));
}

TEST_F(PrometheusProbeTest, TransactionCommitsAreTimed) {
  EXPECT_THAT(scrape(), HasSubstr("wirefeed_transaction_commit_seconds_count 0\n"));  // there from the start
  probe_.on_transaction_commit(0.004);
  probe_.on_transaction_commit(0.2);
  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_transaction_commit_seconds_count 2\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_transaction_commit_seconds_bucket{le=\"0.005\"} 1\n"));
}

TEST_F(PrometheusProbeTest, RunsStartedAfreshAreCounted) {
  EXPECT_THAT(scrape(), HasSubstr("wirefeed_run_restarts_total 0\n"));  // there from the start
  probe_.on_run_restart();
  EXPECT_THAT(scrape(), HasSubstr("wirefeed_run_restarts_total 1\n"));
}

TEST_F(PrometheusProbeTest, ConsumerLagIsAGaugePerTopicPartition) {
  probe_.set_consumer_lag("wire.raw", 0, 40);
  probe_.set_consumer_lag("wire.raw", 1, 7);
  probe_.set_consumer_lag("wire.raw", 0, 12);

  const auto text = scrape();
  EXPECT_THAT(text,
              HasSubstr("wirefeed_consumer_lag_messages{partition=\"0\",topic=\"wire.raw\"} 12\n"));
  EXPECT_THAT(text,
              HasSubstr("wirefeed_consumer_lag_messages{partition=\"1\",topic=\"wire.raw\"} 7\n"));

  // A partition given up leaves no series behind (it stayed at its last value, and a sum over the
  // group counted it twice).
  probe_.clear_consumer_lag("wire.raw", 0);
  probe_.clear_consumer_lag("wire.raw", 5);  // never set: nothing to do
  const auto after = scrape();
  EXPECT_THAT(after, Not(HasSubstr("wirefeed_consumer_lag_messages{partition=\"0\"")));
  EXPECT_THAT(after, HasSubstr("wirefeed_consumer_lag_messages{partition=\"1\",topic=\"wire.raw\"} 7\n"));
  probe_.set_consumer_lag("wire.raw", 0, 3);  // assigned back
  EXPECT_THAT(scrape(), HasSubstr("wirefeed_consumer_lag_messages{partition=\"0\",topic=\"wire.raw\"} 3\n"));
}

TEST_F(PrometheusProbeTest, PausedPartitionsAreCounted) {
  probe_.on_partitions_paused(3);
  probe_.on_partitions_paused(1);

  EXPECT_THAT(scrape(), HasSubstr("wirefeed_partitions_paused_total 4\n"));
}

TEST_F(PrometheusProbeTest, StoryEventsAreCountedByEventAndEveryEventIsThereAtZero) {
  probe_.on_story_events(story_event::new_story, 1);
  probe_.on_story_events(story_event::joined, 3);
  probe_.on_story_events(story_event::joined, 2);

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_story_events_total{event=\"new_story\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_story_events_total{event=\"joined\"} 5\n"));
  for (const std::string event : {"copy", "redelivered", "updated", "merged", "expired", "evicted"}) {
    EXPECT_THAT(text, HasSubstr("wirefeed_story_events_total{event=\"" + event + "\"} 0\n"));
  }
}

TEST_F(PrometheusProbeTest, BuildInfoIsOneWithTheVersionLabel) {
  EXPECT_THAT(scrape(), HasSubstr("wirefeed_build_info{version=\"1.2.3\"} 1\n"));
}

TEST_F(PrometheusProbeTest, OtherPartsCanRegisterFamiliesInTheRegistry) {
  prometheus::BuildCounter()
      .Name("wirefeed_restores_total")
      .Help("test")
      .Register(*probe_.registry())
      .Add({})
      .Increment();

  EXPECT_THAT(scrape(), HasSubstr("wirefeed_restores_total 1\n"));
}

TEST_F(PrometheusProbeTest, ConcurrentCallsFromManyThreadsAreAllCounted) {
  constexpr int threads = 4;
  constexpr int calls = 2000;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([this, t] {
      const std::string reason = "reason_" + std::to_string(t % 2);
      for (int i = 0; i < calls; ++i) {
        probe_.on_consumed("wire.raw", 1);
        probe_.on_dead_letter(reason);
        probe_.set_consumer_lag("wire.raw", t % 2, i);
      }
    });
  }
  for (auto& w : workers) w.join();

  const auto text = scrape();
  EXPECT_THAT(text, HasSubstr("wirefeed_messages_consumed_total{topic=\"wire.raw\"} 8000\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_dead_letters_total{reason=\"reason_0\"} 4000\n"));
  EXPECT_THAT(text, HasSubstr("wirefeed_dead_letters_total{reason=\"reason_1\"} 4000\n"));
}

}  // namespace
}  // namespace wirefeed

#include "daemon/kafka_properties.h"

#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <random>

#include "daemon/kafka_client.h"

namespace wirefeed::kafka {

std::map<std::string, std::string> consumer_properties(const cfg::config& c) {
  std::map<std::string, std::string> p{
      {"bootstrap.servers", c.kafka.bootstrap_servers},
      {"group.id", c.kafka.group_id},
      {"client.id", c.kafka.client_id},
      {"partition.assignment.strategy", "cooperative-sticky"},
      // At least once: commits what has been stored, and only delivered work is stored. Exactly
      // once: positions are committed by the producer's transactions, never by the consumer.
      {"enable.auto.commit", c.pipeline.guarantee == cfg::processing_guarantee::exactly_once ? "false" : "true"},
      {"enable.auto.offset.store", "false"},
      // librdkafka's default, stated: records of aborted transactions (a crashed exactly-once
      // writer's, the changelog included) are never read, nor those of open ones.
      {"isolation.level", "read_committed"},
      {"auto.offset.reset", "earliest"},
      {"statistics.interval.ms", "5000"},     // consumer lag per partition
      {"enable.partition.eof", "true"},       // caught-up partitions do not hold the ordered merge back
      // ...and a partition's end is known within 100 ms, not the default 500 ms the broker holds an
      // empty fetch: the last records before a quiet spell wait for it in the merge.
      {"fetch.wait.max.ms", "100"},
      {"fetch.message.max.bytes", std::to_string(std::max<std::int64_t>(c.pipeline.max_message_bytes + 4096, 1 << 20))},
  };
  for (const auto& [k, v] : c.kafka.consumer) p[k] = v;
  return p;
}

std::map<std::string, std::string> live_consumer_properties(const cfg::config& c) {
  auto p = consumer_properties(c);
  if (c.pipeline.role != cfg::pipeline_role::extract) {
    p.try_emplace("group.instance.id", c.kafka.group_id + ".story-owner");
    // A session of 5 minutes, not librdkafka's 45 s: one owner has nobody to hand its partitions
    // to, and a restart takes them back at once whatever the session. A session that times out in
    // a broker hang has the consumer rejoin as its own static member, and a commit of the old
    // session can then come back fenced, fatal to librdkafka (docs/operations.md, "Broker
    // restarts and outages").
    p.try_emplace("session.timeout.ms", "300000");
  }
  return p;
}

std::map<std::string, std::string> producer_properties(const cfg::config& c) {
  std::map<std::string, std::string> p{
      {"bootstrap.servers", c.kafka.bootstrap_servers},
      {"client.id", c.kafka.client_id},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      // One produce request in flight per broker, not librdkafka's 5. With more, a new producer's
      // first batch to a partition that the broker refuses as "not leader" (a leader moving, a
      // topic just created) is lost while the next batch, in flight beside it, is accepted: the
      // broker takes any first sequence number from a producer it does not know yet, and
      // librdkafka 2.0.2 (later 2.x too, as far as known: confluent-kafka-go #921) reports the
      // refused batch delivered, "implicitly acked" by the later one. Each request carries a batch
      // for every partition of that broker: on one local broker the rate held (docs/operations.md,
      // "Delivery guarantee").
      {"max.in.flight.requests.per.connection", "1"},
      {"linger.ms", "5"},
      {"compression.type", "lz4"},
      {"statistics.interval.ms", "5000"},  // broker state, for /readyz
  };
  if (c.pipeline.guarantee == cfg::processing_guarantee::exactly_once) {
    p["transactional.id"] = transactional_id(c);  // message.timeout.ms: at most transaction.timeout.ms
  } else {
    // Rides out a broker outage of up to 15 minutes, retrying in order, before an undelivered
    // output stops the daemon (librdkafka's default is 5).
    p["message.timeout.ms"] = "900000";
  }
  for (const auto& [k, v] : c.kafka.producer) p[k] = v;
  return p;
}

std::string transactional_id(const cfg::config& c) {
  // The story owner is one instance per group whatever its host: a stable id, so that a restart
  // (or a replacement) fences the one before and aborts its open transaction at once.
  if (c.pipeline.role != cfg::pipeline_role::extract) return c.kafka.group_id + ".story-owner";
  // Extract instances are many: one id each. A restart gets a new one, so a crashed instance's
  // open transaction holds its partitions of topics.extracted back from read-committed readers
  // until it times out (transaction.timeout.ms); a stable id per instance, set as
  // kafka.producer.transactional.id, avoids that. Host and pid name it for the operator; the
  // random part keeps two apart that share both (containers of one host name, each its pid 1),
  // which would otherwise fence each other in turn.
  static const std::string random_part = [] {
    std::random_device device;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%08x%08x", device(), device());
    return std::string(hex);
  }();
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return c.kafka.group_id + ".extract." + host.data() + "." + std::to_string(getpid()) + "." + random_part;
}

std::map<output_kind, std::string> output_topics(const cfg::config& c) {
  if (c.pipeline.role == cfg::pipeline_role::extract) {
    return {{output_kind::extracted, c.topics.extracted}, {output_kind::dead_letter, c.topics.dead_letter}};
  }
  return {{output_kind::enriched, c.topics.enriched},
          {output_kind::stories, c.topics.stories},
          {output_kind::dead_letter, c.topics.dead_letter},
          {output_kind::changelog, c.topics.changelog}};
}

bool is_secret_property(std::string_view name) {
  return name.find("password") != std::string_view::npos || name.find("secret") != std::string_view::npos ||
         name == "ssl.key.pem" || name == "sasl.oauthbearer.config";
}

namespace {

// librdkafka's complaint, with the value of each property it names ('linger.ms', `session.timeout.ms`)
// and whether the user gave it or wirefeed set it: "`max.poll.interval.ms` must be >=
// `session.timeout.ms`" about a property never written says little.
std::string with_values(const std::string& error, const std::string& map_name, const std::map<std::string, std::string>& given,
                        const std::map<std::string, std::string>& effective) {
  std::string notes;
  for (const auto& [k, v] : effective) {
    if (error.find("'" + k + "'") == std::string::npos && error.find("`" + k + "`") == std::string::npos) continue;
    notes += notes.empty() ? " (" : "; ";
    const std::string shown = is_secret_property(k) ? "********" : v;  // into logs and terminals
    notes += given.contains(k) ? map_name + "." + k + " is '" + shown + "'"
                               : k + " is '" + shown + "', wirefeed's setting: " + map_name + "." + k + " overrides it";
  }
  return map_name + ": " + error + (notes.empty() ? "" : notes + ")");
}

}  // namespace

std::vector<std::string> client_config_errors(const cfg::config& c, bool replay) {
  std::vector<std::string> out;
  const auto consumer = replay ? consumer_properties(c) : live_consumer_properties(c);
  for (const auto& e : client_config_errors(RD_KAFKA_CONSUMER, consumer)) {
    out.push_back(with_values(e, "kafka.consumer", c.kafka.consumer, consumer));
  }
  const auto producer = producer_properties(c);
  for (const auto& e : client_config_errors(RD_KAFKA_PRODUCER, producer)) {
    out.push_back(with_values(e, "kafka.producer", c.kafka.producer, producer));
  }
  // A rebalance's drain must end before the group gives up on the consumer (librdkafka's default
  // max.poll.interval.ms: 300000), or it evicts this instance while it waits.
  std::int64_t max_poll = 300000;
  if (const auto it = consumer.find("max.poll.interval.ms"); it != consumer.end()) {
    std::from_chars(it->second.data(), it->second.data() + it->second.size(), max_poll);
  }
  if (!replay && c.shutdown.revoke_drain_timeout.count() >= max_poll) {
    out.push_back("shutdown.revoke_drain_timeout_ms (" + std::to_string(c.shutdown.revoke_drain_timeout.count()) +
                  ") must be below kafka.consumer.max.poll.interval.ms (" + std::to_string(max_poll) +
                  "), or the group evicts this instance while it drains a revoked partition");
  }
  return out;
}

}  // namespace wirefeed::kafka

#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "pipeline/record.h"

namespace wirefeed::kafka {

// librdkafka properties: wirefeed's defaults first, then `kafka.consumer.*` / `kafka.producer.*`
// from the config, which win.
std::map<std::string, std::string> consumer_properties(const cfg::config& c);
std::map<std::string, std::string> producer_properties(const cfg::config& c);
// Exactly once: the producer's transactional.id, unless kafka.producer.transactional.id sets it.
// "<kafka.group_id>.story-owner" for roles all and cluster (the static member's id), one per
// process for extract instances.
std::string transactional_id(const cfg::config& c);
// `wirefeed run`'s consumer. The roles that own the story state (all, cluster) join the group as a
// static member (KIP-345), group.instance.id "<kafka.group_id>.story-owner": a restart after a
// crash gets its partitions back at once instead of after the dead member's session timeout, and
// a second story owner in the group fences the first, which stops, instead of splitting the
// partitions (and the stories) between them. `kafka.consumer.group.instance.id` overrides the id.
std::map<std::string, std::string> live_consumer_properties(const cfg::config& c);
// Where each kind of output goes for the configured pipeline.role (the extract role writes only
// the hand-off topic and dead letters).
std::map<output_kind, std::string> output_topics(const cfg::config& c);

// Whether a librdkafka property holds a secret (sasl.password, ssl.key.password,
// sasl.oauthbearer.client.secret, a private key in ssl.key.pem, sasl.oauthbearer.config): its
// value is never printed.
bool is_secret_property(std::string_view name);

// What librdkafka refuses of `run`'s consumer and producer properties (client_config_errors), each
// prefixed "kafka.consumer: " or "kafka.producer: " and followed by the values of the properties
// it names (the user's, or wirefeed's setting); with `replay`, of the replay's consumer (no story
// owner's session). And, for `run`, a shutdown.revoke_drain_timeout_ms not below the consumer's
// max.poll.interval.ms. `check-config` reports them; `run` and `replay` refuse to start on them
// (exit 2), before any client connects.
std::vector<std::string> client_config_errors(const cfg::config& c, bool replay = false);

}  // namespace wirefeed::kafka

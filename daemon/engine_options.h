#pragma once

#include "config/config.h"
#include "pipeline/engine.h"

namespace wirefeed {

// The engine settings of the config, for a live (unbounded) or a bounded input.
inline engine_options engine_options_from(const cfg::config& c, bool bounded) {
  engine_options o;
  o.threads = static_cast<std::size_t>(c.pipeline.threads);
  o.max_in_flight_messages = c.pipeline.max_in_flight_messages;
  o.max_in_flight_bytes = c.pipeline.max_in_flight_bytes;
  o.drain_timeout = c.shutdown.drain_timeout;
  o.revoke_drain_timeout = c.shutdown.revoke_drain_timeout;
  o.bounded = bounded;
  o.transaction_interval = c.pipeline.transaction_interval;
  return o;
}

}  // namespace wirefeed

#pragma once

#include <map>
#include <string>

#include "config/config.h"
#include "pipeline/record.h"

namespace wirefeed::kafka {

// librdkafka properties: wirefeed's defaults first, then `kafka.consumer.*` / `kafka.producer.*`
// from the config, which win.
std::map<std::string, std::string> consumer_properties(const cfg::config& c);
std::map<std::string, std::string> producer_properties(const cfg::config& c);
// Where each kind of output goes for the configured pipeline.role (the extract role writes only
// the hand-off topic and dead letters).
std::map<output_kind, std::string> output_topics(const cfg::config& c);

}  // namespace wirefeed::kafka

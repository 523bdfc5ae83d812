#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "pipeline/chain.h"

namespace wirefeed {

// Finds a file shipped with wirefeed (e.g. "models/ner-en.bin"): `name` as given (absolute, or
// relative to the working directory), then <prefix>/share/wirefeed/<name> next to the installed
// binary, then the source tree the binary was built from. Returns `name` unchanged if none exists,
// so the caller's error names what was asked for.
std::string find_data_file(const std::string& name);
// The places find_data_file looks at for `name`, as absolute paths, comma-separated: for the
// error when none holds it.
std::string data_file_places(const std::string& name);

// `config` with its shipped-file paths (extract.ner_model) resolved by find_data_file: what the
// commands hand to the chain.
cfg::config with_data_files(cfg::config config);

// The chain of `config` (with_data_files), or a usage_error when a data file it names cannot be
// used (a missing or damaged NER model, a lexicon that does not parse): a configuration error,
// which a restart would not mend. A model found nowhere is named with the places looked at.
std::unique_ptr<chain> make_chain(const cfg::config& config, probe& p);

}  // namespace wirefeed

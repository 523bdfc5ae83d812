// `wirefeed process`: the same chain over files or stdin, no Kafka. Enriched articles to stdout in
// input order, dead letters to --dlq (default stderr), story updates to --stories.

#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>

#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "daemon/engine_options.h"
#include "daemon/file_source.h"
#include "daemon/startup_error.h"
#include "daemon/stream_sink.h"
#include "daemon/tally_probe.h"
#include "pipeline/chain.h"
#include "pipeline/engine.h"

namespace wirefeed::commands {
namespace {

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

file_ptr open_output(const std::string& path) {
  file_ptr f(std::fopen(path.c_str(), "wb"));
  if (!f) throw startup_error("cannot write " + path);
  return f;
}

}  // namespace

int process(const cfg::config& config, const std::vector<std::string>& paths, const std::string& stories_path,
            const std::string& dlq_path) {
  file_source source(paths);
  file_ptr stories = stories_path.empty() ? nullptr : open_output(stories_path);
  file_ptr dlq = dlq_path.empty() ? nullptr : open_output(dlq_path);
  static char out_buffer[1 << 16];
  std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);

  probe base;
  tally_probe probe(base);
  stream_sink sink(stdout, stories.get(), dlq ? dlq.get() : stderr);
  no_commit committer;
  chain stages(with_data_files(config), probe);
  stages.write_changelog(false);  // files only: there is no changelog to restore from
  engine eng(engine_options_from(config, /*bounded=*/true), stages, sink, committer, probe);
  const auto summary = eng.run(source);
  const bool written = sink.flush(std::chrono::milliseconds(0));
  if (!summary.ok) {
    spdlog::error("process: {}", summary.error);
    return exit_failure;
  }
  if (!written) {
    spdlog::error("process: an output could not be written (disk full, or a closed pipe?)");
    return exit_failure;
  }
  spdlog::info("process: {} article(s) read, {} dead letter(s); {}", summary.consumed, probe.dead_letters(),
               probe.story_summary());
  return exit_ok;
}

}  // namespace wirefeed::commands

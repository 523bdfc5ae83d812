// `wirefeed process`: the same chain over files or stdin, no Kafka. Enriched articles to stdout in
// input order, dead letters to --dlq (default stderr), story updates to --stories.

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "daemon/engine_options.h"
#include "daemon/file_source.h"
#include "daemon/signal_watcher.h"
#include "daemon/standard_streams.h"
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
  if (!f) throw startup_error("cannot write " + path + ": " + std::strerror(errno));
  return f;
}

// A file or a pipe, as (device, inode); nothing for what is not one (a terminal, /dev/null, a
// path that does not exist yet).
using identity = std::pair<dev_t, ino_t>;
std::optional<identity> identity_of(const struct stat& st) {
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)) return std::nullopt;
  return identity{st.st_dev, st.st_ino};
}
std::optional<identity> identity_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? identity_of(st) : std::nullopt;
}
std::optional<identity> identity_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? identity_of(st) : std::nullopt;
}

// Two outputs on one file or pipe would cut each other's lines (a path opened again, /dev/stderr
// too, even writes over the other's), and an output that is also an input would be emptied before
// it is read. Checked before the outputs are opened (opening empties them) and after (two paths of
// one file that did not exist yet). stdout and stderr on one file (`> out 2>&1`) are the exception:
// they share one open file, and process writes each line of them whole (stdout_shares_stderr).
void check_outputs(const std::vector<std::string>& inputs, const std::string& stories_path,
                   const std::string& dlq_path) {
  std::vector<std::pair<std::string, std::optional<identity>>> outputs{{"stdout", identity_of(1)},
                                                                       {"stderr (the log)", identity_of(2)}};
  if (!stories_path.empty()) outputs.emplace_back("--stories " + stories_path, identity_of(stories_path));
  if (!dlq_path.empty()) outputs.emplace_back("--dlq " + dlq_path, identity_of(dlq_path));
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].second) continue;
    for (std::size_t j = i + 1; j < outputs.size(); ++j) {
      if (i == 0 && j == 1) continue;  // stdout and stderr: the exception above
      if (outputs[i].second == outputs[j].second) {
        throw usage_error(outputs[i].first + " and " + outputs[j].first + " are the same file or pipe: their lines " +
                          "would be mixed; give each output a file of its own");
      }
    }
    for (const auto& in : inputs.empty() ? std::vector<std::string>{"-"} : inputs) {
      if (i == 1) break;  // stderr, which process only writes to
      if (outputs[i].second == (in == "-" ? identity_of(0) : identity_of(in))) {
        throw usage_error(outputs[i].first + " is also the input " + (in == "-" ? "stdin" : in) +
                          ": writing it would empty it before it is read");
      }
    }
  }
}

}  // namespace

int process(const cfg::config& config, const std::vector<std::string>& paths, const std::string& stories_path,
            const std::string& dlq_path) {
  signal_watcher signals;  // from the start: a signal while the inputs are checked stops the run as it starts
  const bool reads_stdin = paths.empty() || std::find(paths.begin(), paths.end(), "-") != paths.end();
  if (reads_stdin && standard_stream_was_closed(0)) throw usage_error("stdin is closed: name the input files");
  if (standard_stream_was_closed(1)) throw usage_error("stdout is closed: the enriched articles are written there");
  if (dlq_path.empty() && standard_stream_was_closed(2)) {
    throw usage_error("stderr is closed: the dead letters are written there (or name a file with --dlq)");
  }
  file_source source(paths, 256, static_cast<std::size_t>(config.pipeline.max_message_bytes));
  check_outputs(paths, stories_path, dlq_path);
  file_ptr stories = stories_path.empty() ? nullptr : open_output(stories_path);
  file_ptr dlq = dlq_path.empty() ? nullptr : open_output(dlq_path);
  check_outputs(paths, stories_path, dlq_path);  // again: outputs that did not exist before do now
  // Input that arrives (`tail -f feed | wirefeed process`) is answered article by article: the
  // outputs are flushed line by line. Files are read and written in large blocks. stdout on the
  // file or pipe stderr is on (`> out 2>&1`) is written a line at a time, each in one write, as
  // stderr's log lines and dead letters are: a block would end inside a line, and they would
  // land there.
  const bool stdout_shares_stderr = identity_of(1) && identity_of(1) == identity_of(2);
  const int buffering = file_source::all_regular_files(paths) ? _IOFBF : _IOLBF;
  static char out_buffer[1 << 16];
  std::setvbuf(stdout, out_buffer, stdout_shares_stderr ? _IONBF : buffering, sizeof out_buffer);
  for (std::FILE* f : {stories.get(), dlq.get()}) {
    if (f != nullptr) std::setvbuf(f, nullptr, buffering, 1 << 16);
  }

  probe base;
  tally_probe probe(base);
  stream_sink sink(stdout, stories.get(), dlq ? dlq.get() : stderr);
  no_commit committer;
  const auto built = make_chain(config, probe);
  chain& stages = *built;
  stages.write_changelog(false);  // files only: there is no changelog to restore from
  engine eng(engine_options_from(config, /*bounded=*/true), stages, sink, committer, probe);
  // The first signal stops the reading; what was read is finished and written whole (for up to
  // shutdown.drain_timeout_ms from the signal), then exit 1: the outputs hold every article they
  // name, not every article of the input (unless all of it was read and written by then: exit 0).
  // A second signal, a second or more after the first, exits at once (130).
  std::atomic<bool> signalled{false};
  const auto stop_on_signal = signals.bind([&] {
    signalled = true;
    eng.request_stop();
  });
  const auto summary = eng.run(source);
  const bool written = sink.flush(std::chrono::milliseconds(0));
  if (!summary.ok && written) {
    spdlog::error("process: {}", summary.error);
    return exit_failure;
  }
  if (!written) {  // which: a write error leaves its stream's error flag set (and stopped the run)
    std::string which;
    const auto name_if_failed = [&](std::FILE* f, const std::string& name) {
      if (f != nullptr && std::ferror(f)) which += (which.empty() ? "" : ", ") + name;
    };
    name_if_failed(stdout, "stdout");
    name_if_failed(stories.get(), "--stories " + stories_path);
    name_if_failed(dlq ? dlq.get() : stderr, dlq ? "--dlq " + dlq_path : "stderr (the dead letters)");
    spdlog::error("process: {} could not be written (disk full, or a closed pipe?)", which.empty() ? "an output" : which);
    return exit_failure;
  }
  // A signal after the whole input was read and written cut nothing short.
  if (signalled && !(summary.input_ended && summary.drained)) {
    spdlog::error("process: stopped by a signal: {} article(s) read, {} written in full{}, {} dead letter(s); {}; {}",
                  summary.consumed, summary.finished, summary.drained ? "" : " (the drain timed out)",
                  probe.dead_letters(),
                  summary.input_ended ? "the input was read to its end" : "the rest of the input was not read",
                  probe.story_summary());
    return exit_failure;
  }
  spdlog::info("process: {} article(s) read, {} dead letter(s); {}", summary.consumed, probe.dead_letters(),
               probe.story_summary());
  return exit_ok;
}

}  // namespace wirefeed::commands

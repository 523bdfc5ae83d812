#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/source.h"

namespace wirefeed {

// Articles from files or stdin, for `wirefeed process`. Each path is read in the order given:
//   *.ndjson / *.jsonl, stdin ("-"), or a file whose first non-empty line is one JSON object: one
//   article per line. The lines of all but stdin are JSON (a `content-type: application/json`
//   header): a later line that is no JSON object is a dead letter of its own; stdin's lines are
//   decoded as a Kafka message would be (a line of text is a text article);
//   anything else (a ninjs *.json document, a raw text file as in the sample feed): one article
//   per file.
// Everything is one partition ("process", 0) with a running offset, so output order is input
// order. Records carry `wirefeed.file` and `wirefeed.line` headers.
//
// Each input is opened once and read once, front to back, so a pipe, a FIFO or /dev/stdin works
// as well as a file: the lines read to tell NDJSON from a whole document (a UTF-8 byte order mark
// skipped) are the first lines served. A live input (`tail -f feed | wirefeed process`) is served
// as its lines arrive: a poll waits for input up to its timeout and returns the lines it has as
// soon as no more are ready, never waiting for a batch to fill, and a signal is never a read error.
// A read error stops the source (poll_status::fatal) with the path and the reason in last_error().
//
// Memory is bounded by `max_record_bytes` (max_message_bytes: what decode takes): of a line or a
// document longer than that, only the first max_record_bytes + 1 bytes are kept, the rest read
// past, and the record carries its whole length (input_record::whole_bytes) for the dead letter
// `oversized` to name. A 200 MB line costs a megabyte, not a gigabyte.
class file_source final : public source {
 public:
  // Checks every path exists, is not a directory and is readable (without opening a FIFO, which
  // would take its writer's first connection); throws startup_error naming the ones that are not.
  explicit file_source(std::vector<std::string> paths, std::size_t max_batch = 256,
                       std::size_t max_record_bytes = std::numeric_limits<std::size_t>::max() - 1);
  ~file_source() override;
  file_source(const file_source&) = delete;
  file_source& operator=(const file_source&) = delete;

  void set_listener(source_listener* listener) override { listener_ = listener; }
  poll_status poll(std::vector<input_record>& out, std::chrono::milliseconds timeout) override;
  void pause(const std::vector<topic_partition>&) override { paused_ = true; }
  void resume(const std::vector<topic_partition>&) override { paused_ = false; }
  void close() override;
  std::string last_error() const override { return error_; }

  // Whether every path names a regular file (not stdin, a pipe, a FIFO or a terminal): input that
  // is all there, rather than arriving.
  static bool all_regular_files(const std::vector<std::string>& paths);

  static const topic_partition partition;

 private:
  enum class shape { unknown, lines, document };
  enum class fill_result { data, nothing_yet, end, failed };

  // Opens the next path; false when there is none or it cannot be opened (error_ says which).
  bool open_next();
  void close_current();
  // Reads what the current input has into buf_, waiting up to `wait` for it.
  fill_result fill(std::chrono::milliseconds wait);
  // Lines or a whole document, from what has been read so far; unknown until that tells.
  shape sniff();
  // Serves the next whole line of buf_ (the last may lack its newline); false if none is there yet.
  bool serve_line(std::vector<input_record>& out);
  // Reads past the rest of an over-long line (lines) or document; true once it has been served.
  bool skip_overlong(std::vector<input_record>& out);
  // From an unserved record of more than max_record_bytes_ at buf_[pos_]: keeps its start, drops
  // what buf_ holds of it and reads past the rest (skip_overlong).
  void start_overlong();
  void emit(std::vector<input_record>& out, std::string value, std::int64_t line);
  std::string shown_name() const { return current_ == "-" ? "stdin" : current_; }

  std::vector<std::string> paths_;
  std::size_t max_batch_;
  std::size_t max_record_bytes_;
  source_listener* listener_ = nullptr;
  bool started_ = false;
  bool paused_ = false;
  bool ended_ = false;
  std::size_t next_path_ = 0;
  std::string current_;
  int fd_ = -1;  // the current input; not closed when it is stdin's
  bool at_end_ = false;
  shape shape_ = shape::unknown;
  bool json_lines_ = false;  // NDJSON by the name or the first line (not stdin's lines): records say JSON
  std::string buf_;      // read, not served yet from pos_ on
  std::size_t pos_ = 0;
  std::size_t scanned_ = 0;  // buf_ has no newline in [pos_, scanned_)
  std::size_t sniffed_ = 0;  // sniff has judged the lines before
  bool overlong_ = false;        // reading past the rest of a record too long to keep
  std::string overlong_start_;   // its first max_record_bytes_ + 1 bytes
  std::size_t overlong_bytes_ = 0;  // its length so far
  bool overlong_ends_in_cr_ = false;  // the last byte read past is a '\r' (a CRLF line's, maybe)
  std::int64_t line_ = 0;
  std::int64_t offset_ = 0;
  std::string error_;
};

}  // namespace wirefeed

#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/source.h"

namespace wirefeed {

// Articles from files or stdin, for `wirefeed process`. Each path is read in the order given:
//   *.ndjson / *.jsonl, stdin ("-"), or a file whose every non-empty line starts with '{': one
//   article per line;
//   anything else (a ninjs *.json document, a raw text file as in the sample feed): one article
//   per file.
// Everything is one partition ("process", 0) with a running offset, so output order is input
// order. Records carry `wirefeed.file` and `wirefeed.line` headers.
//
// Each input is opened once and read once, front to back, so a pipe, a FIFO or /dev/stdin works
// as well as a file: the lines read to tell NDJSON from a whole document (a UTF-8 byte order mark
// skipped) are the first lines served. A read error stops the source (poll_status::fatal) with the
// path and the reason in last_error().
class file_source final : public source {
 public:
  // Checks every path exists, is not a directory and is readable (without opening a FIFO, which
  // would take its writer's first connection); throws startup_error naming the ones that are not.
  explicit file_source(std::vector<std::string> paths, std::size_t max_batch = 256);

  void set_listener(source_listener* listener) override { listener_ = listener; }
  poll_status poll(std::vector<input_record>& out, std::chrono::milliseconds timeout) override;
  void pause(const std::vector<topic_partition>&) override { paused_ = true; }
  void resume(const std::vector<topic_partition>&) override { paused_ = false; }
  void close() override;
  std::string last_error() const override { return error_; }

  static const topic_partition partition;

 private:
  bool open_next();
  // Reads the start of the current input into head_ and tells whether it is one article per line.
  bool sniff_lines();
  // The next line of the current input (head_ first); false at its end.
  bool next_line(std::string& line);
  // What is left of the current input (head_ first).
  std::string rest();
  bool read_failed();
  std::string shown_name() const { return current_ == "-" ? "stdin" : current_; }
  void emit(std::vector<input_record>& out, std::string value, std::int64_t line);

  std::vector<std::string> paths_;
  std::size_t max_batch_;
  source_listener* listener_ = nullptr;
  bool started_ = false;
  bool paused_ = false;
  bool ended_ = false;
  std::size_t next_path_ = 0;
  std::string current_;
  std::unique_ptr<std::ifstream> file_;
  std::istream* in_ = nullptr;
  bool lines_ = false;
  std::string head_;  // read by sniff_lines, not served yet from head_pos_ on
  std::size_t head_pos_ = 0;
  std::int64_t line_ = 0;
  std::int64_t offset_ = 0;
  std::string error_;
};

}  // namespace wirefeed

#pragma once

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
class file_source final : public source {
 public:
  // Checks every path can be opened; throws startup_error naming the ones that cannot.
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
  bool is_line_file(const std::string& path);
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
  std::int64_t line_ = 0;
  std::int64_t offset_ = 0;
  std::string error_;
};

}  // namespace wirefeed

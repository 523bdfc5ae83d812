#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "pipeline/sink.h"

namespace wirefeed {

// Output for `wirefeed process`: enriched articles as JSON lines on one stream, story updates on
// another (or dropped), dead letters as JSON lines {reason, stage, message, source, input} on a
// third. Each record is written whole under one lock and acknowledged at once. Does not own the
// streams.
class stream_sink final : public sink {
 public:
  stream_sink(std::FILE* enriched, std::FILE* stories, std::FILE* dead_letters);
  void send(output_record record, delivery_callback on_delivered) override;
  // Flushes the streams; false if a write to any of them failed since they were opened.
  bool flush(std::chrono::milliseconds timeout) override;

  // The dead-letter JSON line for a dead-letter record (its headers name the error).
  static std::string dead_letter_line(const output_record& record);

 private:
  std::mutex mu_;
  std::FILE* enriched_;
  std::FILE* stories_;
  std::FILE* dead_letters_;
};

}  // namespace wirefeed

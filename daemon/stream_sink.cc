#include "daemon/stream_sink.h"

#include <boost/json.hpp>

#include "pipeline/encode.h"
#include "pipeline/utf8.h"

namespace wirefeed {
namespace {

std::string base64(std::string_view in) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
  }
  return out;
}

// One fwrite: on an unbuffered stream, one write(2), so that a line is never cut by another
// writer of the same file (`wirefeed process > out 2>&1`).
void write_line(std::FILE* f, std::string s) {
  s.push_back('\n');
  std::fwrite(s.data(), 1, s.size(), f);
}

}  // namespace

stream_sink::stream_sink(std::FILE* enriched, std::FILE* stories, std::FILE* dead_letters)
    : enriched_(enriched), stories_(stories), dead_letters_(dead_letters) {}

std::string stream_sink::dead_letter_line(const output_record& r) {
  boost::json::object o;
  o["reason"] = find_header(r.hdrs, dlq_header::reason);
  o["stage"] = find_header(r.hdrs, dlq_header::stage);
  o["message"] = find_header(r.hdrs, dlq_header::exception_message);
  o["source"] = {{"file", find_header(r.hdrs, "wirefeed.file")},
                 {"line", find_header(r.hdrs, "wirefeed.line")},
                 {"offset", find_header(r.hdrs, dlq_header::offset)}};
  if (utf8::is_valid(r.value)) {
    o["input"] = r.value;
  } else {
    o["input_base64"] = base64(r.value);
  }
  if (const auto cut = find_header(r.hdrs, dlq_header::truncated); !cut.empty()) o["truncated"] = cut;
  return boost::json::serialize(o);
}

void stream_sink::send(output_record record, delivery_callback on_delivered) {
  std::FILE* to = nullptr;
  {
    std::lock_guard lock(mu_);
    switch (record.kind) {
      case output_kind::enriched: write_line(to = enriched_, std::move(record.value)); break;
      case output_kind::stories:
        if (stories_) write_line(to = stories_, std::move(record.value));
        break;
      case output_kind::dead_letter: write_line(to = dead_letters_, dead_letter_line(record)); break;
      case output_kind::changelog:
      case output_kind::extracted: break;
    }
  }
  // A write that failed (a closed pipe: `process | head`; a full disk) fails the record, so the
  // run stops instead of reading on into an output nobody takes. With full buffering it shows
  // when a buffer is written, with line buffering at once.
  if (to != nullptr && std::ferror(to)) {
    on_delivered(delivery_error{"an output could not be written (disk full, or a closed pipe?)"});
    return;
  }
  on_delivered(std::nullopt);
}

bool stream_sink::flush(std::chrono::milliseconds) {
  std::lock_guard lock(mu_);
  // A write that failed earlier (a full disk) leaves the stream's error flag set.
  const auto flushed = [](std::FILE* f) { return f == nullptr || (std::fflush(f) == 0 && std::ferror(f) == 0); };
  const bool enriched = flushed(enriched_), dead_letters = flushed(dead_letters_), stories = flushed(stories_);
  return enriched && dead_letters && stories;
}

}  // namespace wirefeed

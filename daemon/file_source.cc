#include "daemon/file_source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "daemon/startup_error.h"

namespace wirefeed {

const topic_partition file_source::partition{"process", partition_id{0}};

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

// Why `path` cannot be read, or "" if it can. Only a regular file is opened to find out.
std::string unreadable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return "a directory: name its files";
  if (S_ISREG(st.st_mode)) {
    std::ifstream probe(path, std::ios::binary);
    return probe ? "" : std::strerror(errno);
  }
  return ::access(path.c_str(), R_OK) == 0 ? "" : std::strerror(errno);
}

}  // namespace

file_source::file_source(std::vector<std::string> paths, std::size_t max_batch, std::size_t max_record_bytes)
    : paths_(std::move(paths)), max_batch_(max_batch), max_record_bytes_(max_record_bytes) {
  if (paths_.empty()) paths_.push_back("-");
  std::string bad;
  for (const auto& p : paths_) {
    if (p == "-") continue;
    if (const std::string why = unreadable(p); !why.empty()) bad += "\n  " + p + " (" + why + ")";
  }
  if (!bad.empty()) throw startup_error("cannot read input:" + bad);
}

file_source::~file_source() { close_current(); }

bool file_source::all_regular_files(const std::vector<std::string>& paths) {
  if (paths.empty()) return all_regular_files({"-"});
  for (const auto& p : paths) {
    struct stat st {};
    const int got = p == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(p.c_str(), &st);
    if (got != 0 || !S_ISREG(st.st_mode)) return false;
  }
  return true;
}

namespace {

// Whether `line` is one JSON object and nothing else: it opens with '{' and its braces, outside
// strings, close at its end. Not a parse: what is inside is decode's to judge.
bool is_object_line(std::string_view line) {
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  if (first == std::string_view::npos || line[first] != '{' || line[last] != '}') return false;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = first; i <= last; ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i == last;
    }
  }
  return false;
}

}  // namespace

file_source::shape file_source::sniff() {
  // NDJSON if the first non-empty line (after a byte order mark) is one JSON object and nothing
  // else; a pretty-printed document's first line ("{") is not. Decided by that line alone, so a
  // line further on that is no JSON is a dead letter of its own, wherever it is.
  for (;;) {
    const auto newline = buf_.find('\n', sniffed_);
    std::string_view line(buf_.data() + sniffed_, (newline == std::string::npos ? buf_.size() : newline) - sniffed_);
    if (sniffed_ == 0 && line.starts_with(byte_order_mark)) line.remove_prefix(byte_order_mark.size());
    if (newline == std::string::npos && !at_end_) {
      // A line too long to be an article, whatever follows: an NDJSON line if it opens an object.
      if (line.size() > max_record_bytes_) {
        const auto first = line.find_first_not_of(" \t\r");
        return first != std::string_view::npos && line[first] == '{' ? shape::lines : shape::document;
      }
      return shape::unknown;
    }
    sniffed_ = newline == std::string::npos ? buf_.size() : newline + 1;
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      return is_object_line(line) ? shape::lines : shape::document;
    }
    if (newline == std::string::npos) return shape::document;
  }
}

void file_source::close_current() {
  if (fd_ > STDIN_FILENO) ::close(fd_);
  fd_ = -1;
}

bool file_source::open_next() {
  close_current();
  buf_.clear();
  pos_ = scanned_ = sniffed_ = 0;
  overlong_ = false;
  at_end_ = false;
  if (next_path_ == paths_.size()) return false;
  current_ = paths_[next_path_++];
  line_ = 0;
  json_lines_ = false;
  if (current_ == "-") {
    fd_ = STDIN_FILENO;
    shape_ = shape::lines;
    return true;
  }
  // Not blocking: a FIFO opens without waiting for its writer (it polls as not ready until one
  // comes), so a signal stops the run there too.
  fd_ = ::open(current_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) {
    error_ = "cannot read " + current_ + ": " + std::strerror(errno);
    return false;
  }
  shape_ = ends_with(current_, ".ndjson") || ends_with(current_, ".jsonl") ? shape::lines
           : ends_with(current_, ".txt")                                    ? shape::document
                                                                            : shape::unknown;
  json_lines_ = shape_ == shape::lines;
  return true;
}

file_source::fill_result file_source::fill(std::chrono::milliseconds wait) {
  pollfd ready{fd_, POLLIN, 0};
  const int polled = ::poll(&ready, 1, static_cast<int>(wait.count()));
  int error = errno;
  if (polled == 0 || (polled < 0 && error == EINTR)) return fill_result::nothing_yet;
  if (polled > 0) {  // readable, hung up or in error: the read tells which
    constexpr std::size_t chunk = 1 << 16;
    const std::size_t had = buf_.size();
    buf_.resize(had + chunk);
    const ssize_t n = ::read(fd_, buf_.data() + had, chunk);
    error = errno;
    buf_.resize(had + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    if (n > 0) return fill_result::data;
    if (n == 0) {
      at_end_ = true;
      return fill_result::end;
    }
    if (error == EINTR || error == EAGAIN) return fill_result::nothing_yet;
  }
  error_ = "cannot read " + shown_name() + ": " + std::strerror(error);
  return fill_result::failed;
}

void file_source::emit(std::vector<input_record>& out, std::string value, std::int64_t line) {
  input_record r;
  r.tp = partition;
  r.off = offset{offset_++};
  r.value = std::move(value);
  r.hdrs.emplace_back("wirefeed.file", current_);
  r.hdrs.emplace_back("wirefeed.line", std::to_string(line));
  // Every line of NDJSON is JSON: one that is not is invalid_json, not a text article.
  if (json_lines_) r.hdrs.emplace_back("content-type", "application/json");
  out.push_back(std::move(r));
}

void file_source::start_overlong() {
  overlong_ = true;
  overlong_start_.assign(buf_, pos_, max_record_bytes_ + 1);
  overlong_bytes_ = overlong_start_.size();
  overlong_ends_in_cr_ = overlong_start_.back() == '\r';
  buf_.erase(0, pos_ + overlong_start_.size());
  pos_ = scanned_ = 0;
  if (shape_ == shape::lines) ++line_;
}

bool file_source::skip_overlong(std::vector<input_record>& out) {
  const auto newline = shape_ == shape::lines ? buf_.find('\n') : std::string::npos;
  const std::size_t taken = newline == std::string::npos ? buf_.size() : newline;
  overlong_bytes_ += taken;
  if (taken > 0) overlong_ends_in_cr_ = buf_[taken - 1] == '\r';
  buf_.erase(0, newline == std::string::npos ? buf_.size() : newline + 1);
  pos_ = scanned_ = 0;
  if (newline == std::string::npos && !at_end_) return false;
  overlong_ = false;
  if (newline != std::string::npos && overlong_ends_in_cr_) --overlong_bytes_;  // a CRLF line's '\r' is no part of it
  emit(out, std::exchange(overlong_start_, std::string()), shape_ == shape::lines ? line_ : 1);
  out.back().whole_bytes = overlong_bytes_;
  return true;
}

bool file_source::serve_line(std::vector<input_record>& out) {
  while (shape_ == shape::lines) {
    if (overlong_) return skip_overlong(out);
    const auto newline = buf_.find('\n', scanned_);
    if (newline == std::string::npos) {
      scanned_ = buf_.size();
      // Not counting a last '\r' (a CRLF line whose '\n' has not been read yet): whether a line of
      // the limit is over it must not depend on where a read ended.
      const std::size_t pending = buf_.size() - pos_;
      if (pending - (pending > 0 && buf_.back() == '\r' ? 1 : 0) > max_record_bytes_) {
        start_overlong();
        continue;
      }
      if (!at_end_ || pos_ == buf_.size()) return false;  // the last line may lack its newline
    }
    const std::size_t end = newline == std::string::npos ? buf_.size() : newline;
    std::string_view line(buf_.data() + pos_, end - pos_);
    pos_ = scanned_ = newline == std::string::npos ? buf_.size() : newline + 1;
    ++line_;
    if (line.ends_with('\r')) line.remove_suffix(1);
    // Blank lines separate nothing in NDJSON; they are not articles.
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    // A line over the limit that was read whole is served as one read in parts is: its start.
    emit(out, std::string(line.substr(0, max_record_bytes_ + 1)), line_);
    if (line.size() > max_record_bytes_) out.back().whole_bytes = line.size();
    return true;
  }
  return false;
}

poll_status file_source::poll(std::vector<input_record>& out, std::chrono::milliseconds timeout) {
  if (!started_) {
    started_ = true;
    listener_->on_assigned({partition});
    if (!open_next()) return error_.empty() ? poll_status::end_of_input : poll_status::fatal;
  }
  if (ended_) return poll_status::end_of_input;
  bool waited = false;  // a poll waits for input once, and only while it has nothing to return
  while (!paused_ && out.size() < max_batch_) {
    if (shape_ == shape::unknown) {
      shape_ = sniff();
      json_lines_ = shape_ == shape::lines;
    }
    if (serve_line(out)) continue;
    bool document_served = false;  // an over-long one, at its end
    if (shape_ == shape::document) {
      if (!overlong_ && buf_.size() > max_record_bytes_) start_overlong();
      if (overlong_) document_served = skip_overlong(out);
    }
    if (at_end_ && shape_ != shape::unknown) {  // all of this input read: a document, or lines served
      if (shape_ == shape::document && !document_served) emit(out, std::exchange(buf_, std::string()), 1);
      if (open_next()) continue;
      if (!error_.empty()) return poll_status::fatal;
      ended_ = true;
      listener_->on_partition_end(partition);
      return poll_status::end_of_input;
    }
    if (pos_ > 0 && pos_ >= buf_.size() / 2) {  // keep what is not served yet at the front
      buf_.erase(0, pos_);
      scanned_ -= pos_;
      pos_ = 0;
    }
    const bool may_wait = out.empty() && !waited;
    switch (fill(may_wait ? timeout : std::chrono::milliseconds(0))) {
      case fill_result::data:
      case fill_result::end:
        continue;
      case fill_result::failed:
        return poll_status::fatal;
      case fill_result::nothing_yet:
        if (!may_wait) return poll_status::ok;
        waited = true;
        if (shape_ != shape::lines) return poll_status::ok;
    }
  }
  return poll_status::ok;
}

void file_source::close() {
  if (listener_ && started_) listener_->on_revoked({partition}, true);
  close_current();
}

}  // namespace wirefeed

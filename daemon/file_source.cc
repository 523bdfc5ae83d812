#include "daemon/file_source.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

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

file_source::file_source(std::vector<std::string> paths, std::size_t max_batch)
    : paths_(std::move(paths)), max_batch_(max_batch) {
  if (paths_.empty()) paths_.push_back("-");
  std::string bad;
  for (const auto& p : paths_) {
    if (p == "-") continue;
    if (const std::string why = unreadable(p); !why.empty()) bad += "\n  " + p + " (" + why + ")";
  }
  if (!bad.empty()) throw startup_error("cannot read input:" + bad);
}

bool file_source::sniff_lines() {
  // NDJSON if the first few non-empty lines all start with '{' (after a byte order mark): eight
  // of them, or at least one and then the end of the input.
  constexpr int enough = 8;
  int objects = 0;
  std::size_t at = 0;
  char chunk[1 << 16];
  for (;;) {
    const auto newline = head_.find('\n', at);
    if (newline == std::string::npos && *in_) {
      in_->read(chunk, sizeof chunk);
      head_.append(chunk, static_cast<std::size_t>(in_->gcount()));
      continue;
    }
    const bool last = newline == std::string::npos;  // the input has ended (or failed: read_failed)
    std::string_view line(head_.data() + at, (last ? head_.size() : newline) - at);
    if (at == 0 && line.starts_with(byte_order_mark)) line.remove_prefix(byte_order_mark.size());
    at = last ? head_.size() : newline + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos) {
      if (line[first] != '{' || line.find_last_not_of(" \t\r") == first) return false;
      if (++objects == enough) return true;
    }
    if (last) return objects >= 1;
  }
}

bool file_source::next_line(std::string& line) {
  if (head_pos_ < head_.size()) {
    const auto newline = head_.find('\n', head_pos_);
    if (newline != std::string::npos) {
      line.assign(head_, head_pos_, newline - head_pos_);
      head_pos_ = newline + 1;
      return true;
    }
    line.assign(head_, head_pos_);  // a line that goes on past what was sniffed
    head_pos_ = head_.size();
    std::string more;
    if (std::getline(*in_, more)) line += more;
    return true;
  }
  return static_cast<bool>(std::getline(*in_, line));
}

std::string file_source::rest() {
  std::string whole = head_.substr(head_pos_);
  head_pos_ = head_.size();
  whole.append(std::istreambuf_iterator<char>(*in_), std::istreambuf_iterator<char>());
  return whole;
}

bool file_source::read_failed() {
  // std::cin shares stdin's stdio buffer: a read error there (a directory on stdin) looks like
  // the end of input unless stdio is asked.
  const bool failed = in_->bad() || (in_ == &std::cin && std::ferror(stdin));
  if (failed) error_ = "cannot read " + shown_name() + ": " + (errno ? std::strerror(errno) : "read error");
  return failed;
}

bool file_source::open_next() {
  file_.reset();
  in_ = nullptr;
  head_.clear();
  head_pos_ = 0;
  while (next_path_ < paths_.size()) {
    current_ = paths_[next_path_++];
    line_ = 0;
    if (current_ == "-") {
      in_ = &std::cin;
    } else {
      file_ = std::make_unique<std::ifstream>(current_, std::ios::binary);
      if (!*file_) {
        error_ = "cannot read " + current_ + ": " + std::strerror(errno);
        return false;
      }
      in_ = file_.get();
    }
    lines_ = current_ == "-" || ends_with(current_, ".ndjson") || ends_with(current_, ".jsonl") ||
             (!ends_with(current_, ".txt") && sniff_lines());
    return !read_failed();
  }
  return false;
}

void file_source::emit(std::vector<input_record>& out, std::string value, std::int64_t line) {
  input_record r;
  r.tp = partition;
  r.off = offset{offset_++};
  r.value = std::move(value);
  r.hdrs.emplace_back("wirefeed.file", current_);
  r.hdrs.emplace_back("wirefeed.line", std::to_string(line));
  out.push_back(std::move(r));
}

poll_status file_source::poll(std::vector<input_record>& out, std::chrono::milliseconds) {
  // libstdc++ throws from a file buffer that fails to read (std::ios_base::failure), even with
  // the stream's exceptions off, when read through an istreambuf_iterator.
  try {
    if (!started_) {
      started_ = true;
      listener_->on_assigned({partition});
      if (!open_next()) return error_.empty() ? poll_status::end_of_input : poll_status::fatal;
    }
    if (ended_) return poll_status::end_of_input;
    while (!paused_ && out.size() < max_batch_) {
      if (!in_) break;
      if (lines_) {
        std::string line;
        if (next_line(line)) {
          ++line_;
          if (!line.empty() && line.back() == '\r') line.pop_back();
          // Blank lines separate nothing in NDJSON; they are not articles.
          if (line.find_first_not_of(" \t") == std::string::npos) continue;
          emit(out, std::move(line), line_);
          continue;
        }
      } else {
        emit(out, rest(), 1);
      }
      if (read_failed()) return poll_status::fatal;
      if (!open_next()) {
        if (!error_.empty()) return poll_status::fatal;
        ended_ = true;
        listener_->on_partition_end(partition);
        return poll_status::end_of_input;
      }
    }
    return poll_status::ok;
  } catch (const std::exception& e) {
    error_ = "cannot read " + shown_name() + ": " + e.what();
    return poll_status::fatal;
  }
}

void file_source::close() {
  if (listener_ && started_) listener_->on_revoked({partition}, true);
  file_.reset();
  in_ = nullptr;
}

}  // namespace wirefeed

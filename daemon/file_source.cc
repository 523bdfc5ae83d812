#include "daemon/file_source.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "daemon/startup_error.h"

namespace wirefeed {

const topic_partition file_source::partition{"process", partition_id{0}};

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

file_source::file_source(std::vector<std::string> paths, std::size_t max_batch)
    : paths_(std::move(paths)), max_batch_(max_batch) {
  if (paths_.empty()) paths_.push_back("-");
  std::string bad;
  for (const auto& p : paths_) {
    if (p == "-") continue;
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      bad += "\n  " + p + " (a directory: name its files)";
      continue;
    }
    std::ifstream probe(p, std::ios::binary);
    if (!probe) bad += "\n  " + p;
  }
  if (!bad.empty()) throw startup_error("cannot read input:" + bad);
}

bool file_source::is_line_file(const std::string& path) {
  if (path == "-" || ends_with(path, ".ndjson") || ends_with(path, ".jsonl")) return true;
  if (ends_with(path, ".txt")) return false;
  // Sniff: NDJSON if the first few non-empty lines all start with '{' and there are several.
  std::ifstream sniff(path, std::ios::binary);
  std::string line;
  int objects = 0;
  for (int i = 0; i < 8 && std::getline(sniff, line);) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    if (line[first] != '{' || line.find_last_not_of(" \t\r") == first) return false;
    ++objects;
    ++i;
  }
  return objects >= 2 || (objects == 1 && sniff.peek() == EOF);
}

bool file_source::open_next() {
  file_.reset();
  in_ = nullptr;
  while (next_path_ < paths_.size()) {
    current_ = paths_[next_path_++];
    line_ = 0;
    lines_ = is_line_file(current_);
    if (current_ == "-") {
      in_ = &std::cin;
      return true;
    }
    file_ = std::make_unique<std::ifstream>(current_, std::ios::binary);
    if (!*file_) {
      error_ = "cannot read " + current_;
      return false;
    }
    in_ = file_.get();
    return true;
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
      if (std::getline(*in_, line)) {
        ++line_;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        // Blank lines separate nothing in NDJSON; they are not articles.
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        emit(out, std::move(line), line_);
        continue;
      }
    } else {
      std::string whole((std::istreambuf_iterator<char>(*in_)), std::istreambuf_iterator<char>());
      emit(out, std::move(whole), 1);
    }
    if (in_->bad()) {
      error_ = "read error in " + current_;
      return poll_status::fatal;
    }
    if (!open_next()) {
      if (!error_.empty()) return poll_status::fatal;
      ended_ = true;
      listener_->on_partition_end(partition);
      return poll_status::end_of_input;
    }
  }
  return poll_status::ok;
}

void file_source::close() {
  if (listener_ && started_) listener_->on_revoked({partition}, true);
  file_.reset();
  in_ = nullptr;
}

}  // namespace wirefeed

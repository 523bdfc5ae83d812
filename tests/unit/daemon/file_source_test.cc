// `wirefeed process`'s input: every path checked before anything is read, a bad one named; each
// input read once, so pipes and FIFOs lose nothing; NDJSON told from a whole document.
#include "daemon/file_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon/startup_error.h"

namespace wirefeed {
namespace {

using testing::Each;
using testing::ElementsAre;
using testing::Eq;

std::filesystem::path scratch() {
  const auto dir = std::filesystem::temp_directory_path() / ("file_source_test." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string start_error(std::vector<std::string> paths) {
  try {
    file_source source(std::move(paths));
  } catch (const startup_error& e) {
    return e.what();
  }
  return "";
}

TEST(FileSourceTest, ADirectoryOrAMissingFileIsNamedBeforeAnythingIsRead) {
  const auto dir = scratch();
  const auto good = dir / "a.ndjson";
  std::ofstream(good) << "{\"body\":\"one\"}\n{\"body\":\"two\"}\n";
  const std::string error = start_error({good.string(), dir.string(), (dir / "missing.txt").string()});
  EXPECT_NE(error.find(dir.string() + " (a directory: name its files)"), std::string::npos) << error;
  EXPECT_NE(error.find((dir / "missing.txt").string()), std::string::npos) << error;
  EXPECT_EQ(error.find(good.string() + "\n"), std::string::npos) << error;

  EXPECT_EQ(start_error({good.string()}), "");
  std::filesystem::remove_all(dir);
}

struct quiet_listener : source_listener {
  void on_assigned(const std::vector<topic_partition>&) override {}
  void on_revoked(const std::vector<topic_partition>&, bool) override {}
  void on_partition_end(const topic_partition&) override {}
};

// Polls the source to its end: the values read, and the status it ended with.
std::pair<std::vector<std::string>, poll_status> read_all(file_source& source) {
  quiet_listener listener;
  source.set_listener(&listener);
  std::vector<std::string> values;
  for (;;) {
    std::vector<input_record> batch;
    const poll_status status = source.poll(batch, std::chrono::milliseconds(100));
    for (auto& r : batch) values.push_back(std::move(r.value));
    if (status != poll_status::ok) return {values, status};
  }
}

std::string ndjson(int lines, std::size_t body_bytes = 10) {
  std::string out;
  for (int i = 0; i < lines; ++i) out += "{\"uri\":\"u" + std::to_string(i) + "\",\"body\":\"" + std::string(body_bytes, 'b') + "\"}\n";
  return out;
}

// A FIFO (as `<(...)` and /dev/stdin are): opened once, by the reader only, and every line read.
// Checking it by opening it, then opening it again to sniff and again to read, took the writer's
// connection away: lines were lost, or the read waited for a writer that had gone.
TEST(FileSourceTest, AFifoIsOpenedOnceAndEveryLineRead) {
  const auto dir = scratch();
  const auto fifo = dir / "feed";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ::signal(SIGPIPE, SIG_IGN);  // a writer that loses its reader gets EPIPE, not the test killed
  const std::string text = ndjson(2000);
  std::thread writer([&] { std::ofstream(fifo) << text; });
  file_source source({fifo.string()});
  const auto [values, status] = read_all(source);
  writer.join();
  EXPECT_EQ(status, poll_status::end_of_input) << source.last_error();
  ASSERT_EQ(values.size(), 2000u);
  EXPECT_EQ(values.front(), "{\"uri\":\"u0\",\"body\":\"bbbbbbbbbb\"}");
  EXPECT_EQ(values.back(), "{\"uri\":\"u1999\",\"body\":\"bbbbbbbbbb\"}");
  std::filesystem::remove_all(dir);
}

// One poll's values and status.
std::pair<std::vector<std::string>, poll_status> poll_once(file_source& source) {
  std::vector<input_record> batch;
  const poll_status status = source.poll(batch, std::chrono::milliseconds(100));
  std::vector<std::string> values;
  for (auto& r : batch) values.push_back(std::move(r.value));
  return {values, status};
}

// A live input (`tail -f`, a FIFO whose writer pauses): a poll returns the lines that have come
// once no more are ready, not when a batch is full, and waits no longer than its timeout when
// none has come; a pause decides the shape of an input whose name does not (two lines of JSON
// objects are NDJSON), and a document that pauses after "{" stays one document.
TEST(FileSourceTest, ALiveInputIsServedAsItArrives) {
  const auto dir = scratch();
  const auto fifo = dir / "live";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ::signal(SIGPIPE, SIG_IGN);
  file_source source({fifo.string()});
  quiet_listener listener;
  source.set_listener(&listener);
  EXPECT_EQ(poll_once(source), std::make_pair(std::vector<std::string>{}, poll_status::ok));  // no writer yet

  const int writer = ::open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(writer, 0);
  const auto write_text = [&](const std::string& text) {
    ASSERT_EQ(::write(writer, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  };
  write_text(ndjson(2));
  EXPECT_EQ(poll_once(source).first, (std::vector<std::string>{"{\"uri\":\"u0\",\"body\":\"bbbbbbbbbb\"}",
                                                               "{\"uri\":\"u1\",\"body\":\"bbbbbbbbbb\"}"}));
  EXPECT_EQ(poll_once(source), std::make_pair(std::vector<std::string>{}, poll_status::ok));
  write_text("{\"uri\":\"late\"");  // half a line: served when its end comes
  EXPECT_EQ(poll_once(source).first.size(), 0u);
  write_text("}\n");
  EXPECT_EQ(poll_once(source).first, std::vector<std::string>{"{\"uri\":\"late\"}"});
  ::close(writer);
  EXPECT_EQ(poll_once(source), std::make_pair(std::vector<std::string>{}, poll_status::end_of_input));

  const auto document_fifo = dir / "document";
  ASSERT_EQ(::mkfifo(document_fifo.c_str(), 0600), 0);
  file_source document_source({document_fifo.string()});
  document_source.set_listener(&listener);
  EXPECT_EQ(poll_once(document_source).first.size(), 0u);
  const int document_writer = ::open(document_fifo.c_str(), O_WRONLY);
  const std::string head = "{\n  \"uri\": \"d\",\n", tail = "  \"body\": \"b\"\n}\n";
  ASSERT_EQ(::write(document_writer, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  EXPECT_EQ(poll_once(document_source), std::make_pair(std::vector<std::string>{}, poll_status::ok));
  ASSERT_EQ(::write(document_writer, tail.data(), tail.size()), static_cast<ssize_t>(tail.size()));
  ::close(document_writer);
  EXPECT_EQ(poll_once(document_source),
            std::make_pair(std::vector<std::string>{head + tail}, poll_status::end_of_input));
  std::filesystem::remove_all(dir);
}

// What was read to tell the shape is served first: a first line longer than what is read at a
// time, then the rest; a whole document longer than that, as one article.
TEST(FileSourceTest, WhatWasReadToTellTheShapeIsNotLost) {
  const auto dir = scratch();
  const auto lines = dir / "feed.json";
  const std::string text = ndjson(1, 200000) + ndjson(3);
  std::ofstream(lines) << text;
  file_source line_source({lines.string()});
  const auto [values, status] = read_all(line_source);
  EXPECT_EQ(status, poll_status::end_of_input);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0].size(), 200000u + 22);
  EXPECT_EQ(values[0] + "\n" + values[1] + "\n" + values[2] + "\n" + values[3] + "\n", text);

  const auto document = dir / "story.json";
  const std::string pretty = "{\n  \"uri\": \"u\",\n  \"body\": \"" + std::string(100000, 'b') + "\"\n}\n";
  std::ofstream(document) << pretty;
  file_source document_source({document.string()});
  const auto [whole, ended] = read_all(document_source);
  EXPECT_EQ(ended, poll_status::end_of_input);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0], pretty);
  std::filesystem::remove_all(dir);
}

// Editors and PowerShell write a byte order mark: NDJSON all the same, whatever the name.
TEST(FileSourceTest, NdjsonAfterAByteOrderMarkIsOneArticlePerLine) {
  const auto dir = scratch();
  const auto path = dir / "export.json";
  std::ofstream(path) << "\xEF\xBB\xBF" + ndjson(3);
  file_source source({path.string()});
  const auto [values, status] = read_all(source);
  EXPECT_EQ(status, poll_status::end_of_input);
  EXPECT_EQ(values.size(), 3u);
  std::filesystem::remove_all(dir);
}

// NDJSON is told by the first line alone: a line further on that is no JSON object is a record
// of its own (decode's dead letter), wherever it is; the other lines are articles all the same.
// A pretty-printed document's first line, "{", is no object.
TEST(FileSourceTest, NdjsonIsToldByItsFirstLineAlone) {
  const auto dir = scratch();
  for (const int before : {1, 2, 8, 9}) {
    const auto path = dir / "mixed.dat";
    std::ofstream(path) << ndjson(before) << "MOSCOW (AP) - a line of text\n" << ndjson(1);
    file_source source({path.string()});
    const auto [values, status] = read_all(source);
    EXPECT_EQ(status, poll_status::end_of_input);
    ASSERT_EQ(values.size(), static_cast<std::size_t>(before) + 2) << before;
    EXPECT_EQ(values[static_cast<std::size_t>(before)], "MOSCOW (AP) - a line of text");
  }
  for (const std::string& document : {std::string("{\n  \"uri\": \"u\"\n}\n"), std::string("{\"uri\": {\n  \"x\": 1}}\n"),
                                      std::string("{\"a\": \"}\"} trailing text\n{\"b\": 1}\n")}) {
    const auto path = dir / "story.dat";
    std::ofstream(path) << document;
    file_source source({path.string()});
    const auto [values, status] = read_all(source);
    ASSERT_EQ(values.size(), 1u) << document;
    EXPECT_EQ(values[0], document);
  }
  // Every line of NDJSON is said to be JSON (decode then rejects a line of text as invalid_json);
  // a whole document is said to be nothing (decode tells JSON from text).
  const auto content_types = [](const std::filesystem::path& path) {
    file_source source({path.string()});
    quiet_listener listener;
    source.set_listener(&listener);
    std::vector<std::string> types;
    for (poll_status status = poll_status::ok; status == poll_status::ok;) {
      std::vector<input_record> batch;
      status = source.poll(batch, std::chrono::milliseconds(100));
      for (const auto& r : batch) {
        const auto it = std::find_if(r.hdrs.begin(), r.hdrs.end(), [](const auto& h) { return h.first == "content-type"; });
        types.push_back(it == r.hdrs.end() ? std::string() : it->second.value_or(""));
      }
    }
    return types;
  };
  EXPECT_THAT(content_types(dir / "mixed.dat"), Each(Eq("application/json")));
  EXPECT_EQ(content_types(dir / "mixed.dat").size(), 11u);
  EXPECT_THAT(content_types(dir / "story.dat"), ElementsAre(""));
  // Braces and quotes inside strings do not count.
  const auto path = dir / "tricky.dat";
  std::ofstream(path) << "{\"body\": \"a } and a \\\" and {\"}\n" << ndjson(1);
  file_source source({path.string()});
  EXPECT_EQ(read_all(source).first.size(), 2u);
  std::filesystem::remove_all(dir);
}

// Every record polled to the end of the input.
std::vector<input_record> read_records(file_source& source) {
  quiet_listener listener;
  source.set_listener(&listener);
  std::vector<input_record> records;
  for (;;) {
    std::vector<input_record> batch;
    const poll_status status = source.poll(batch, std::chrono::milliseconds(100));
    for (auto& r : batch) records.push_back(std::move(r));
    if (status != poll_status::ok) return records;
  }
}

// A line (or a document) longer than max_message_bytes is no article: its start is kept for the
// dead letter with its whole length, the rest read past, never held. Held whole, a 200 MB line
// took 656 MB.
TEST(FileSourceTest, AnOverlongLineOrDocumentIsCutToItsStartWithItsLength) {
  const auto dir = scratch();
  const std::string huge = "{\"body\":\"" + std::string(300000, 'b') + "\"}";  // beyond one 64 KiB read
  for (const char* name : {"feed.ndjson", "feed"}) {  // by its name, and by its first line
    const auto path = dir / name;
    std::ofstream(path) << huge << "\n" << ndjson(2) << huge;  // the last line without its newline
    file_source source({path.string()}, 256, 100);
    const auto records = read_records(source);
    ASSERT_EQ(records.size(), 4u) << name;
    EXPECT_EQ(records[0].value, huge.substr(0, 101));
    EXPECT_EQ(records[0].whole_bytes, huge.size());
    EXPECT_EQ(records[1].value, ndjson(1).substr(0, ndjson(1).size() - 1));
    EXPECT_EQ(records[1].whole_bytes, 0u);
    EXPECT_EQ(find_header(records[2].hdrs, "wirefeed.line"), "3");
    EXPECT_EQ(records[3].value, huge.substr(0, 101));
    EXPECT_EQ(records[3].whole_bytes, huge.size());
    EXPECT_EQ(find_header(records[3].hdrs, "wirefeed.line"), "4");
  }
  // A line over the limit read whole (in one read with the lines around it) is cut as well.
  const auto short_lines = dir / "short.ndjson";
  const std::string over = "{\"body\":\"" + std::string(150, 'b') + "\"}";
  std::ofstream(short_lines) << ndjson(1) << over << "\n" << ndjson(1);
  file_source short_source({short_lines.string()}, 256, 100);
  const auto cut = read_records(short_source);
  ASSERT_EQ(cut.size(), 3u);
  EXPECT_EQ(cut[1].value, over.substr(0, 101));
  EXPECT_EQ(cut[1].whole_bytes, over.size());
  EXPECT_EQ(cut[2].whole_bytes, 0u);
  const auto document = dir / "story.txt";
  const std::string text = "HEADLINE\n\n" + std::string(300000, 't') + "\n";
  std::ofstream(document) << text;
  file_source source({document.string(), (dir / "feed.ndjson").string()}, 256, 100);
  const auto records = read_records(source);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].value, text.substr(0, 101));
  EXPECT_EQ(records[0].whole_bytes, text.size());
  EXPECT_EQ(records[1].value, huge.substr(0, 101));  // the next input starts afresh
  std::filesystem::remove_all(dir);
}

// An over-long CRLF line's length is the line's, without its '\r', whether the '\r' is read with
// its '\n' or in the read before it (the line ending exactly at a 64 KiB read).
TEST(FileSourceTest, AnOverlongCrlfLinesLengthLeavesOutItsCarriageReturn) {
  const auto dir = scratch();
  for (const std::size_t length : {std::size_t{300000}, std::size_t{65535}, std::size_t{65536}}) {
    const auto path = dir / "crlf.ndjson";
    const std::string huge = "{\"body\":\"" + std::string(length - 11, 'b') + "\"}";
    ASSERT_EQ(huge.size(), length);
    std::ofstream(path) << huge << "\r\n" << ndjson(1);
    file_source source({path.string()}, 256, 100);
    const auto records = read_records(source);
    ASSERT_EQ(records.size(), 2u) << length;
    EXPECT_EQ(records[0].whole_bytes, huge.size()) << length;
    EXPECT_EQ(records[1].whole_bytes, 0u) << length;
  }
  std::filesystem::remove_all(dir);
}

// A CRLF line exactly as long as the limit is a line within it, wherever a read ends: also when
// the '\r' is the last byte read and the '\n' comes later (a pipe's writer pausing there).
TEST(FileSourceTest, ACrlfLineOfTheLimitIsWithinItWhereverAReadEnds) {
  const auto dir = scratch();
  const auto fifo = dir / "crlf.ndjson";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ::signal(SIGPIPE, SIG_IGN);
  file_source source({fifo.string()}, 256, 100);
  quiet_listener listener;
  source.set_listener(&listener);
  EXPECT_EQ(poll_once(source).first.size(), 0u);  // no writer yet
  const int writer = ::open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(writer, 0);
  const std::string line = "{\"uri\":\"u\",\"body\":\"" + std::string(100 - 21, 'b') + "\"}";
  ASSERT_EQ(line.size(), 100u);
  const std::string head = line + "\r";
  ASSERT_EQ(::write(writer, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  EXPECT_EQ(poll_once(source).first.size(), 0u);  // its end not read yet: no record, not an over-long one
  ASSERT_EQ(::write(writer, "\n", 1), 1);
  ::close(writer);
  std::vector<input_record> records;
  for (int i = 0; i < 10 && records.empty(); ++i) {
    std::vector<input_record> batch;
    source.poll(batch, std::chrono::milliseconds(100));
    records = std::move(batch);
  }
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value, line);
  EXPECT_EQ(records[0].whole_bytes, 0u);
  std::filesystem::remove_all(dir);
}

TEST(FileSourceTest, AReadErrorStopsTheSourceNamingTheInput) {
  file_source source({"/proc/self/mem"});  // readable, and every read from offset 0 fails
  const auto [values, status] = read_all(source);
  EXPECT_EQ(status, poll_status::fatal);
  EXPECT_TRUE(values.empty());
  EXPECT_EQ(source.last_error().rfind("cannot read /proc/self/mem: ", 0), 0u) << source.last_error();
}

}  // namespace
}  // namespace wirefeed

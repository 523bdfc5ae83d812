// json_writer writes what Boost.JSON's serializer writes for the same document.
#include "pipeline/json_writer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace wirefeed {
namespace {

namespace json = boost::json;

TEST(JsonWriterTest, EscapesEveryByteAsBoostDoes) {
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  for (const std::string& s : {all, std::string("plain"), std::string(""), std::string("a\"b\\c\nd\x01\x7f"),
                               std::string("Peskov: \xE2\x80\x9Ctoo complex\xE2\x80\x9D")}) {
    std::string out;
    json_writer(out).value(s);
    EXPECT_EQ(out, json::serialize(json::value(json::string(s))));
  }
}

TEST(JsonWriterTest, FindsTheByteToEscapeWhereverItSitsInALongString) {
  for (const char special : {'"', '\\', '\n', '\x1f', '\x00'}) {
    for (std::size_t at = 0; at < 40; ++at) {  // in the first or second 16-byte block, or the tail
      std::string s(39, 'a');
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), special);
      s += "\xC3\xA9 \x7f ~";  // non-ASCII, DEL and printable ASCII stay as they are
      std::string out;
      json_writer(out).value(s);
      EXPECT_EQ(out, json::serialize(json::value(json::string(s)))) << at;
    }
  }
}

TEST(JsonWriterTest, FindsEveryByteToEscapeInShortStringsAndTails) {
  // Strings of every length up to 40 (all short of one 16-byte block, one block and a tail, two
  // blocks and a tail), with the bytes to escape at every pair of positions.
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t first = 0; first < length; ++first) {
      for (std::size_t second = first; second < length; second += 3) {
        std::string s(length, 'x');
        s[first] = '"';
        s[second] = second == first ? '"' : '\x01';
        std::string out;
        json_writer(out).value(s);
        ASSERT_EQ(out, json::serialize(json::value(json::string(s)))) << length << " " << first << " " << second;
      }
      std::string plain(length, 'y');
      std::string out;
      json_writer(out).value(plain);
      ASSERT_EQ(out, '"' + plain + '"');
    }
  }
}

TEST(JsonWriterTest, StringsOfEveryPathAreWhatBoostWrites) {
  // Under 16 bytes, up to a quarter of the buffer (256), longer: each with a byte to escape at
  // every position and with none, after every offset into the writer's buffer (so that the room
  // a string asks for runs past its end and the buffer is flushed first).
  for (const std::size_t length : {15, 16, 17, 31, 33, 100, 255, 256, 257, 300}) {
    for (std::size_t at = 0; at <= length; ++at) {  // `length`: none to escape
      std::string s(length, 'q');
      if (at < length) s[at] = at % 2 ? '\n' : '"';
      for (const std::size_t before : {0, 700, 1000, 1010}) {
        const std::string pad(before, 'p');
        std::string out;
        json_writer(out).begin_array().value(pad).value(s).end_array();
        ASSERT_EQ(out, json::serialize(json::array{json::string(pad), json::string(s)})) << length << " " << at << " " << before;
      }
    }
  }
}

TEST(JsonWriterTest, NestsSixtyFourDeepAndRefusesDeeper) {
  std::string out;
  {
    json_writer w(out);
    for (int i = 0; i < 64; ++i) w.begin_array();
    for (int i = 0; i < 64; ++i) w.end_array();
  }
  EXPECT_EQ(out, std::string(64, '[') + std::string(64, ']'));
  json_writer w(out);
  for (int i = 0; i < 64; ++i) w.begin_array();
  EXPECT_THROW(w.begin_array(), std::length_error);
}

TEST(JsonWriterTest, DocumentsMatchBoostsSerialization) {
  json::object expected{{"id", "story-1"},
                        {"version", 3},
                        {"empty", json::array{}},
                        {"list", json::array{1, -2, 3.5, 1e5, 0.694, nullptr, true, "x"}},
                        {"nested", json::object{{"a", json::object{}}, {"b", json::array{}}}}};
  // (json::array{json::array{}} would be a copy under some compilers, not a nested array.)
  expected["nested"].as_object()["b"].as_array().push_back(json::array{});
  std::string out;
  json_writer w(out);
  w.begin_object().key("id").value("story-1").key("version").value(std::uint64_t{3});
  w.key("empty").begin_array().end_array();
  w.key("list").begin_array().value(1).value(-2).value(3.5).value(1e5).value(0.694).null().value(true).value("x");
  w.end_array();
  w.key("nested").begin_object().key("a").begin_object().end_object();
  w.key("b").begin_array().begin_array().end_array().end_array().end_object();
  w.end_object();
  EXPECT_EQ(out, json::serialize(expected));
}

// key() writes the comma, the name and the colon in one go through a small buffer; a name longer
// than that buffer takes the general path, and both write the same text.
TEST(JsonWriterTest, LongAndShortMemberNamesAlike) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("a").value(1);
  w.key("a member name far longer than the sixty-four bytes the writer keeps on its stack").value(2);
  w.key("b").begin_array().begin_object().key("c").value(3).end_object().end_array().end_object();
  json::object expected{{"a", 1}, {"a member name far longer than the sixty-four bytes the writer keeps on its stack", 2}};
  expected["b"] = json::array{json::object{{"c", 3}}};
  EXPECT_EQ(out, json::serialize(expected));
}

// Member names that are data (a source, an altid role) are escaped as values are; names written
// in the source are checked when compiling and copied.
TEST(JsonWriterTest, NamesThatAreDataAreEscapedAsBoostDoes) {
  for (const std::string& name : {std::string("plain"), std::string(""), std::string("a\"b\\c\nd\x01"),
                                  std::string("Le Monde \xE2\x80\x9C" "diplomatique\xE2\x80\x9D")}) {
    std::string out;
    json_writer(out).begin_object().key("id").value(1).name(name).value(2).end_object();
    json::object expected{{"id", 1}};
    expected[name] = 2;
    EXPECT_EQ(out, json::serialize(expected)) << name;
  }
}

TEST(JsonWriterTest, DoublesAreWhatBoostWrites) {
  std::vector<double> values{0.0, -0.0, 1.0, -1.0, 0.1, 1e5, 1e-5, 100000, 110000, 0.694, 500e6, 1e21, 1e22,
                             1e-7, 123456789012345680.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                             std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);  // any bit pattern: every exponent, subnormals, NaNs
    values.push_back(d);
    values.push_back(static_cast<double>(rng() % 2000000) / 1000);  // figures and similarities
    values.push_back(static_cast<double>(static_cast<std::int64_t>(rng() % 20000000000) - 10000000000));
  }
  for (const double d : values) {
    std::string out;
    json_writer(out).value(d);
    ASSERT_EQ(out, json::serialize(json::value(d))) << d;
  }
}

TEST(JsonWriterTest, QuantitiesAreIntegersWhenWhole) {
  const auto number = [](double d) {
    std::string out;
    json_writer(out).number(d);
    return out;
  };
  EXPECT_EQ(number(100000), "100000");
  EXPECT_EQ(number(-3), "-3");
  EXPECT_EQ(number(0), "0");
  EXPECT_EQ(number(500e6), "500000000");
  EXPECT_EQ(number(2.5), "2.5E0");  // else what value(double) writes
  EXPECT_EQ(number(1e16), "1E16");  // beyond the exact integers of a double
  EXPECT_EQ(number(std::numeric_limits<double>::quiet_NaN()), json::serialize(json::value(std::nan(""))));
}

TEST(JsonWriterTest, ContinuesAnObjectAnotherWriterLeftOpen) {
  std::string out;
  {
    json_writer w(out);
    w.begin_object().key("a").value(1);
    w.flush();  // the object is open: nothing reaches `out` before (see OutputArrivesWhen...)
  }
  json_writer(out).continue_object().key("b").shortest(0.1).end_object();
  EXPECT_EQ(out, R"({"a":1,"b":0.1})");
}

TEST(JsonWriterTest, NumberArraysAreWhatOneValuePerNumberWrites) {
  for (const std::size_t n : {0, 1, 15, 16, 17, 40}) {
    std::vector<std::uint32_t> xs;
    for (std::size_t i = 0; i < n; ++i) xs.push_back(i % 3 == 0 ? 4294967295U : static_cast<std::uint32_t>(i * 7919));
    std::string fast, slow;
    json_writer(fast).begin_object().key("a").numbers(xs).key("b").numbers(xs).end_object();
    json_writer w(slow);
    w.begin_object();
    for (const char* k : {"a", "b"}) {
      w.name(k).begin_array();
      for (const auto x : xs) w.value(x);
      w.end_array();
    }
    w.end_object();
    EXPECT_EQ(fast, slow) << n;
  }
}

// The writer's own buffer fills and empties many times over, with pieces short and long (strings
// that go straight to the output, escapes across the buffer's end): the text is Boost.JSON's.
TEST(JsonWriterTest, LongDocumentsThroughTheBufferMatchBoost) {
  std::mt19937 random(7);
  json::array expected;
  std::string out;
  {
    json_writer w(out);
    w.begin_array();
    for (int i = 0; i < 2000; ++i) {
      std::string s(random() % 700, 'x');
      for (auto& c : s) c = static_cast<char>(random() % 8 == 0 ? random() % 0x30 : 'a' + random() % 26);
      const auto n = static_cast<std::uint64_t>(random());
      const double d = static_cast<double>(random() % 100000) / 7;
      w.begin_object().key("s").value(s).key("n").value(n).key("d").value(d).end_object();
      std::vector<std::uint32_t> xs(random() % 100, static_cast<std::uint32_t>(i));
      w.base64(xs);
      expected.push_back(json::object{{"s", s}, {"n", n}, {"d", d}});
      expected.push_back(json::string(base64_u32(xs)));
    }
    w.end_array();
  }
  EXPECT_EQ(out, json::serialize(expected));
}

// What is written reaches the string when the outermost value is complete (a scalar, or the
// outermost object or array closed), or on flush() with it open, whenever the writer goes away.
TEST(JsonWriterTest, OutputArrivesWhenTheValueClosesOrOnFlush) {
  std::string scalar;
  json_writer(scalar).value("x");
  EXPECT_EQ(scalar, R"("x")");
  std::string closed;
  json_writer(closed).begin_object().key("a").value(1).end_object();  // key(): clang 14 keeps the writer
  EXPECT_EQ(closed, R"({"a":1})");
  std::string out;
  json_writer w(out);
  w.begin_object().key("a").begin_array().value(1);
  EXPECT_EQ(out, "");
  w.flush();
  EXPECT_EQ(out, R"({"a":[1)");
  w.end_array().end_object();
  EXPECT_EQ(out, R"({"a":[1]})");
}

TEST(JsonWriterTest, Base64IsWhatValueOfTheBase64StringWrites) {
  std::mt19937 random(5);
  for (std::size_t n = 0; n < 40; ++n) {
    std::vector<std::uint32_t> xs(n);
    for (auto& x : xs) x = static_cast<std::uint32_t>(random());
    std::string fast, slow;
    json_writer(fast).begin_array().base64(xs).base64(xs).end_array();
    json_writer(slow).begin_array().value(base64_u32(xs)).value(base64_u32(xs)).end_array();
    EXPECT_EQ(fast, slow) << n;
  }
}

}  // namespace
}  // namespace wirefeed

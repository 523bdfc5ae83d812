#include "pipeline/checkpoint.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "pipeline/changelog_json.h"
#include "pipeline/json_writer.h"

namespace wirefeed {
namespace {

constexpr std::size_t learner_part_slots = 4096;  // 32 words each: 128 KiB, 175 KB as base64

}  // namespace

void write_sketch_parts(const df_sketch& df, std::uint64_t articles, std::string_view key_prefix,
                        std::vector<output_record>& out) {
  const auto& counters = df.counters();
  for (std::size_t from = 0, part = 0; from < counters.size(); from += sketch_part_counters, ++part) {
    const std::size_t end = std::min(counters.size(), from + sketch_part_counters);
    std::string value;
    value.reserve((end - from) * 3 + 128);
    json_writer w(value);
    w.begin_object().key("size").value(counters.size()).key("from").value(from);
    w.key("documents").shortest(df.documents()).key("since_halving").value(df.since_halving());
    w.key("articles").value(articles);
    w.key("counters").numbers(std::vector<std::uint32_t>(counters.begin() + static_cast<std::ptrdiff_t>(from),
                                                          counters.begin() + static_cast<std::ptrdiff_t>(end)));
    w.end_object();
    out.push_back(output_record{output_kind::changelog, std::string(key_prefix) + std::to_string(part), std::move(value), {}});
  }
}

result<std::optional<sketch_part>> parse_sketch_part(std::string_view json, std::size_t sketch_size) {
  try {
    const simdjson::dom::object o = parse_object(json);
    if (unsigned_of<std::uint64_t>(o["size"]) != sketch_size) return std::optional<sketch_part>();
    sketch_part part;
    part.from = unsigned_of<std::size_t>(o["from"]);
    if (simdjson::dom::element n; o.at_key("articles").get(n) == simdjson::SUCCESS) part.articles = unsigned_of<std::uint64_t>(n);
    part.counters = hash_values(o["counters"]);
    part.documents = double(o["documents"]);
    part.since_halving = unsigned_of<std::uint64_t>(o["since_halving"]);
    if (part.from % sketch_part_counters != 0 || part.from >= sketch_size ||
        part.counters.size() != std::min(sketch_part_counters, sketch_size - part.from) || !(part.documents >= 0)) {
      throw std::invalid_argument("counters outside the sketch");
    }
    return std::optional<sketch_part>(std::move(part));
  } catch (const std::exception& e) {
    return stage_error{"checkpoint", "bad_changelog_record", std::string("document frequencies do not parse: ") + e.what()};
  }
}

bool restore_sketch_part(df_sketch& df, const sketch_part& part) {
  return df.restore(part.from, part.counters, part.documents, part.since_halving);
}

void write_learner_parts(const boilerplate_learner& learner, std::uint64_t articles, std::vector<output_record>& out) {
  const std::size_t capacity = learner.capacity();
  for (std::size_t from = 0, part = 0; from < capacity; from += learner_part_slots, ++part) {
    const std::size_t count = std::min(capacity - from, learner_part_slots);
    std::string value;
    json_writer(value)
        .begin_object()
        .key("capacity")
        .value(capacity)
        .key("from")
        .value(from)
        .key("clock")
        .value(learner.clock())
        .key("articles")
        .value(articles)
        .key("slots")
        .base64(learner.slot_words(from, count))
        .end_object();
    out.push_back(output_record{output_kind::changelog, std::string(learner_key_prefix) + std::to_string(part), std::move(value), {}});
  }
}

result<part_restored> restore_learner_part(boilerplate_learner& learner, std::string_view json) {
  try {
    const simdjson::dom::object o = parse_object(json);
    if (unsigned_of<std::uint64_t>(o["capacity"]) != learner.capacity()) return part_restored::skipped;
    if (!learner.restore_slots(unsigned_of<std::size_t>(o["from"]), hash_values(o["slots"]), unsigned_of<std::uint64_t>(o["clock"]))) {
      throw std::invalid_argument("slots outside the table");
    }
    return part_restored::taken;
  } catch (const std::exception& e) {
    return stage_error{"checkpoint", "bad_changelog_record", std::string("learned boilerplate does not parse: ") + e.what()};
  }
}

}  // namespace wirefeed

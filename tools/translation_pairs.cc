// wirefeed-translation-pairs: the cluster stage's translation test (name_anchors.h,
// anchor_alignment) on pairs of articles, for evaluation. Each article goes through decode,
// normalize and extract as the daemon runs them; every pair is then held against the other as the
// stage holds an article against a member in another language, whatever their languages.
//
//   wirefeed-translation-pairs FILE...
//       every pair of the articles (raw text, ninjs or JSON files, as `wirefeed process` reads one)
//   wirefeed-translation-pairs --labels LABELS [--enriched OUT] ARTICLES.ndjson
//       every pair of one topic (the event label up to its '_', ECB+'s way): how many pass, among
//       pairs of one event and of the topic's two events; with OUT (`wirefeed process` output of
//       the same articles), the same-event pairs split by whether the stage found them copies of
//       one text (the same duplicate_of, or one the other's)
//
// Prints each pair that passes (and with --all every pair): paired, length_sd, the two names.
#include <boost/json.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "pipeline/chain.h"
#include "pipeline/name_anchors.h"
#include "pipeline/probe.h"
#include "pipeline/record.h"

namespace json = boost::json;
using namespace wirefeed;

namespace {

struct item {
  std::string name;   // file name or uri
  std::string topic;  // label up to '_'; empty without labels
  std::string event;
  std::string language;
  std::vector<anchored_paragraph> paragraphs;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, std::string> read_tsv(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (const auto tab = line.find('\t'); tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

// uri -> the first article of its text, from `wirefeed process` output.
std::map<std::string, std::string> copy_roots(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const json::object o = json::parse(line).as_object();
    const std::string uri(o.at("uri").as_string());
    const auto& dup = o.at("wirefeed").at("duplicate_of");
    out[uri] = dup.is_null() ? uri : std::string(dup.as_string());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The cluster stage's translation test on pairs of articles (evaluation)."};
  std::vector<std::string> inputs;
  std::string labels_path, enriched_path, model = WIREFEED_NER_MODEL;
  bool all = false;
  app.add_option("inputs", inputs, "articles: files, or one NDJSON file with --labels")->required();
  app.add_option("--labels", labels_path, "uri<TAB>event: pairs within a topic only, and a summary");
  app.add_option("--enriched", enriched_path, "`wirefeed process` output of the same articles (with --labels)");
  app.add_option("--model", model, "NER model")->capture_default_str();
  app.add_flag("--all", all, "print every pair, not only those that pass");
  CLI11_PARSE(app, argc, argv);

  cfg::config config;
  config.extract.ner_model = model;
  probe p;
  chain stages(config, p);
  const auto labels = labels_path.empty() ? std::map<std::string, std::string>{} : read_tsv(labels_path);
  std::vector<item> items;
  std::int64_t off = 0;
  const auto add = [&](const std::string& name, std::string value) {
    input_record r;
    r.tp = {"wire.raw", partition_id{0}};
    r.off = offset{off++};
    r.value = std::move(value);
    auto a = stages.run_parallel(r);
    if (!a) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), a.error().message.c_str());
      return;
    }
    item it{name, "", "", a->language, paragraph_anchors(a->body, a->paragraphs)};
    if (const auto l = labels.find(name); l != labels.end()) {
      it.event = l->second;
      it.topic = it.event.substr(0, it.event.find('_'));
    }
    items.push_back(std::move(it));
  };
  for (const auto& path : inputs) {
    if (labels_path.empty()) {
      add(path.substr(path.rfind('/') + 1), read_file(path));
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) add(std::string(json::parse(line).at("uri").as_string()), line);
    }
  }
  const auto roots = enriched_path.empty() ? std::map<std::string, std::string>{} : copy_roots(enriched_path);

  // pairs and passing, by kind
  std::map<std::string, std::pair<std::size_t, std::size_t>> counts;
  std::size_t compared = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (std::size_t j = i + 1; j < items.size(); ++j) {
      if (!labels.empty() && (items[i].topic.empty() || items[i].topic != items[j].topic)) continue;
      const anchor_match m = anchor_alignment(items[j].paragraphs, items[i].paragraphs);
      ++compared;
      std::string kind = "pairs";
      if (!labels.empty()) {
        kind = items[i].event == items[j].event ? "same event" : "the topic's other event";
        if (!roots.empty() && kind == "same event") {
          const bool copies = roots.count(items[i].name) && roots.at(items[i].name) == roots.at(items[j].name);
          kind += copies ? ", copies of one text" : ", not copies";
        }
      }
      auto& c = counts[kind];
      ++c.first;
      c.second += m.translation();
      if (all || m.translation()) {
        std::printf("%.3f %.3f %s %s (%s/%s)%s\n", m.paired, m.length_sd, items[i].name.c_str(), items[j].name.c_str(),
                    items[i].language.c_str(), items[j].language.c_str(), m.translation() ? " translation" : "");
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("\n%-45s %8s %8s\n", "pairs", "compared", "pass");
  for (const auto& [kind, c] : counts) std::printf("%-45s %8zu %8zu\n", kind.c_str(), c.first, c.second);
  std::printf("%.1f us per pair\n", compared ? seconds * 1e6 / static_cast<double>(compared) : 0.0);
  return 0;
}

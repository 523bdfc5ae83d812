#include "pipeline/extract.h"

#include <algorithm>

#include "pipeline/extract_context.h"
#include "pipeline/language_id.h"
#include "pipeline/minhash.h"
#include "pipeline/name_anchors.h"
#include "pipeline/ner/feature_hash.h"

namespace wirefeed {
namespace {

bool overlap(text_span x, text_span y) { return x.begin < y.end && y.begin < x.end; }

// The dateline ("ST. PETERSBURG, Russia (AP) —") is read by normalize, not by the tagger: the
// tagger's mentions in it go ("ST" an organisation, "Washington" a person, "Feb 6", the agency,
// which filed the story and is not in it) and its place and region are places.
std::vector<entity_mention> with_dateline_places(const extract_context& c, const dateline_info& d,
                                                 std::vector<entity_mention> mentions) {
  std::erase_if(mentions, [&](const entity_mention& m) { return overlap(c.span(m.tokens), d.text); });
  for (const text_span named : {d.place_text, d.region_text}) {
    if (named.size() == 0) continue;
    token_range r{c.size(), c.size()};
    for (std::uint32_t i = 0; i < c.size() && c.doc().tokens[i].text.begin < named.end; ++i) {
      if (!overlap(c.doc().tokens[i].text, named)) continue;
      if (r.begin == c.size()) r.begin = i;
      r.end = i + 1;
    }
    if (!r.empty()) mentions.push_back(entity_mention{r, ner::entity_type::loc});
  }
  std::ranges::sort(mentions, {}, [](const entity_mention& m) { return m.tokens.begin; });
  return mentions;
}

// A place named only in the dateline, by the name the dateline reads ("Kyiv" of "KYIV, Ukraine",
// "São Paulo" of "SÃO PAULO"), as the same place named in the text would be.
void name_dateline_place(const dateline_info& d, std::vector<entity>& entities) {
  if (d.place_text.size() == 0) return;
  const std::string_view place = std::string_view(d.place).substr(0, d.place.find(','));
  for (entity& e : entities) {
    const bool in_dateline = std::ranges::all_of(e.mentions, [&](const text_span& m) {
      return m.begin >= d.text.begin && m.end <= d.text.end;
    });
    if (in_dateline && e.kind == entity_kind::place &&
        std::ranges::any_of(e.mentions, [&](const text_span& m) { return overlap(m, d.place_text); })) {
      e.name = std::string(place);
    }
  }
}

}  // namespace

extractor::extractor(std::shared_ptr<const ner::tagger> tagger)
    : tagger_(std::move(tagger)),
      entities_(tagger_),
      canonicalizer_(tagger_ ? &tagger_->weights().gazetteer_lists() : nullptr) {}

result<extractor> extractor::create(const std::string& ner_model_path) {
  auto loaded = ner::tagger::load(ner_model_path);
  if (!loaded.ok()) {
    stage_error e = loaded.error();
    e.stage = "extract";
    e.message = "extract.ner_model: " + e.message;
    return e;
  }
  return extractor(std::make_shared<const ner::tagger>(std::move(loaded.value())));
}

status extractor::process(article& a) const {
  a.entities.clear();
  a.quotes.clear();
  a.figures.clear();
  a.dates.clear();
  a.terms.clear();
  a.keywords.clear();
  a.minhash.clear();
  a.simhash.reset();
  a.paragraph_words.clear();
  a.anchors.clear();
  a.paragraph_anchors.clear();
  // Also for a headline alone (a flash whose body comes in its next version).
  a.content_key = std::max<std::uint64_t>(ner::hash_bytes(a.body, ner::hash_bytes(a.headline)), 1);
  if (a.tokens.empty()) return ok_status();

  extract_context c(a);
  if (english_or_unknown(a.language)) {
    if (tagger_) {
      std::vector<entity_mention> mentions = entities_.find(c);
      if (a.dateline) mentions = with_dateline_places(c, *a.dateline, std::move(mentions));
      c.set_mentions(std::move(mentions));
      a.entities = canonicalizer_.group(c);
      if (a.dateline) name_dateline_place(*a.dateline, a.entities);
    }
    a.dates = dates_.find(c);
    a.figures = figures_.find(c);
    a.quotes = quotes_.find(c, a.entities);
  } else {
    a.dates = dates_.find(c);  // numeric ones, and the day first with a month's name
  }
  a.terms = terms_.count(c);
  auto fp = minhash::of(a);
  a.minhash = std::move(fp.signature);
  a.simhash = fp.simhash;
  a.paragraph_words = std::move(fp.paragraphs);
  a.anchors = name_anchors(a.headline, a.body);
  a.paragraph_anchors = paragraph_anchors(a.body, a.paragraphs);
  return ok_status();
}

}  // namespace wirefeed

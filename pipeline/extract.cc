#include "pipeline/extract.h"

#include <algorithm>
#include <cctype>

#include "pipeline/extract_context.h"
#include "pipeline/language_id.h"
#include "pipeline/minhash.h"
#include "pipeline/name_anchors.h"
#include "pipeline/ner/feature_hash.h"

namespace wirefeed {

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
  // Also for a headline alone (a flash whose body comes in its next version).
  a.content_key = std::max<std::uint64_t>(ner::hash_bytes(a.body, ner::hash_bytes(a.headline)), 1);
  if (a.tokens.empty()) return ok_status();

  extract_context c(a);
  if (english_or_unknown(a.language)) {
    if (tagger_) {
      std::vector<entity_mention> mentions = entities_.find(c);
      // The agency of the dateline ("KYIV, Ukraine (AP) —") filed the story; it is not in it, and
      // would be an organisation of every story it files.
      if (a.dateline && !a.dateline->agency.empty()) {
        std::erase_if(mentions, [&](const entity_mention& m) {
          const text_span at = c.span(m.tokens);
          return at.begin >= a.dateline->text.begin && at.end <= a.dateline->text.end &&
                 c.span_text(m.tokens) == a.dateline->agency;
        });
      }
      c.set_mentions(std::move(mentions));
      a.entities = canonicalizer_.group(c);
      // A place named only in the dateline, in capitals ("KYIV, Ukraine (AP) —"), by the name the
      // dateline reads ("Kyiv"), as the same place named in the text would be.
      if (a.dateline && !a.dateline->place.empty()) {
        const std::string_view place = std::string_view(a.dateline->place).substr(0, a.dateline->place.find(','));
        for (entity& e : a.entities) {
          const bool in_dateline = std::ranges::all_of(e.mentions, [&](const text_span& m) {
            return m.begin >= a.dateline->text.begin && m.end <= a.dateline->text.end;
          });
          if (in_dateline && e.name != place && e.name.size() == place.size() &&
              std::equal(place.begin(), place.end(), e.name.begin(), [](char x, char y) {
                return std::toupper(static_cast<unsigned char>(x)) == static_cast<unsigned char>(y);
              })) {
            e.name = std::string(place);
          }
        }
      }
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
  return ok_status();
}

}  // namespace wirefeed

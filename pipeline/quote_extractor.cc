#include "pipeline/quote_extractor.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <string>

#include "pipeline/utf8_cursor.h"
#include "pipeline/extract_lexicon.h"
#include "pipeline/name_gender.h"
#include "pipeline/text_fold.h"
#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

// Words between a speaker and the verb: "Sullivan also said", "Putin has said".
const word_set& before_verb_skips() {
  static const word_set s{"also",       "then",      "later",      "again",     "once",     "previously",
                          "repeatedly", "reportedly", "publicly",  "privately", "separately", "recently",
                          "earlier",    "has",       "have",       "had",       "was",      "is",
                          "would",      "will",      "further",    "simply",    "flatly",   "bluntly",
                          "firmly",     "had",       "has",        "quickly",   "initially", "himself",
                          "herself",    "themselves", "itself",    "last",      "on",       "monday",
                          "tuesday",    "wednesday", "thursday",   "friday",    "saturday", "sunday",
                          "yesterday",  "today",     "'s"};
  return s;
}

const word_set& determiners() {
  static const word_set s{"the", "a", "an", "one", "another", "his", "her", "their", "its", "our"};
  return s;
}

bool is_pronoun(std::string_view f) { return f == "he" || f == "she" || f == "they" || f == "we" || f == "i"; }
bool is_dash(std::string_view f) { return f == "-" || f == "--" || f == "---"; }

// What the text names as the speaker.
struct speaker_ref {
  std::int32_t entity = -1;
  std::string text;  // as written, when not an entity
  std::optional<text_span> span;
  std::string verb;
  attribution how = attribution::none;
  bool pronoun = false;
  bool found() const { return entity >= 0 || !text.empty(); }
};

// One pair of quotation marks (token indices). `close` is one past the content: the closing
// mark, or the end of the paragraph for a quote that runs on.
struct mark_pair {
  std::uint32_t open = 0;
  std::uint32_t close = 0;
  bool runs_on = false;
};

class finder {
 public:
  finder(const extract_context& c, const std::vector<entity>& entities)
      : c_(c), entities_(entities), close_of_(c.size(), -1), open_of_(c.size(), -1), quoted_(c.size(), false) {}

  // Tokens, marks and mentions visited: what quote_extractor::find reports as its work.
  std::uint64_t steps() const { return steps_; }

  std::vector<quote> run() {
    pair_marks();
    for (const mark_pair& p : pairs_) {
      close_of_[p.open] = static_cast<std::int32_t>(p.close);
      if (!p.runs_on) open_of_[p.close] = static_cast<std::int32_t>(p.open);
      const std::uint32_t last = p.runs_on ? p.close : p.close + 1;
      for (std::uint32_t i = p.open; i < last && i < c_.size(); ++i, ++steps_) quoted_[i] = true;
    }
    link_quote_runs();
    collect_events();

    std::vector<quote> out;
    std::vector<std::uint32_t> open_token, close_token;  // per quote, its marks
    std::vector<bool> runs_on, whole_paragraph;
    for (const mark_pair& p : pairs_) {
      token_range content{p.open + 1, p.close};
      while (!content.empty() && c_.is(content.end - 1, ",")) --content.end;
      if (content.empty() || is_title(content)) continue;
      quote q;
      q.partial = is_partial(p.open, content);
      // A fragment leaves the writer's full stop out: “decisive.” -> decisive
      if (q.partial && content.size() > 1 && c_.is(content.end - 1, ".")) --content.end;
      q.text = c_.span(content);
      speaker_ref s = after_quote(p);
      if (!s.found()) s = before_quote(p.open);
      apply(q, s);
      out.push_back(std::move(q));
      open_token.push_back(p.open);
      close_token.push_back(p.close);
      runs_on.push_back(p.runs_on);
      whole_paragraph.push_back(!p.runs_on && starts_paragraph(p.open) && ends_paragraph(p.close));
    }

    // Pronouns, descriptions and continuations, in body order.
    for (std::size_t k = 0; k < out.size(); ++k) {
      quote& q = out[k];
      const std::uint32_t open = open_token[k];
      if (q.how == attribution::pronoun) {
        resolve_pronoun(q, open);
      } else if (q.how == attribution::direct && !q.speaker && !q.speaker_text.empty()) {
        resolve_description(q, open);
      }
      if (q.how == attribution::none && k > 0) {
        const quote& prev = out[k - 1];
        const std::uint32_t prev_open = open_token[k - 1];
        const bool same_paragraph = c_.paragraph_of(prev_open) == c_.paragraph_of(open);
        const bool next_paragraph = c_.paragraph_of(prev_open) + 1 == c_.paragraph_of(open);
        const bool run_on = runs_on[k - 1] && next_paragraph && starts_paragraph(open);
        // A paragraph that is all quote, with no attribution, right after a paragraph that ends
        // with the sentence of its last quote, a whole one, attributed: the wire convention for
        // the same speaker going on (a new speaker is named at once). Not after "..., Mary Jones
        // disagreed:" or "Jones replied in a statement.", a sentence after the quote's.
        const bool goes_on = whole_paragraph[k] && next_paragraph && !runs_on[k - 1] && !prev.partial && open > 0 &&
                             c_.sentence_of(close_token[k - 1]) == c_.sentence_of(open - 1) && !c_.is(open - 1, ":");
        if ((same_paragraph || run_on || goes_on) && prev.how != attribution::none) {
          q.speaker = prev.speaker;
          q.speaker_text = prev.speaker_text;
          q.speaker_span.reset();
          q.verb = prev.verb;
          q.how = attribution::continuation;
        }
      }
    }
    // A quote running on into the next paragraph, attributed only there.
    for (std::size_t k = out.size(); k-- > 1;) {
      quote& q = out[k - 1];
      const quote& next = out[k];
      if (q.how != attribution::none || !runs_on[k - 1] || next.how == attribution::none) continue;
      if (c_.paragraph_of(open_token[k]) != c_.paragraph_of(open_token[k - 1]) + 1 ||
          !starts_paragraph(open_token[k])) {
        continue;
      }
      q.speaker = next.speaker;
      q.speaker_text = next.speaker_text;
      q.verb = next.verb;
      q.how = attribution::continuation;
    }
    return out;
  }

 private:
  // Token i is the first of its paragraph (in constant time: quotes ask once each).
  bool starts_paragraph(std::uint32_t i) const { return i == 0 || c_.paragraph_of(i - 1) != c_.paragraph_of(i); }
  // Whether the closing mark at `close` ends its paragraph (a full stop after it read past).
  bool ends_paragraph(std::uint32_t close) const {
    std::uint32_t next = close + 1;
    if (next < c_.size() && c_.paragraph_of(next) == c_.paragraph_of(close) && c_.is(next, ".")) ++next;
    return next >= c_.size() || c_.paragraph_of(next) != c_.paragraph_of(close);
  }

  bool in_sentence(std::uint32_t i, std::uint32_t s) const { return i < c_.size() && c_.sentence_of(i) == s; }

  // ---- marks ----------------------------------------------------------------------------------

  static bool opens_before(std::string_view f) {
    return f == "(" || f == "[" || f == "{" || is_dash(f) || f == "\"" || f == "'" || f == ":";
  }
  static bool closes_after(std::string_view f) {
    return f == "." || f == "," || f == ";" || f == ":" || f == "!" || f == "?" || f == ")" || f == "]" ||
           f == "}" || f == "..." || is_dash(f) || f == "\"" || f == "'";
  }

  // The direction a typographic mark shows: +1 opening (“ ‘ „ «), -1 closing (” ’ »), 0 straight.
  int direction(std::uint32_t i) const {
    const std::string_view t = c_.text(i);
    std::size_t at = 0;
    if (t.empty()) return 0;
    switch (utf8::next(t, at)) {
      case U'\u201C': case U'\u2018': case U'\u201E': case U'\u00AB': return 1;
      case U'\u201D': case U'\u2019': case U'\u00BB': return -1;
      default: return 0;
    }
  }

  void pair_marks() {
    const std::uint32_t n = c_.size();
    std::int64_t open_double = -1, open_single = -1;
    for (std::uint32_t i = 0; i < n; ++i, ++steps_) {
      const bool last_of_paragraph = i + 1 == n || c_.paragraph_of(i + 1) != c_.paragraph_of(i);
      const std::string_view f = c_.folded(i);
      if (c_.is_punct(i) && (f == "\"" || f == "'")) {
        const bool prev_ok = c_.space_before(i) || i == 0 || c_.paragraph_of(i - 1) != c_.paragraph_of(i) ||
                             (c_.is_punct(i - 1) && opens_before(c_.folded(i - 1)));
        const bool next_ok = c_.space_after(i) || last_of_paragraph ||
                             (c_.is_punct(i + 1) && closes_after(c_.folded(i + 1)));
        const int dir = direction(i);
        const bool can_open = (prev_ok && !next_ok) || (dir > 0 && !(next_ok && !prev_ok));
        const bool can_close = (next_ok && !prev_ok) || (dir < 0 && !(prev_ok && !next_ok));
        if (f == "\"") {
          if (open_double < 0) {
            if (can_open || !can_close) open_double = i;
          } else if (can_close || !can_open) {
            pairs_.push_back({static_cast<std::uint32_t>(open_double), i, false});
            open_double = -1;
          } else {
            open_double = i;  // two openings: the first was not one
          }
        } else if (open_single < 0) {
          if (can_open && !next_ok) open_single = i;
        } else if (can_close && !prev_ok) {
          pairs_.push_back({static_cast<std::uint32_t>(open_single), i, false});
          open_single = -1;
        }
      }
      if (last_of_paragraph) {
        if (open_double >= 0 && i + 1 - static_cast<std::uint32_t>(open_double) > 3) {
          pairs_.push_back({static_cast<std::uint32_t>(open_double), i + 1, true});
        }
        open_double = open_single = -1;
      }
    }
    std::sort(pairs_.begin(), pairs_.end(), [](const mark_pair& a, const mark_pair& b) { return a.open < b.open; });
    // Single quotes inside a double-quoted span are quotes within the quote: not listed.
    std::vector<mark_pair> kept;
    std::uint32_t covered_until = 0;
    bool covering_double = false;
    for (const mark_pair& p : pairs_) {
      const bool single = c_.folded(p.open) == "'";
      if (single && covering_double && p.open < covered_until) continue;
      if (!single) {
        covered_until = p.close;
        covering_double = true;
      }
      kept.push_back(p);
    }
    pairs_ = std::move(kept);
  }

  // "Meet the Press", "Fox News Sunday", "APOCALYPTIC PREDICTIONS": a name or a headline.
  bool is_title(token_range r) const {
    static const word_set small{"the", "of", "and", "a", "an", "in", "on", "for", "to", "at", "by", "with"};
    std::uint32_t words = 0;
    for (std::uint32_t i = r.begin; i < r.end; ++i, ++steps_) {
      if (c_.is_punct(i)) {
        const std::string_view f = c_.folded(i);
        // A title ending its sentence keeps the sentence's full stop inside the marks (to direct
        // "The Hunger Games."): no sentence of its own.
        if ((f == "." || f == "?" || f == "!") && !(i + 1 == r.end && words >= 2)) return false;
        continue;
      }
      ++words;
      if (c_.capitalized(i) || c_.is_number(i)) continue;
      if (i == r.begin || !small.contains(c_.folded(i))) return false;
    }
    return words > 0 && words <= 10;
  }

  bool is_partial(std::uint32_t open, token_range content) const {
    const std::uint32_t first = content.begin;
    if (!c_.capitalized(first) && !c_.is_number(first) && !c_.is_punct(first)) return true;
    if (open == 0 || c_.sentence_of(open - 1) != c_.sentence_of(open)) return false;
    if (c_.paragraph_of(open - 1) != c_.paragraph_of(open)) return false;
    const std::string_view before = c_.folded(open - 1);
    if (before == "," || before == ":" || is_dash(before) || before == "(") return false;
    if (close_is_quote(open - 1)) return false;  // right after another quote
    return true;
  }

  bool close_is_quote(std::uint32_t i) const { return i < c_.size() && open_of_[i] >= 0; }

  // ---- speakers -------------------------------------------------------------------------------

  bool is_reporting_verb(std::uint32_t i) const {
    return i < c_.size() && c_.is_word(i) && !c_.capitalized(i) && extract_lexicon::is_reporting_verb(c_.folded(i));
  }
  bool is_according_to(std::uint32_t i) const { return c_.is(i, "according") && c_.is(i + 1, "to"); }

  void set_entity(speaker_ref& s, const entity_mention& m) const {
    s.entity = m.entity;
    s.span = c_.span(m.tokens);
  }
  bool speaker_entity(const entity_mention* m) const {
    if (m == nullptr || m->entity < 0 || static_cast<std::size_t>(m->entity) >= entities_.size()) return false;
    return entities_[static_cast<std::size_t>(m->entity)].kind != entity_kind::other;
  }

  // The speaker named from token k on: "Peskov", "the White House", "he", "the Russian leader".
  speaker_ref noun_phrase_after(std::uint32_t k, std::uint32_t sentence) const {
    speaker_ref s;
    if (!in_sentence(k, sentence)) return s;
    std::uint32_t at = k;
    if (determiners().contains(c_.folded(at)) && in_sentence(at + 1, sentence)) ++at;
    // A title first: "according to U.S. National Security Advisor Jake Sullivan" names Sullivan.
    for (std::uint32_t t = at; in_sentence(t, sentence) && t - at < 7; ++t) {
      const entity_mention* m = c_.mention_starting_at(t);
      if (m != nullptr && m->type == ner::entity_type::per && t > at && speaker_entity(m)) {
        set_entity(s, *m);
        s.how = attribution::direct;
        return s;
      }
      const std::string_view f = c_.folded(t);
      // "said resident Ahmet Kaya", "said farmer John Doe": one descriptive word before the name.
      const entity_mention* after = in_sentence(t + 1, sentence) ? c_.mention_starting_at(t + 1) : nullptr;
      const bool descriptor = t == at && c_.is_word(t) && after != nullptr && after->type == ner::entity_type::per &&
                              !extract_lexicon::is_stopword(f);
      const bool title_part = c_.mention_at[t] >= 0 || (c_.is_word(t) && c_.capitalized(t)) ||
                              extract_lexicon::is_title_word(f) || extract_lexicon::is_role_modifier(f) || descriptor;
      if (!title_part) break;
    }
    // "said Microsoft security response communications head Christopher Budd": an organisation
    // and the person's job before the person's name: the person speaks.
    // (A title word right before the name; not "said the Russian leader facing Macron".)
    if (const entity_mention* first = c_.mention_starting_at(at); first != nullptr && first->type == ner::entity_type::org) {
      for (std::uint32_t t = first->tokens.end; in_sentence(t, sentence) && t - at < 8 && c_.is_word(t); ++t) {
        if (const entity_mention* m = c_.mention_starting_at(t); m != nullptr) {
          if (m->type == ner::entity_type::per && speaker_entity(m) && extract_lexicon::is_title_word(c_.folded(t - 1))) {
            set_entity(s, *m);
            s.how = attribution::direct;
            return s;
          }
          break;
        }
        const std::string_view f = c_.folded(t);
        if (extract_lexicon::is_stopword(f) || is_reporting_verb(t) || f.ends_with("ing") || f.ends_with("ed")) break;
      }
    }
    if (const entity_mention* m = c_.mention_starting_at(at); speaker_entity(m)) {
      set_entity(s, *m);
      s.how = attribution::direct;
      return s;
    }
    if (is_pronoun(c_.folded(k))) {
      s.text = std::string(c_.text(k));
      s.span = c_.span({k, k + 1});
      s.pronoun = true;
      return s;
    }
    if (!determiners().contains(c_.folded(k)) && extract_lexicon::is_stopword(c_.folded(k))) return s;
    std::uint32_t end = k;
    while (in_sentence(end, sentence) && end - k < 5 && c_.is_word(end)) {
      const std::string_view f = c_.folded(end);
      if (end > k && (extract_lexicon::is_stopword(f) || f.ends_with("ing") || is_reporting_verb(end))) break;
      const entity_mention* m = c_.mention_starting_at(end);
      if (m != nullptr && m->type == ner::entity_type::per) break;
      ++end;
    }
    if (end > k + (determiners().contains(c_.folded(k)) ? 1u : 0u)) {
      s.text = std::string(c_.span_text({k, end}));
      s.span = c_.span({k, end});
    }
    return s;
  }

  // Whether the words right before token `k` (back to the sentence's `begin`, a punctuation mark
  // or six words) relate a role to someone: "a spokesman for", "the widow of", "an aide to".
  bool relation_before(std::uint32_t k, std::uint32_t begin) const {
    for (std::uint32_t t = k; t > begin && k - t < 6 && c_.is_word(t - 1); --t) {
      if (c_.is(t - 1, "of") || c_.is(t - 1, "for") || c_.is(t - 1, "to") || c_.is(t - 1, "with")) return true;
    }
    return false;
  }

  // Whether a noun phrase's last word names who can speak: a title ("official", "spokesman"), a
  // body ("police", "ministry") or a person's relation to an event ("witness", "neighbors").
  // `determined`: the phrase has a determiner or an owner ("the airline", "Zelenskyy's office"):
  // any noun but a few names who speaks; without, the words below do.
  static bool names_a_speaker(std::string_view head, bool determined) {
    static const word_set not_speakers{"wall", "unrest", "information", "final", "record", "records", "time", "day",
                                       "week", "year", "case", "game", "season", "contact", "way", "end", "moment",
                                       "evidence", "charges", "charge", "two-minute", "rest", "past", "future"};
    if (determined) return !not_speakers.contains(head);
    static const word_set speakers{
        "police", "authorities", "authority", "witness", "witnesses", "resident", "source", "expert", "investigator",
        "statement", "report", "family", "friend", "neighbor", "neighbour", "people", "ministry", "government",
        "company", "agency", "court", "department", "office", "group", "team", "club", "union", "parent", "mother",
        "father", "wife", "husband", "son", "daughter", "brother", "sister", "relative", "worker", "student",
        "teacher", "fan", "observer", "critic", "supporter", "opponent", "organizer", "organiser", "firefighter",
        "paramedic", "victim", "survivor", "member", "employee", "staff", "military", "army", "navy", "embassy",
        "council", "committee", "commission", "board", "party", "campaign", "administration", "kremlin", "palace",
        "spokespeople", "men", "women", "man", "woman", "official's", "officials'", "colleague", "partner", "player",
        "letter", "document", "filing", "complaint", "indictment", "affidavit", "release", "note", "post", "tweet",
        "mum", "mom", "dad", "paper", "newspaper", "coach", "chief", "staff", "crew", "clergy", "jury", "panel",
        "giant", "rep", "nephew", "niece", "blog", "website", "site", "firm", "bank", "newspaper's"};
    const std::string_view singular = head.size() > 3 && head.back() == 's' ? head.substr(0, head.size() - 1) : head;
    if (speakers.contains(head) || speakers.contains(singular) || extract_lexicon::is_title_word(head) ||
        extract_lexicon::is_title_word(singular)) {
      return true;
    }
    // An agent's or a maker's ending: "barber", "software maker", "director", "analyst"; not
    // "never", "however", "last quarter".
    static const word_set not_agents{"never",   "ever",    "however", "whatever", "other",   "another", "rather",
                                     "either",  "neither", "whether", "together", "later",   "after",   "order",
                                     "matter",  "number",  "quarter", "water",    "power",   "border",  "murder",
                                     "center",  "corner",  "summer",  "winter",   "october", "november", "december",
                                     "september", "event", "moment",  "comment",  "incident", "accident"};
    if (not_agents.contains(singular)) return false;
    for (const std::string_view end : {"er", "or", "ist", "ian", "ant", "ent", "man", "men", "ive"}) {
      if (singular.size() > end.size() + 2 && singular.ends_with(end)) return true;
    }
    return false;
  }

  // Titles of the churches, which the title words leave out: "Cardinal Pietro Parolin".
  static bool is_church_title(std::string_view folded) {
    return folded == "cardinal" || folded == "archbishop" || folded == "bishop" || folded == "rev." ||
           folded == "father" || folded == "rabbi" || folded == "imam" || folded == "pope" || folded == "patriarch";
  }

  // The subject of the verb at token v: the entity, pronoun or noun phrase right before it.
  speaker_ref subject_before(std::uint32_t v, std::uint32_t sentence) const {
    speaker_ref s;
    const std::uint32_t begin = c_.sentence(sentence).begin;
    std::uint32_t j = v;
    while (j > begin && before_verb_skips().contains(c_.folded(j - 1))) --j, ++steps_;
    if (j > begin && (c_.is(j - 1, ",") || is_dash(c_.folded(j - 1)))) {
      // "Macron, who travels to Ukraine on Tuesday, spoke": skip the clause back to its start.
      const std::string_view closing = c_.folded(j - 1);
      const std::uint32_t clause_end = j - 1;
      std::uint32_t k = j - 1;
      bool found = false;
      while (k > begin && j - k < 30) {
        --k;
        ++steps_;
        if (close_is_quote(k)) {
          k = static_cast<std::uint32_t>(open_of_[k]);
          continue;
        }
        if (c_.folded(k) == closing || (closing == "," && is_dash(c_.folded(k)))) {
          found = true;
          break;
        }
      }
      if (!found) return s;
      // "the Ukrainian foreign minister, Dmytro Kuleba, said": a clause that is a person's name
      // names the speaker the words before it describe. Not when they describe someone else's
      // ("a spokesman for the Russian president, Vladimir Putin, said").
      // A title may come first: "the Vatican's top diplomat, Cardinal Pietro Parolin, told".
      std::uint32_t name = k + 1;
      while (name < clause_end && name - k <= 3 && c_.mention_at[name] < 0 && c_.is_word(name) && c_.capitalized(name) &&
             (extract_lexicon::is_title_word(c_.folded(name)) || is_church_title(c_.folded(name)))) {
        ++name;
      }
      if (const entity_mention* m = c_.mention_starting_at(name);
          m != nullptr && m->type == ner::entity_type::per && m->tokens.end == clause_end && speaker_entity(m) &&
          !relation_before(k, begin)) {
        set_entity(s, *m);
        return s;
      }
      j = k;
    }
    if (j <= begin) return s;
    if (const entity_mention* m = c_.mention_ending_at(j); speaker_entity(m)) {
      const std::uint32_t b = m->tokens.begin;
      // "Sen. Joe Manchin of West Virginia said", "Mark Zandi of Moody's Analytics said": the person
      // before "of" speaks, not the place or the organisation after it.
      if (const entity_mention* p = b >= begin + 2 && c_.is(b - 1, "of") ? c_.mention_ending_at(b - 1) : nullptr;
          p != nullptr && p->type == ner::entity_type::per && speaker_entity(p)) {
        set_entity(s, *p);
        return s;
      }
      // "An advisor to Zelensky said": the name is inside the subject, not the subject.
      if (b >= begin + 2 && (c_.is(b - 1, "to") || c_.is(b - 1, "of") || c_.is(b - 1, "for")) && c_.is_word(b - 2) &&
          !c_.capitalized(b - 2) && !extract_lexicon::is_stopword(c_.folded(b - 2))) {
        std::uint32_t k = b - 2;
        while (k > begin && b - k < 5 && c_.is_word(k - 1) && !c_.is(k - 1, "and")) {
          --k;
          if (determiners().contains(c_.folded(k))) break;
        }
        s.text = std::string(c_.span_text({k, j}));
        s.span = c_.span({k, j});
        return s;
      }
      set_entity(s, *m);
      return s;
    }
    if (is_pronoun(c_.folded(j - 1))) {
      s.text = std::string(c_.text(j - 1));
      s.span = c_.span({j - 1, j});
      s.pronoun = true;
      return s;
    }
    // A name the tagger did not find: "Kremlin spokesman Dmitry Peskov" (capitalised words and
    // title words).
    if (c_.is_word(j - 1) && c_.capitalized(j - 1) && !extract_lexicon::is_stopword(c_.folded(j - 1))) {
      std::uint32_t k = j - 1;
      while (k > begin && j - k < 5 && c_.is_word(k - 1) && !extract_lexicon::is_stopword(c_.folded(k - 1)) &&
             (c_.capitalized(k - 1) || extract_lexicon::is_title_word(c_.folded(k - 1)))) {
        --k;
      }
      s.text = std::string(c_.span_text({k, j}));
      s.span = c_.span({k, j});
      return s;
    }
    // A noun phrase: "US officials", "the official", "a Kremlin spokesman", "the airline"; one that
    // names who can speak ("make contact, but LaSalle refused, saying" names no one).
    if (!c_.is_word(j - 1) || extract_lexicon::is_stopword(c_.folded(j - 1))) return s;
    std::uint32_t k = j - 1;
    bool determined = false;  // "the ...", "a ...", "Zelenskyy's ..."
    while (k > begin && j - k < 5) {
      const std::uint32_t p = k - 1;
      if (c_.mention_at[p] >= 0) {  // "US officials"
        k = p;
        continue;
      }
      // "Zelenskyy's office": the owner's name with its "'s".
      if (p > begin && (c_.is(p, "'s") || c_.is(p, "\u2019s")) && c_.mention_at[p - 1] >= 0) {
        k = p - 1;
        determined = true;
        continue;
      }
      if (!c_.is_word(p)) break;
      if (determiners().contains(c_.folded(p))) {
        k = p;
        determined = true;
        break;
      }
      if (extract_lexicon::is_stopword(c_.folded(p)) || is_reporting_verb(p)) break;
      k = p;
    }
    if (!names_a_speaker(c_.folded(j - 1), determined)) return s;
    s.text = std::string(c_.span_text({k, j}));
    s.span = c_.span({k, j});
    return s;
  }

  speaker_ref with_verb(speaker_ref s, std::uint32_t v) const {
    s.verb = is_according_to(v) ? "according to" : std::string(c_.folded(v));
    s.how = s.pronoun ? attribution::pronoun : attribution::direct;
    return s;
  }

  // 1. After the closing mark, in its sentence.
  speaker_ref after_quote(const mark_pair& p) const {
    if (p.runs_on || p.close >= c_.size()) return {};
    const std::uint32_t sentence = c_.sentence_of(p.close);
    std::uint32_t k = p.close + 1;
    while (in_sentence(k, sentence) && c_.is(k, ",")) ++k, ++steps_;
    std::uint32_t first = k;
    std::uint32_t seen = 0;
    while (in_sentence(k, sentence) && seen < 14) {
      ++steps_;
      if (close_of_[k] >= 0) {  // other quotes: skip them, and what follows them counts as first
        k = past_quotes_[k];
        first = k;
        continue;
      }
      if (is_according_to(k)) return with_verb(noun_phrase_after(k + 2, sentence), k);
      if (is_reporting_verb(k)) {
        // "..., adding that": a participle has the subject of the sentence, before the quote.
        if (k == first && c_.folded(k).ends_with("ing")) return {};
        if (k == first) return with_verb(noun_phrase_after(k + 1, sentence), k);
        speaker_ref s = subject_before(k, sentence);
        // The subject must lie between the quote and the verb.
        if (s.span && s.span->begin < c_.doc().tokens[first].text.begin) return {};
        return with_verb(std::move(s), k);
      }
      if (c_.is(k, ".") || c_.is(k, "?") || c_.is(k, "!")) break;
      ++k;
      ++seen;
    }
    return {};
  }

  // For each opening mark, where after_quote lands once it has skipped that quote and every quote
  // right after it (commas between skipped too): "“A”, “B”, “C” said X" lands on "said" from each
  // of the three. One pass from the end, so that a paragraph of n quotes costs n steps, not n².
  // Sentences are contiguous runs of tokens, so when the landing token is in the walk's sentence
  // every mark passed on the way is too, and when it is not the walk stops there either way.
  void link_quote_runs() {
    const std::uint32_t n = c_.size();
    past_quotes_.assign(n, 0);
    for (std::uint32_t i = n; i-- > 0;) {
      if (close_of_[i] < 0) continue;
      std::uint32_t k = static_cast<std::uint32_t>(close_of_[i]) + 1;
      while (k < n && c_.is(k, ",")) ++k, ++steps_;
      ++steps_;
      past_quotes_[i] = k < n && close_of_[k] >= 0 ? past_quotes_[k] : k;
    }
  }

  // 2. Before the opening mark, in its sentence.
  speaker_ref before_quote(std::uint32_t open) {
    const std::uint32_t sentence = c_.sentence_of(open);
    const std::uint32_t begin = c_.sentence(sentence).begin;
    bool verb_seen = false;
    std::uint32_t first_verb = open;
    for (std::uint32_t k = open; k > begin && open - k < 40;) {
      --k;
      ++steps_;
      if (close_is_quote(k)) {
        k = static_cast<std::uint32_t>(open_of_[k]);
        continue;
      }
      if (is_according_to(k)) return with_verb(noun_phrase_after(k + 2, sentence), k);
      if (!is_reporting_verb(k)) continue;
      if (!verb_seen) first_verb = k;
      verb_seen = true;
      speaker_ref s = subject_before(k, sentence);
      if (s.found()) {
        speaker_ref out = with_verb(std::move(s), k);
        out.verb = std::string(c_.folded(first_verb));
        return out;
      }
      // "said, adding that ...": a participle takes the subject of an earlier verb.
    }
    if (!verb_seen) return {};
    // The sentence's first person or organisation, if it comes before the verb.
    if (const entity_mention* m = first_speaker_of(sentence); m != nullptr && m->tokens.begin < first_verb) {
      speaker_ref s;
      set_entity(s, *m);
      return with_verb(std::move(s), first_verb);
    }
    return {};
  }

  // The first mention of a person or organisation in the sentence, or nullptr: looked up once per
  // sentence, however many quotes it holds.
  const entity_mention* first_speaker_of(std::uint32_t sentence) {
    if (first_speaker_.empty()) first_speaker_.assign(c_.sentences().size(), -2);
    std::int64_t& at = first_speaker_[sentence];
    if (at == -2) {
      at = -1;
      const token_range r = c_.sentence(sentence);
      for (std::uint32_t k = r.begin; k < r.end; ++k, ++steps_) {
        const entity_mention* m = c_.mention_starting_at(k);
        if (m != nullptr && speaker_entity(m) && m->type != ner::entity_type::loc) {
          at = k;
          break;
        }
      }
    }
    return at < 0 ? nullptr : c_.mention_starting_at(static_cast<std::uint32_t>(at));
  }

  void apply(quote& q, const speaker_ref& s) const {
    q.how = s.how;
    q.verb = s.verb;
    q.speaker_span = s.span;
    if (s.entity >= 0) {
      q.speaker = static_cast<std::uint32_t>(s.entity);
    } else {
      q.speaker_text = s.text;
    }
  }

  // ---- who spoke before: for "he" and "she" --------------------------------------------------

  struct event {
    std::uint32_t token;
    std::int32_t entity;
  };

  bool is_person(std::int32_t e) const {
    if (e < 0 || static_cast<std::size_t>(e) >= entities_.size()) return false;
    return entities_[static_cast<std::size_t>(e)].kind == entity_kind::person;
  }

  // A person reported as speaking: the subject of a reporting verb outside quotes, or named
  // right after one ("said Scholz").
  void collect_events() {
    for (std::uint32_t v = 0; v < c_.size(); ++v, ++steps_) {
      if (quoted_[v] || !is_reporting_verb(v)) continue;
      const std::uint32_t sentence = c_.sentence_of(v);
      // "Hillis added 101 yards", "added to the lead": no words said.
      const std::string_view verb = c_.folded(v);
      if ((verb == "added" || verb == "adds" || verb == "add") && v + 1 < c_.size() && c_.sentence_of(v + 1) == sentence &&
          (c_.is_number(v + 1) || c_.is(v + 1, "to"))) {
        continue;
      }
      speaker_ref s = subject_before(v, sentence);
      if (!s.found() || s.pronoun) s = noun_phrase_after(v + 1, sentence);
      if (is_person(s.entity)) events_.push_back({v, s.entity});
    }
  }

  void resolve_pronoun(quote& q, std::uint32_t open) {
    const std::string_view p = q.speaker_text;
    if (!(p == "he" || p == "He" || p == "she" || p == "She")) return;
    const std::uint32_t paragraph = c_.paragraph_of(open);
    ++steps_;
    std::int32_t best = -1;
    // The last event before the quote, if it is in the quote's paragraph or the three before
    // (paragraphs only grow with the token, so no earlier event can be closer). But a person
    // named in the quote's own paragraph, before it, with no event there, is who "he" is: `Senate
    // leader Mitch McConnell criticized the plan. "It is a mistake," he said.` (not the president
    // who "said" a paragraph earlier).
    const auto after = std::partition_point(events_.begin(), events_.end(),
                                            [open](const event& e) { return e.token < open; });
    const bool event_here = after != events_.begin() && c_.paragraph_of(std::prev(after)->token) == paragraph;
    if (const std::int32_t k = last_person_before(open);
        !event_here && k >= 0 && c_.paragraph_of(static_cast<std::uint32_t>(k)) == paragraph) {
      best = c_.entity_at(static_cast<std::uint32_t>(k));
    } else if (after != events_.begin() && c_.paragraph_of(std::prev(after)->token) + 3 >= paragraph) {
      best = std::prev(after)->entity;
    }
    if (best < 0) {
      // The last person mentioned in the paragraph or the one before.
      const std::int32_t k = last_person_before(open);
      if (k >= 0 && c_.paragraph_of(static_cast<std::uint32_t>(k)) + 1 >= paragraph) {
        best = c_.entity_at(static_cast<std::uint32_t>(k));
      }
    }
    // "She said" is no man's: the last person before the quote (in its paragraph or the three
    // before) whom the text does not make the other sex, or no one.
    const name_gender said = (p == "she" || p == "She") ? name_gender::female : name_gender::male;
    if (best >= 0 && other_sex(best, said)) {
      best = -1;
      for (std::uint32_t t = open; t-- > 0 && c_.paragraph_of(t) + 3 >= paragraph; ++steps_) {
        if (const std::int32_t e = c_.entity_at(t); is_person(e) && !other_sex(e, said)) {
          best = e;
          break;
        }
      }
    }
    if (best < 0) return;
    q.speaker = static_cast<std::uint32_t>(best);
    q.speaker_text.clear();
  }

  // Whether the text makes person `e` of the sex other than `said`: an honorific or a word of one
  // sex right before one of its mentions ("Mrs Palin", "his wife Deborra-Lee Furness"), else a
  // role of one sex ("spokeswoman", "King"), else the first of two or more names ("Sarah Palin";
  // name_gender.h). Worked out for every entity at once.
  bool other_sex(std::int32_t e, name_gender said) {
    if (sexes_.empty()) {
      static const word_set women{"mrs", "mrs.", "ms", "ms.", "miss", "madam", "madame", "mme", "dame", "lady",
                                  "spokeswoman", "chairwoman", "congresswoman", "businesswoman", "councilwoman",
                                  "policewoman", "actress", "queen", "princess", "duchess", "countess",
                                  "empress", "sportswoman", "anchorwoman", "wife", "mother", "daughter",
                                  "sister", "widow", "girlfriend", "grandmother", "aunt", "niece"};
      // Not "chairman", "spokesman" or "congressman": AP style gives them to women too ("Fed
      // Chairman Janet Yellen").
      static const word_set men{"mr", "mr.", "sir", "lord", "herr", "monsieur", "king", "prince", "duke", "emperor",
                                "husband", "father", "son", "brother", "widower", "boyfriend", "grandfather",
                                "uncle", "nephew"};
      const auto sex_of_word = [&](std::string_view w) {
        return women.contains(w) ? name_gender::female : men.contains(w) ? name_gender::male : name_gender::unknown;
      };
      sexes_.assign(entities_.size(), name_gender::unknown);
      // The word right before a mention: "Mrs Palin", "his wife Deborra-Lee Furness".
      for (std::uint32_t t = 1; t < c_.size(); ++t, ++steps_) {
        const std::int32_t e2 = c_.entity_at(t);
        if (!is_person(e2) || c_.entity_at(t - 1) == e2 || sexes_[static_cast<std::size_t>(e2)] != name_gender::unknown) {
          continue;
        }
        sexes_[static_cast<std::size_t>(e2)] = sex_of_word(c_.folded(t - 1));
      }
      for (std::size_t k = 0; k < entities_.size(); ++k) {
        if (sexes_[k] != name_gender::unknown || entities_[k].kind != entity_kind::person) continue;
        const std::string& role = entities_[k].role;
        sexes_[k] = sex_of_word(ascii_lower(std::string_view(role).substr(role.rfind(' ') + 1)));
        if (const std::string& name = entities_[k].name; sexes_[k] == name_gender::unknown && name.find(' ') != std::string::npos) {
          sexes_[k] = gender_of_first_name(std::string_view(name).substr(0, name.find(' ')));
        }
      }
    }
    const name_gender sex = sexes_[static_cast<std::size_t>(e)];
    return sex != name_gender::unknown && sex != said;
  }

  // The last token before `open` in a mention of a person, or -1. Quotes ask in body order, so a
  // cursor carried from one question to the next reads each token once per article.
  std::int32_t last_person_before(std::uint32_t open) {
    if (open < person_scan_) {  // asked out of order: start again
      person_scan_ = 0;
      last_person_ = -1;
    }
    for (; person_scan_ < open && person_scan_ < c_.size(); ++person_scan_, ++steps_) {
      if (is_person(c_.entity_at(person_scan_))) last_person_ = static_cast<std::int32_t>(person_scan_);
    }
    return last_person_;
  }

  // Every mention of a person that has a role, in body order (the mentions of each entity are in
  // body order, and no two mentions start at one byte): under the role's first word as written
  // ("Russian" of "Russian President"), under the whole role in lower case, and under each of its
  // endings ("british prime minister", "prime minister", "minister") but those after a word that
  // makes it another office ("president" of "vice president", "prime minister" of "deputy prime
  // minister").
  struct role_mention {
    std::uint32_t begin;
    std::int32_t entity;
  };
  using role_index = std::map<std::string, std::vector<role_mention>, std::less<>>;

  void index_roles() {
    roles_indexed_ = true;
    for (std::size_t e = 0; e < entities_.size(); ++e) {
      const entity& ent = entities_[e];
      if (ent.kind != entity_kind::person || ent.role.empty()) continue;
      const std::string_view role = ent.role;
      const std::string lower = ascii_lower(role);
      static const word_set other_office{"vice", "deputy", "acting", "assistant", "associate", "former", "interim",
                                         "co", "under", "lieutenant", "ex", "outgoing", "incoming", "shadow"};
      std::vector<std::vector<role_mention>*> lists{&by_role_[std::string(role.substr(0, role.find(' ')))],
                                                    &by_whole_role_[lower]};
      std::string_view before;  // the word before the ending
      for (std::size_t at = 0; at != std::string::npos; at = lower.find(' ', at)) {
        if (lower[at] == ' ') ++at;
        if (!other_office.contains(before)) lists.push_back(&by_role_end_[lower.substr(at)]);
        const std::size_t next = lower.find(' ', at);
        before = std::string_view(lower).substr(at, next == std::string::npos ? std::string::npos : next - at);
      }
      for (const text_span& m : ent.mentions) {
        for (std::vector<role_mention>* list : lists) list->push_back({m.begin, static_cast<std::int32_t>(e)});
        ++steps_;
      }
    }
    for (role_index* index : {&by_role_, &by_whole_role_, &by_role_end_}) {
      for (auto& [key, list] : *index) {
        // Were two to start at one byte, the lower entity index would win, as it always has.
        std::sort(list.begin(), list.end(), [](const role_mention& a, const role_mention& b) {
          return a.begin != b.begin ? a.begin < b.begin : a.entity > b.entity;
        });
      }
    }
  }

  // The person of the last mention under `key` that starts before byte `at`, or -1.
  static std::int32_t last_before(const role_index& index, std::string_view key, std::uint32_t at) {
    const auto it = index.find(key);
    if (it == index.end()) return -1;
    const auto after = std::partition_point(it->second.begin(), it->second.end(),
                                            [at](const role_mention& m) { return m.begin < at; });
    return after == it->second.begin() ? -1 : std::prev(after)->entity;
  }

  // "the prime minister", "the president": the person most recently mentioned before the quote
  // among those whose role is the described words ("President Joe Biden" before "French President
  // Emmanuel Macron"), else among those whose role ends with them ("British Prime Minister", "U.S.
  // President"; not "Vice President"); else "the Russian leader": among those whose role starts
  // with "Russian".
  void resolve_description(quote& q, std::uint32_t open) {
    std::string_view text = q.speaker_text;
    const auto space = text.find(' ');
    if (space == std::string_view::npos) return;
    const std::string_view det = text.substr(0, space);
    if (det != "the" && det != "The") return;
    text.remove_prefix(space + 1);
    ++steps_;
    if (!roles_indexed_) index_roles();
    const std::uint32_t at = c_.doc().tokens[open].text.begin;
    const std::string described = ascii_lower(text);
    std::int32_t best = last_before(by_whole_role_, described, at);
    if (best < 0) best = last_before(by_role_end_, described, at);
    if (const std::string_view qualifier = text.substr(0, text.find(' '));
        best < 0 && qualifier.size() < text.size() && qualifier[0] >= 'A' && qualifier[0] <= 'Z') {
      best = last_before(by_role_, qualifier, at);
    }
    if (best < 0) return;
    q.speaker = static_cast<std::uint32_t>(best);
    q.speaker_text.clear();
    q.how = attribution::description;
  }

  const extract_context& c_;
  const std::vector<entity>& entities_;
  std::vector<mark_pair> pairs_;
  std::vector<std::int32_t> close_of_;  // per opening mark, its pair's close
  std::vector<std::int32_t> open_of_;   // per closing mark, its pair's open
  std::vector<bool> quoted_;            // marks and content of every quote
  std::vector<event> events_;           // in token order
  std::vector<std::uint32_t> past_quotes_;  // per opening mark, see link_quote_runs
  std::uint32_t person_scan_ = 0;       // last_person_before: tokens read so far
  std::int32_t last_person_ = -1;       // and the last person among them
  std::vector<std::int64_t> first_speaker_;  // per sentence, see first_speaker_of; -2 not yet looked
  bool roles_indexed_ = false;
  std::vector<name_gender> sexes_;  // per entity, see other_sex; empty until asked
  mutable std::uint64_t steps_ = 0;
  role_index by_role_;      // see index_roles
  role_index by_whole_role_;  // see index_roles
  role_index by_role_end_;    // see index_roles
};

}  // namespace

std::vector<quote> quote_extractor::find(const extract_context& c, const std::vector<entity>& entities,
                                         std::uint64_t* work) const {
  finder f(c, entities);
  std::vector<quote> out = f.run();
  if (work != nullptr) *work = f.steps();
  return out;
}

}  // namespace wirefeed

#include "pipeline/extraction.h"

#include <algorithm>
#include <cstddef>
#include <string>

#include "pipeline/article.h"

namespace wirefeed {

const char* to_string(entity_kind k) {
  switch (k) {
    case entity_kind::person: return "person";
    case entity_kind::organisation: return "organisation";
    case entity_kind::place: return "place";
    case entity_kind::other: return "other";
  }
  return "other";
}

const char* to_string(attribution a) {
  switch (a) {
    case attribution::none: return "none";
    case attribution::direct: return "direct";
    case attribution::pronoun: return "pronoun";
    case attribution::description: return "description";
    case attribution::continuation: return "continuation";
  }
  return "none";
}

namespace {

bool inside(const text_span& s, const text_span& cut) { return s.begin >= cut.begin && s.end <= cut.end; }

// Moves a span after the cut back; a span straddling the cut (never made by the extractors, which
// stay inside one paragraph) is clipped to what is left.
void shift(text_span& s, const text_span& cut) {
  const auto move = [&](std::uint32_t& at) {
    if (at >= cut.end) at -= cut.size();
    else if (at > cut.begin) at = cut.begin;
  };
  move(s.begin);
  move(s.end);
}

template <class T>
void cut_spans(std::vector<T>& items, const text_span& cut) {
  std::erase_if(items, [&](const T& item) { return inside(item.text, cut); });
  for (T& item : items) shift(item.text, cut);
}

}  // namespace

void erase_extracted(article& a, text_span cut) {
  // Entities: drop the mentions inside, then the entities left with none.
  std::vector<std::int64_t> renumbered(a.entities.size(), -1);
  std::vector<std::string> dropped_names(a.entities.size());
  for (std::size_t i = 0; i < a.entities.size(); ++i) {
    entity& e = a.entities[i];
    std::erase_if(e.mentions, [&](const text_span& m) { return inside(m, cut); });
    for (text_span& m : e.mentions) shift(m, cut);
    if (e.mentions.empty()) dropped_names[i] = e.name;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < a.entities.size(); ++i) {
    if (a.entities[i].mentions.empty()) continue;
    renumbered[i] = static_cast<std::int64_t>(kept);
    if (kept != i) a.entities[kept] = std::move(a.entities[i]);
    ++kept;
  }
  a.entities.resize(kept);

  cut_spans(a.quotes, cut);
  for (quote& q : a.quotes) {
    if (q.speaker_span) {
      if (inside(*q.speaker_span, cut)) q.speaker_span.reset();
      else shift(*q.speaker_span, cut);
    }
    if (!q.speaker) continue;
    const std::int64_t now = *q.speaker < renumbered.size() ? renumbered[*q.speaker] : -1;
    if (now >= 0) {
      q.speaker = static_cast<std::uint32_t>(now);
    } else {  // the speaker's every mention was cut: keep the name, not an index
      q.speaker_text = *q.speaker < dropped_names.size() ? dropped_names[*q.speaker] : std::string();
      q.speaker.reset();
    }
  }
  cut_spans(a.figures, cut);
  cut_spans(a.dates, cut);
}

}  // namespace wirefeed

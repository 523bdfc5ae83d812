#include "pipeline/article_edit.h"

#include <algorithm>

namespace wirefeed {
namespace {

// Drops the spans inside [begin, end) and moves the ones at or after `end` back by its size.
void cut(std::vector<text_span>& spans, text_span range) {
  std::erase_if(spans, [&](const text_span& s) { return s.begin >= range.begin && s.end <= range.end; });
  for (text_span& s : spans) {
    if (s.begin >= range.end) {
      s.begin -= range.size();
      s.end -= range.size();
    }
  }
}

// The bytes to erase for paragraph `p` of `all`, in one of the two buffers: the paragraph plus
// the separator after it, or before it for the last paragraph.
text_span erased_range(const std::vector<paragraph>& all, std::size_t index, text_span paragraph::*field,
                       std::size_t buffer_size) {
  const text_span own = all[index].*field;
  if (index + 1 < all.size()) return {own.begin, (all[index + 1].*field).begin};
  if (index > 0) return {(all[index - 1].*field).end, own.end};
  return {0, static_cast<std::uint32_t>(buffer_size)};
}

}  // namespace

void erase_paragraph(article& a, std::size_t index) {
  if (index >= a.paragraphs.size()) return;
  const text_span body_cut = erased_range(a.paragraphs, index, &paragraph::text, a.body.size());
  const text_span folded_cut = erased_range(a.paragraphs, index, &paragraph::folded, a.folded.size());

  cut(a.sentences, body_cut);
  erase_extracted(a, body_cut);  // entities, quotes, figures, dates (extraction.h)
  a.cluster_input.reset();       // derived from entities and quotes: the cluster stage prepares it again
  // Tokens live in both buffers; they are dropped by their body span and shifted in each.
  const std::uint32_t body_size = body_cut.size();
  const std::uint32_t folded_size = folded_cut.size();
  std::erase_if(a.tokens, [&](const token& t) { return t.text.begin >= body_cut.begin && t.text.end <= body_cut.end; });
  for (token& t : a.tokens) {
    if (t.text.begin >= body_cut.end) {
      t.text.begin -= body_size;
      t.text.end -= body_size;
    }
    if (t.folded.begin >= folded_cut.end) {
      t.folded.begin -= folded_size;
      t.folded.end -= folded_size;
    }
  }
  if (a.dateline) {
    const text_span d = a.dateline->text;
    if (d.begin >= body_cut.begin && d.end <= body_cut.end) {
      a.dateline.reset();
    } else if (d.begin >= body_cut.end) {
      for (text_span* t : {&a.dateline->text, &a.dateline->place_text, &a.dateline->region_text}) {
        if (t->size() == 0) continue;
        t->begin -= body_size;
        t->end -= body_size;
      }
    }
  }
  a.paragraphs.erase(a.paragraphs.begin() + static_cast<std::ptrdiff_t>(index));
  for (std::size_t i = index; i < a.paragraphs.size(); ++i) {
    paragraph& p = a.paragraphs[i];
    p.text.begin -= body_size;
    p.text.end -= body_size;
    p.folded.begin -= folded_size;
    p.folded.end -= folded_size;
  }
  a.body.erase(body_cut.begin, body_size);
  a.folded.erase(folded_cut.begin, folded_size);
}

}  // namespace wirefeed

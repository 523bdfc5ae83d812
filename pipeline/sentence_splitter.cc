#include "pipeline/sentence_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <array>
#include <atomic>

#include "pipeline/utf8_cursor.h"

namespace wirefeed {

struct sentence_splitter::shared {
  std::unique_ptr<icu::BreakIterator> prototype;
  std::uint64_t id = 0;  // identifies the prototype in the per-thread clone cache
};

namespace {

std::atomic<std::uint64_t> next_id{1};

// UAX #29 Sentence_Break classes that matter for the fast path.
enum class sb { term, trailing, other };

constexpr std::array<sb, 128> k_ascii = [] {
  std::array<sb, 128> t{};
  for (auto& c : t) c = sb::other;
  for (char c : {'.', '!', '?'}) t[static_cast<std::size_t>(c)] = sb::term;
  for (char c : {' ', '"', '\'', ')', ']', '}'}) t[static_cast<std::size_t>(c)] = sb::trailing;
  return t;
}();

sb sentence_class(char32_t cp) {
  switch (u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_SENTENCE_BREAK)) {
    case U_SB_ATERM:
    case U_SB_STERM: return sb::term;
    case U_SB_CLOSE:
    case U_SB_SP:
    case U_SB_EXTEND:
    case U_SB_FORMAT: return sb::trailing;
    default: return sb::other;
  }
}

// True when no sentence boundary can fall inside `s`: every terminator is in the trailing run.
bool single_sentence(std::string_view s) {
  bool seen_term = false;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto byte = static_cast<unsigned char>(s[i]);
    sb c;
    if (byte < 0x80) {
      c = k_ascii[byte];
      ++i;
    } else {
      c = sentence_class(utf8::next(s, i));
    }
    if (c == sb::term) seen_term = true;
    else if (c == sb::other && seen_term) return false;
  }
  return true;
}

void push_trimmed(std::string_view s, std::size_t begin, std::size_t end, std::uint32_t base,
                  std::vector<text_span>& out) {
  while (begin < end && s[begin] == ' ') ++begin;
  while (end > begin && s[end - 1] == ' ') --end;
  if (begin < end) out.push_back({base + static_cast<std::uint32_t>(begin), base + static_cast<std::uint32_t>(end)});
}

}  // namespace

result<sentence_splitter> sentence_splitter::create(const std::vector<std::string>& abbreviations) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> base(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !base) {
    return stage_error{"normalize", "icu_error",
                       std::string("cannot create the ICU sentence break iterator: ") + u_errorName(status)};
  }
  std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
      icu::FilteredBreakIteratorBuilder::createEmptyInstance(status));
  if (U_FAILURE(status) || !builder) {
    return stage_error{"normalize", "icu_error",
                       std::string("cannot create the ICU break filter: ") + u_errorName(status)};
  }
  for (const auto& a : abbreviations) {
    if (a.empty()) continue;
    builder->suppressBreakAfter(icu::UnicodeString::fromUTF8(a), status);
    if (U_FAILURE(status)) {
      return stage_error{"normalize", "bad_abbreviation",
                         "normalize.abbreviations: ICU refuses \"" + a + "\": " + u_errorName(status)};
    }
  }
  auto s = std::make_shared<shared>();
  s->prototype.reset(builder->wrapIteratorWithFilter(base.release(), status));
  if (U_FAILURE(status) || !s->prototype) {
    return stage_error{"normalize", "icu_error",
                       std::string("cannot build the filtered sentence iterator: ") + u_errorName(status)};
  }
  s->id = next_id.fetch_add(1);
  return sentence_splitter(std::move(s));
}

namespace {

// This thread's clone of `s`'s prototype: one per thread, re-cloned when the thread last worked
// for another splitter.
icu::BreakIterator& thread_iterator(const sentence_splitter::shared& s) {
  struct cache {
    std::uint64_t id = 0;
    std::unique_ptr<icu::BreakIterator> clone;
  };
  thread_local cache c;
  if (c.id != s.id || !c.clone) {
    c.clone.reset(s.prototype->clone());
    c.id = s.id;
  }
  return *c.clone;
}

}  // namespace

void sentence_splitter::split(std::string_view paragraph, std::uint32_t base, std::vector<text_span>& out) const {
  if (paragraph.empty()) return;
  if (single_sentence(paragraph)) {
    push_trimmed(paragraph, 0, paragraph.size(), base, out);
    return;
  }
  icu::BreakIterator& it = thread_iterator(*shared_);
  UErrorCode status = U_ZERO_ERROR;
  UText text = UTEXT_INITIALIZER;
  utext_openUTF8(&text, paragraph.data(), static_cast<std::int64_t>(paragraph.size()), &status);
  if (U_FAILURE(status)) {
    push_trimmed(paragraph, 0, paragraph.size(), base, out);
    return;
  }
  it.setText(&text, status);
  if (U_FAILURE(status)) {
    utext_close(&text);
    push_trimmed(paragraph, 0, paragraph.size(), base, out);
    return;
  }
  std::int32_t start = it.first();
  for (std::int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
    push_trimmed(paragraph, static_cast<std::size_t>(start), static_cast<std::size_t>(end), base, out);
  }
  // The iterator keeps a shallow clone of `text` pointing into `paragraph`; it is never read
  // again before the next setText.
  utext_close(&text);
}

}  // namespace wirefeed

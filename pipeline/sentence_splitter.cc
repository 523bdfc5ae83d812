#include "pipeline/sentence_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>

#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {

struct sentence_splitter::shared {
  std::unique_ptr<icu::BreakIterator> prototype;
  std::uint64_t id = 0;                    // identifies the prototype in the per-thread clone cache
  std::vector<std::string> abbreviations;  // sorted
  std::size_t longest = 0;

  // Whether the text before a break (spaces trimmed) ends with a listed abbreviation that starts
  // a word: "... U.S." yes, "(Gen." yes, "Aoraki-Mt." yes, "focus." no.
  bool suppressed(std::string_view before) const {
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    if (before.empty() || before.back() != '.') return false;
    std::size_t start = before.size();
    while (start > 0 && before.size() - start <= longest && before[start - 1] != ' ') --start;
    std::string_view word = before.substr(start);
    // Opening punctuation before the word: ( [ " “ ‘ ' (ASCII, or the three-byte quotes).
    while (!word.empty()) {
      if (word.front() == '(' || word.front() == '[' || word.front() == '"' || word.front() == '\'') {
        word.remove_prefix(1);
      } else if (word.starts_with("\xE2\x80\x9C") || word.starts_with("\xE2\x80\x98")) {
        word.remove_prefix(3);
      } else {
        break;
      }
    }
    if (listed(word)) return true;
    // A lower-case letter and a period, and a letter and a period after one: German's "z. B.",
    // "d. h.", "u. a.", "v. a." written with a space.
    if (word.size() == 2 && word[0] >= 'a' && word[0] <= 'z') return true;
    if (word.size() == 2 && (is_upper(word[0]) || (word[0] >= 'a' && word[0] <= 'z')) && start >= 3 &&
        before[start - 1] == ' ' && before[start - 2] == '.' && before[start - 3] >= 'a' && before[start - 3] <= 'z' &&
        (start == 3 || before[start - 4] == ' ')) {
      return true;
    }
    // A middle initial after a name: "Robert F. Kennedy", "Michael J. Fox" (not "in group B."); a
    // first initial after a word that names a person next: "Reporting by A. Bruce", "Associated
    // Press writer Z. Garcia", "and B. Smith" (credit lines the lexicon must see whole).
    if (word.size() == 2 && is_upper(word[0]) && start >= 2) {
      std::size_t name = start - 1;  // the space before the initial
      while (name > 0 && before[name - 1] != ' ') --name;
      if (name < start - 1 && is_upper(before[name])) return true;
      static constexpr std::array<std::string_view, 10> before_a_name{
          "by", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents",
          "editor", "editors", "photographer"};
      const std::string_view previous = before.substr(name, start - 1 - name);
      if (std::find(before_a_name.begin(), before_a_name.end(), previous) != before_a_name.end()) return true;
      // "and B. Smith" in a credit line only: "hepatitis A and B." ends its sentence.
      if (previous == "and") {
        const std::string_view line = before.substr(before.size() > 160 ? before.size() - 160 : 0);
        for (const std::string_view credit : before_a_name) {
          if (credit != "by" && line.find(credit) != std::string_view::npos) return true;
        }
        if (line.find(" by ") != std::string_view::npos || line.starts_with("by ")) return true;
      }
    }
    // The part after a hyphen or slash: "Aoraki-Mt."
    const std::size_t joint = word.find_last_of("-/");
    return joint != std::string_view::npos && listed(word.substr(joint + 1));
  }

  static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

  // A listed abbreviation, or one in capitals ("ST. LOUIS", a dateline): "ST." as "St.".
  bool listed(std::string_view word) const {
    if (std::binary_search(abbreviations.begin(), abbreviations.end(), word)) return true;
    if (word.size() < 3 || word.size() > 16 || !is_upper(word[0])) return false;
    char titled[16];
    for (std::size_t i = 0; i < word.size(); ++i) {
      const char c = word[i];
      if (c >= 'a' && c <= 'z') return false;  // not in capitals
      titled[i] = i > 0 && is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return std::binary_search(abbreviations.begin(), abbreviations.end(), std::string_view(titled, word.size()));
  }
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

// The start of the code point that ends at `end` (exclusive).
std::size_t previous_start(std::string_view s, std::size_t end) {
  std::size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

sb class_at(std::string_view s, std::size_t pos) {
  const auto byte = static_cast<unsigned char>(s[pos]);
  if (byte < 0x80) return k_ascii[byte];
  return sentence_class(utf8::next(s, pos));
}

// True when no sentence boundary can fall inside `s`: every terminator is in the trailing run of
// terminators, closing punctuation and spaces. Found from the end: the run is skipped backwards,
// then the rest is searched for terminators (memchr for ASCII, ICU for the rare non-ASCII ones).
bool single_sentence(std::string_view s) {
  std::size_t end = s.size();
  while (end > 0) {
    const std::size_t start = previous_start(s, end);
    if (class_at(s, start) == sb::other) break;
    end = start;
  }
  const std::string_view body = s.substr(0, end);
  for (char term : {'.', '!', '?'}) {
    if (body.find(term) != std::string_view::npos) return false;
  }
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  std::size_t i = 0;
  while (i < body.size()) {
    if (i + 8 <= body.size()) {
      std::uint64_t x;
      std::memcpy(&x, body.data() + i, 8);
      if ((x & high) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(body[i]) < 0x80) {
      ++i;
      continue;
    }
    if (sentence_class(utf8::next(body, i)) == sb::term) return false;
  }
  return true;
}

// Initials before the name they begin are no sentence end: "to succeed J. Edgar Hoover", "director
// L. Patrick Gray", "general manager A.J. Smith", "the L.A. Times". The text before the break ends
// with capitals and periods ("J.", "A.J.", "L.A.") after a space, and a capitalised word that
// starts no sentence follows, and after a single initial a second one ("in group B. The vote",
// "plan B. Then they left", "plan B. Officials said" and "in L.A. He said" end one); or another
// initial, spaced out ("T. Y. Hilton", "the U. S. Geological Survey").
bool initials_before_a_name(std::string_view before, std::string_view after) {
  while (before.ends_with(' ')) before.remove_suffix(1);
  std::size_t start = before.size();
  while (start > 0 && before[start - 1] != ' ' && before[start - 1] != '(') --start;
  const std::string_view initials = before.substr(start);
  if (initials.size() < 2 || initials.size() > 8) return false;
  for (std::size_t i = 0; i < initials.size(); i += 2) {
    if (initials[i] < 'A' || initials[i] > 'Z' || i + 1 >= initials.size() || initials[i + 1] != '.') return false;
  }
  const auto word = [](std::string_view& text) {
    while (text.starts_with(' ')) text.remove_prefix(1);
    const std::string_view w = text.substr(0, text.find_first_of(" ,;:"));
    text.remove_prefix(w.size());
    return w;
  };
  const auto capitalised = [](std::string_view w) { return w.size() >= 2 && w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'a' && w[1] <= 'z'; };
  // A letter that names a thing, not a person: "hepatitis C.", "Terminal B.", "300 B.C.".
  if (initials == "B.C." || initials == "A.D.") return false;
  if (initials.size() == 2) {
    std::size_t word_start = start > 0 ? start - 1 : 0;
    while (word_start > 0 && before[word_start - 1] != ' ') --word_start;
    static constexpr std::array<std::string_view, 24> lettered{
        "hepatitis", "vitamin", "plan", "group", "terminal", "gate", "type", "class", "section", "grade", "category",
        "channel", "model", "level", "phase", "option", "division", "tier", "series", "block", "wing", "row", "unit",
        "concourse"};
    const std::string previous = ascii_lower(before.substr(word_start, start > word_start ? start - 1 - word_start : 0));
    if (std::find(lettered.begin(), lettered.end(), previous) != lettered.end()) return false;
  }
  const std::string_view next = word(after);
  // Initials spaced out: "T. Y. Hilton", "the U. S. Geological Survey", "F. B. I. agents".
  if (next.size() == 2 && next[0] >= 'A' && next[0] <= 'Z' && next[1] == '.') return true;
  if (!capitalised(next)) return false;
  static constexpr std::array<std::string_view, 30> starters{
      "The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "I", "But", "And", "Then",
      "This", "That", "There", "His", "Her", "Their", "Its", "After", "When", "If", "So", "As", "For", "Now", "Some"};
  if (std::find(starters.begin(), starters.end(), next) != starters.end()) return false;
  return initials.size() > 2 || capitalised(word(after));
}

// A quoted question or exclamation and its attribution are one sentence: “Why now?” he asked;
// "Is it over?" asked Sen. Mitt Romney; « Pourquoi ? » a-t-il demandé. ICU breaks after the
// closing quote whatever follows; here the break goes when the next word starts in lower case.
bool attribution_follows(std::string_view before, std::string_view after) {
  const auto drop_spaces = [](std::string_view& t) {
    for (;;) {
      if (t.ends_with(' ')) {
        t.remove_suffix(1);
      } else if (t.ends_with("\xC2\xA0")) {  // no-break space (French typography)
        t.remove_suffix(2);
      } else if (t.ends_with("\xE2\x80\xAF")) {  // narrow no-break space
        t.remove_suffix(3);
      } else {
        return;
      }
    }
  };
  const auto skip_spaces = [](std::string_view t, std::size_t i) {
    for (;;) {
      if (t.substr(i).starts_with(' ')) {
        i += 1;
      } else if (t.substr(i).starts_with("\xC2\xA0")) {
        i += 2;
      } else if (t.substr(i).starts_with("\xE2\x80\xAF")) {
        i += 3;
      } else {
        return i;
      }
    }
  };
  drop_spaces(before);
  bool quoted = true;
  if (before.ends_with('"') || before.ends_with('\'')) {
    before.remove_suffix(1);
  } else if (before.ends_with("\xE2\x80\x9D") || before.ends_with("\xE2\x80\x99") ||
             before.ends_with("\xE2\x80\x9C")) {  // ” ’, and “ closing a German „quote“
    before.remove_suffix(3);
  } else if (before.ends_with("\xC2\xBB")) {  // »
    before.remove_suffix(2);
  } else {
    quoted = false;  // the closing quote may come after the break: "« Pourquoi ? | » a-t-il"
  }
  drop_spaces(before);
  if (!before.ends_with('?') && !before.ends_with('!')) return false;
  std::size_t i = skip_spaces(after, 0);
  if (!quoted) {
    if (after.substr(i).starts_with("\xC2\xBB")) {
      i += 2;
    } else if (after.substr(i).starts_with("\xE2\x80\x9D")) {
      i += 3;
    } else {
      return false;
    }
    i = skip_spaces(after, i);
  }
  return i < after.size() && u_islower(static_cast<UChar32>(utf8::next(after, i)));
}

// A German ordinal is a number and a full stop: "am 3. Oktober", "der 1. FC Köln". ICU breaks
// after it before a capital. Here no break when a month's name follows, or when the number
// follows a word that takes a day or an ordinal (am, vom, zum, seit, der, ...); "stieg auf 12.
// Die" and "von 8 bis 20. Sonntags" still end a sentence. For German text only: "rose to 11.
// April figures are due" is two sentences.
bool ordinal_follows(std::string_view before, std::string_view after) {
  while (before.ends_with(' ')) before.remove_suffix(1);
  if (!before.ends_with('.')) return false;
  before.remove_suffix(1);
  std::size_t digits = 0;
  while (digits < before.size() && digits < 3 && before[before.size() - 1 - digits] >= '0' &&
         before[before.size() - 1 - digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || digits > 2) return false;
  before.remove_suffix(digits);
  if (!before.empty() && before.back() != ' ') return false;
  while (before.ends_with(' ')) before.remove_suffix(1);
  const std::string_view previous = before.substr(before.find_last_of(' ') + 1);
  std::size_t i = 0;
  while (i < after.size() && after[i] == ' ') ++i;
  std::size_t end = i;
  while (end < after.size() && after[end] != ' ' && after[end] != ',' && after[end] != '.') ++end;
  const std::string_view next = after.substr(i, end - i);
  static constexpr std::array<std::string_view, 13> months{"Januar", "Jänner",    "Februar", "März",     "April",
                                                           "Mai",    "Juni",      "Juli",    "August",   "September",
                                                           "Oktober", "November", "Dezember"};
  static constexpr std::array<std::string_view, 20> takes_ordinal{
      "am", "Am", "vom", "Vom", "zum", "Zum", "seit", "Seit", "den", "Den",
      "dem", "Dem", "der", "Der", "die", "Die", "das", "Das", "des", "Des"};
  return std::find(months.begin(), months.end(), next) != months.end() ||
         std::find(takes_ordinal.begin(), takes_ordinal.end(), previous) != takes_ordinal.end();
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
  auto s = std::make_shared<shared>();
  s->prototype.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !s->prototype) {
    return stage_error{"normalize", "icu_error",
                       std::string("cannot create the ICU sentence break iterator: ") + u_errorName(status)};
  }
  for (const auto& a : abbreviations) {
    if (a.empty() || a.back() != '.' || a.find(' ') != std::string::npos) {
      return stage_error{"normalize", "bad_abbreviation",
                         "normalize.abbreviations: \"" + a + "\" must be one word ending with '.'"};
    }
    s->abbreviations.push_back(a);
    s->longest = std::max(s->longest, a.size());
  }
  std::sort(s->abbreviations.begin(), s->abbreviations.end());
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

void sentence_splitter::split(std::string_view paragraph, std::uint32_t base, std::vector<text_span>& out,
                              std::string_view language) const {
  if (paragraph.empty()) return;
  if (single_sentence(paragraph)) {
    push_trimmed(paragraph, 0, paragraph.size(), base, out);
    return;
  }
  // ICU on UTF-16 (faster than a UTF-8 UText); breaks are mapped back to byte offsets by walking
  // both encodings forward together.
  thread_local std::vector<UChar> utf16;
  utf16.resize(paragraph.size() + 1);
  UErrorCode status = U_ZERO_ERROR;
  std::int32_t length = 0;
  u_strFromUTF8Lenient(utf16.data(), static_cast<std::int32_t>(utf16.size()), &length, paragraph.data(),
                       static_cast<std::int32_t>(paragraph.size()), &status);
  UText text = UTEXT_INITIALIZER;
  if (U_SUCCESS(status)) utext_openUChars(&text, utf16.data(), length, &status);
  icu::BreakIterator& it = thread_iterator(*shared_);
  if (U_SUCCESS(status)) it.setText(&text, status);
  if (U_FAILURE(status)) {
    utext_close(&text);
    push_trimmed(paragraph, 0, paragraph.size(), base, out);
    return;
  }
  const bool german = language == "de" || language.starts_with("de-");
  std::size_t byte = 0;   // in `paragraph`
  std::int32_t unit = 0;  // in `utf16`, at the same character
  std::size_t sentence_start = 0;
  for (std::int32_t b = it.next(); b != icu::BreakIterator::DONE; b = it.next()) {
    while (unit < b && byte < paragraph.size()) {
      const char32_t cp = utf8::next(paragraph, byte);
      unit += cp > 0xFFFF ? 2 : 1;
    }
    if (byte < paragraph.size() && (shared_->suppressed(paragraph.substr(sentence_start, byte - sentence_start)) ||
                                    initials_before_a_name(paragraph.substr(sentence_start, byte - sentence_start),
                                                           paragraph.substr(byte)) ||
                                    attribution_follows(paragraph.substr(sentence_start, byte - sentence_start),
                                                        paragraph.substr(byte)) ||
                                    (german && ordinal_follows(paragraph.substr(sentence_start, byte - sentence_start),
                                                               paragraph.substr(byte))))) {
      continue;
    }
    push_trimmed(paragraph, sentence_start, byte, base, out);
    sentence_start = byte;
  }
  if (sentence_start < paragraph.size()) push_trimmed(paragraph, sentence_start, paragraph.size(), base, out);
  // The iterator keeps a shallow clone of `text` pointing into `utf16`; it is never read again
  // before the next setText.
  utext_close(&text);
}

}  // namespace wirefeed

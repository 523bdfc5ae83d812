#include "pipeline/language_id.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <unicode/locid.h>

#include <cctype>

namespace wirefeed {
namespace {

constexpr std::size_t k_min_words = 20;
constexpr std::size_t k_marker_percent = 12;

// The longest prefix of `s` of at most `max` bytes that ends on a code point boundary.
std::string_view utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

bool is_simple_code(std::string_view tag) {
  // Already canonical: two lower-case ASCII letters.
  return tag.size() == 2 && std::islower(static_cast<unsigned char>(tag[0])) &&
         std::islower(static_cast<unsigned char>(tag[1]));
}

}  // namespace

// Bytes of text CLD2 must have scored for its guess to count as reliable.
constexpr int k_min_reliable_bytes = 100;

bool language_detector::looks_english(std::size_t words, std::size_t english_markers) {
  return words >= k_min_words && english_markers * 100 >= words * k_marker_percent;
}

language_guess language_detector::detect(std::string_view headline, std::string_view body, std::size_t words,
                                         std::size_t english_markers) const {
  if (looks_english(words, english_markers)) return {"en", true, "function_words"};

  thread_local std::string sample;
  sample.clear();
  sample.append(utf8_prefix(headline, max_bytes_ / 4));
  if (!sample.empty()) sample += '\n';
  sample.append(utf8_prefix(body, max_bytes_ - std::min(max_bytes_, sample.size())));
  if (sample.empty()) return {"und", false, "cld2"};

  CLD2::Language top3[3];
  int percent3[3];
  double normalized_score3[3];
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  const CLD2::Language lang =
      CLD2::ExtDetectLanguageSummary(sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true, &hints,
                                     /*flags=*/0, top3, percent3, normalized_score3, nullptr, &text_bytes, &reliable);
  if (lang == CLD2::UNKNOWN_LANGUAGE) return {"und", false, "cld2"};
  std::string code = canonical_language_tag(CLD2::LanguageCode(lang));
  if (code.empty()) return {"und", false, "cld2"};
  // CLD2 calls a guess over a sentence reliable ("Paris a promis 100.000 soldats." is Estonian to
  // it); fewer than 100 bytes of letters are no reliable evidence.
  return {std::move(code), reliable && text_bytes >= k_min_reliable_bytes, "cld2"};
}

std::string canonical_language_tag(std::string_view tag) {
  if (is_simple_code(tag) && tag != "iw" && tag != "in" && tag != "ji" && tag != "jw" && tag != "mo") {
    return std::string(tag);
  }
  std::string t(tag);
  for (char& c : t) {
    if (c == '_') c = '-';
  }
  if (t.empty() || t.size() > 64) return {};
  if (t == "jw") t = "jv";  // CLD2's Javanese; ICU keeps "jw"
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(t, status);
  if (U_FAILURE(status) || locale.isBogus()) return {};
  locale.canonicalize(status);
  if (U_FAILURE(status)) return {};
  std::string out = locale.toLanguageTag<std::string>(status);
  if (U_FAILURE(status) || out.empty()) return {};
  return out;
}

}  // namespace wirefeed

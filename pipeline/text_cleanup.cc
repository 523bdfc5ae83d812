#include "pipeline/text_cleanup.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <cstdint>
#include <cstring>

#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace {

// Every code point below U+0300 is NFC-stable and starts no composition (ICU's minNoMaybeCP for
// NFC), and only lead bytes of U+0300 and above are >= 0xCC: text without them is NFC.
bool trivially_nfc(std::string_view text) {
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    // Per byte: the high bit, and (low seven bits + 0x34) reaching 0x80, i.e. the byte >= 0xCC.
    if (((x & ~high) + 0x3434343434343434ULL) & x & high) return false;
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0xCC) return false;
  }
  return true;
}

// NFC of `text`, or `text` itself (no copy) when it is already NFC.
std::string_view to_nfc(std::string_view text, std::string& storage) {
  if (trivially_nfc(text)) return text;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) return text;
  const icu::StringPiece piece(text.data(), static_cast<std::int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(piece, status) || U_FAILURE(status)) return text;
  status = U_ZERO_ERROR;
  storage.clear();
  storage.reserve(text.size() + text.size() / 8);
  icu::StringByteSink<std::string> sink(&storage);
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) return text;
  return storage;
}

// Code points above ASCII that the display text drops: C1 controls, invisible format characters
// that carry nothing for a reader, bidirectional embeddings, overrides, isolates and marks (they
// reorder what is shown, not what is said: "Ukraine" inside an override is still "Ukraine"),
// noncharacters.
bool is_removed(char32_t cp) {
  if (cp <= 0x9F) return true;  // C1 (callers handle U+0085 before)
  switch (cp) {
    case 0x200B: case 0x2060: case 0xFEFF: case 0x00AD: case 0x180E:
    case 0x200E: case 0x200F: case 0x061C: return true;
    default: break;
  }
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
         (cp & 0xFFFE) == 0xFFFE;
}

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Unicode white space above ASCII other than line ends (General_Category Zs): NO-BREAK SPACE, OGHAM
// SPACE MARK, EN QUAD .. HAIR SPACE, NARROW NO-BREAK SPACE, MEDIUM MATHEMATICAL SPACE, IDEOGRAPHIC
// SPACE. (NEL, U+2028 and U+2029 are line ends; U+180E, no longer white space, is removed.)
bool is_wide_space(char32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

// True when the 8 bytes of `x` can be copied as they are inside a line that has text: printable
// ASCII or single spaces, no two spaces in a row, the last byte not a space (what follows it is
// then handled one byte at a time). SWAR: per byte, b + 0x60 has its high bit set iff b >= 0x20,
// b + 0x01 iff b >= 0x7F; no carries cross bytes for b < 0x80.
bool plain_chunk(std::uint64_t x) {
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  if (((x + 0x60 * ones) & ~(x + ones) & ~x & high) != high) return false;
  const std::uint64_t sp = x ^ (0x20 * ones);                             // zero bytes at spaces
  const std::uint64_t spaces = ~(((sp & ~high) + ~high) | sp) & high;      // exact: high bit per space
  return (spaces & (spaces << 8)) == 0 && (spaces >> 63) == 0;
}

// The Windows-1252 byte a character stands for when UTF-8 was read as Windows-1252 (or Latin-1)
// and written back: 0x80..0xBF (UTF-8's continuation bytes), else 0.
unsigned char continuation_byte(char32_t cp) {
  if (cp >= 0x80 && cp <= 0xBF) return static_cast<unsigned char>(cp);  // Latin-1, and C1 for the undefined
  switch (cp) {
    case 0x20AC: return 0x80; case 0x201A: return 0x82; case 0x0192: return 0x83; case 0x201E: return 0x84;
    case 0x2026: return 0x85; case 0x2020: return 0x86; case 0x2021: return 0x87; case 0x02C6: return 0x88;
    case 0x2030: return 0x89; case 0x0160: return 0x8A; case 0x2039: return 0x8B; case 0x0152: return 0x8C;
    case 0x017D: return 0x8E; case 0x2018: return 0x91; case 0x2019: return 0x92; case 0x201C: return 0x93;
    case 0x201D: return 0x94; case 0x2022: return 0x95; case 0x2013: return 0x96; case 0x2014: return 0x97;
    case 0x02DC: return 0x98; case 0x2122: return 0x99; case 0x0161: return 0x9A; case 0x203A: return 0x9B;
    case 0x0153: return 0x9C; case 0x017E: return 0x9E; case 0x0178: return 0x9F;
    default: return 0;
  }
}

// The lead characters mojibake starts with: the Windows-1252 reading of the UTF-8 lead bytes of
// Latin-1 (Â Ã), Latin Extended-A (Ä Å), Greek (Î Ï), Cyrillic (Ð Ñ) and punctuation (â: ’ “ — …).
// Not the other capitals (É, Ó): "CAFÉ”" is text. Each is C3 xx in UTF-8.
bool mojibake_lead(unsigned char second) {
  switch (second) {
    case 0x82: case 0x83: case 0x84: case 0x85: case 0x8E: case 0x8F: case 0x90: case 0x91: case 0xA2: return true;
    default: return false;
  }
}

// The character at `i`, read as the letter it stands for when it is the mojibake of a two-byte
// one ("Ð" and "µ": "е").
char32_t letter_at(std::string_view text, std::size_t i) {
  std::size_t k = i;
  const char32_t c = utf8::next(text, k);
  const auto second = static_cast<unsigned char>(k - i == 2 ? text[i + 1] : 0);
  // Not "â", the lead of a three-byte character (punctuation).
  if (k - i != 2 || static_cast<unsigned char>(text[i]) != 0xC3 || !mojibake_lead(second) || second == 0xA2 ||
      k >= text.size()) {
    return c;
  }
  const unsigned char tail = continuation_byte(utf8::next(text, k));
  if (tail == 0) return c;
  return static_cast<char32_t>(second & 0x1F) << 6 | (tail & 0x3F);
}

// UTF-8 read as Windows-1252 and written back as UTF-8: "Ukraineâ€™s", "cafÃ©", "MartÃ­nez",
// "5Â %". Each lead character followed by as many characters standing for continuation bytes
// as its byte calls for, which together decode to one UTF-8 character, is that character.
// `text` itself (no copy) when there is nothing to mend.
std::string_view mend_mojibake(std::string_view text, std::string& storage) {
  const auto candidate = [&](std::size_t from) {
    for (std::size_t i = text.find('\xC3', from); i != std::string_view::npos; i = text.find('\xC3', i + 1)) {
      if (i + 1 < text.size() && mojibake_lead(static_cast<unsigned char>(text[i + 1]))) return i;
    }
    return std::string_view::npos;
  };
  std::size_t at = candidate(0);
  if (at == std::string_view::npos) return text;
  storage.clear();
  std::size_t copied = 0;
  for (; at != std::string_view::npos; at = candidate(at)) {
    const auto lead = static_cast<unsigned char>(0xC0 | (static_cast<unsigned char>(text[at + 1]) & 0x3F));
    const std::size_t length = lead >= 0xE0 ? 3 : 2;
    // After a capital, unless a lower-case letter follows: a word in capitals ("HÂLÂ”", "IRMÃ…",
    // "PÅ…") is text. Mojibake of a letter sits in a word in lower case or title case ("cafÃ©",
    // "SÃ£o", "Ã‰tats").
    // The character before is the one mended last when that ends here ("ÐŸÑ€": "П", not "Ÿ").
    bool after_capital = false;
    if (length == 2 && at > 0) {
      const std::string_view before = at == copied && !storage.empty() ? std::string_view(storage) : text.substr(0, at);
      std::size_t back = before.size() - 1;
      while (back > 0 && (static_cast<unsigned char>(before[back]) & 0xC0) == 0x80) --back;
      after_capital = u_isupper(static_cast<UChar32>(utf8::next(before, back)));
    }
    unsigned char bytes[3] = {lead, 0, 0};
    std::size_t i = at + 2;
    bool whole = true;
    for (std::size_t k = 1; k < length && whole; ++k) {
      if (i >= text.size()) {
        whole = false;
        break;
      }
      bytes[k] = continuation_byte(utf8::next(text, i));
      whole = bytes[k] != 0;
    }
    // Always valid UTF-8: a lead of C2..D1 or E2 with continuation bytes is never overlong. Not
    // a C1 control (Â and ”: "“HÂLÂ”"), which no text means.
    if (whole && bytes[0] == 0xC2 && bytes[1] < 0xA0) whole = false;
    if (whole && after_capital) whole = i < text.size() && u_islower(static_cast<UChar32>(letter_at(text, i)));
    if (!whole) {
      at += 2;
      continue;
    }
    storage.append(text.substr(copied, at - copied));
    storage.append(reinterpret_cast<const char*>(bytes), length);
    copied = at = i;
  }
  if (copied == 0) return text;
  storage.append(text.substr(copied));
  return storage;
}

}  // namespace

bool blank_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 0x21 && c <= 0x7E) return false;
      ++i;
      continue;  // white space, line ends, controls, DEL
    }
    const std::size_t at = i;
    const char32_t cp = utf8::next(s, i);
    if (cp == 0xFFFD && i - at == 1) continue;
    if (cp != 0x85 && cp != 0x2028 && cp != 0x2029 && !is_wide_space(cp) && !is_removed(cp)) return false;
  }
  return true;
}

std::string clean_text(std::string_view text, bool single_line) {
  std::string mended_storage, nfc_storage;
  const std::string_view s = to_nfc(mend_mojibake(text, mended_storage), nfc_storage);
  // The output is never longer than the input: every rule keeps or shortens, and a pending run of
  // white space is written as one of the characters it consumed, or as one ASCII space. Written
  // through a pointer (std::string's push_back is not inlined).
  std::string out(s.size(), '\0');
  char* const begin = out.data();
  char* p = begin;
  // White space seen after text on this line, written only when more text follows: one character
  // stays as it is (a space, or "10\u00A0km"'s no-break space), a run of two or more becomes one
  // ASCII space.
  int pending_run = 0;
  std::string_view pending_char = " ";
  bool line_has_text = false;
  const auto white_space = [&](std::string_view as_written) {
    if (!line_has_text) return;
    pending_run = pending_run == 0 ? 1 : 2;  // 2: two or more
    pending_char = as_written;
  };
  const auto text_follows = [&] {
    if (pending_run == 1) {
      std::memcpy(p, pending_char.data(), pending_char.size());
      p += pending_char.size();
    } else if (pending_run > 1) {
      *p++ = ' ';
    }
    pending_run = 0;
    line_has_text = true;
  };
  const auto newline = [&](int count) {
    if (single_line) {
      if (line_has_text) pending_run = 2;  // a line end joins the run, which is then an ASCII space
      return;
    }
    pending_run = 0;
    line_has_text = false;
    for (int k = 0; k < count; ++k) *p++ = '\n';
  };

  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x21 && c <= 0x7E) {
      text_follows();
      *p++ = static_cast<char>(c);
      ++i;
      // The rest of the line while it is plain: eight bytes at a time, then byte by byte to the
      // end of the word.
      while (i + 8 <= n) {
        std::uint64_t x;
        std::memcpy(&x, s.data() + i, 8);
        if (!plain_chunk(x)) break;
        std::memcpy(p, &x, 8);
        p += 8;
        i += 8;
      }
      while (i < n && static_cast<unsigned char>(s[i]) >= 0x21 && static_cast<unsigned char>(s[i]) <= 0x7E) *p++ = s[i++];
      continue;
    }
    if (c < 0x80) {
      ++i;
      if (c == ' ' || c == '\t') {
        white_space(" ");
      } else if (c == '\n' || c == '\v' || c == '\f') {
        newline(1);
      } else if (c == '\r') {
        if (i < n && s[i] == '\n') ++i;
        newline(1);
      }
      continue;  // other controls and DEL: dropped
    }
    const std::size_t at = i;
    const char32_t cp = utf8::next(s, i);
    if (cp == 0xFFFD && i - at == 1) continue;  // a malformed byte (decode lets none through): dropped
    if (cp == 0x85 || cp == 0x2028) {
      newline(1);
    } else if (cp == 0x2029) {
      newline(2);
    } else if (is_wide_space(cp)) {
      white_space(s.substr(at, i - at));
    } else if ((cp == 0x200C || cp == 0x200D) && pending_run == 0 && p > begin && ascii_alnum(p[-1]) && i < n &&
               ascii_alnum(s[i])) {
      // A zero-width (non-)joiner inside a Latin word ("Mac\u200Dron") joins nothing; between
      // emoji, or in the scripts that shape by it (Persian, Devanagari), it stays.
    } else if (!is_removed(cp)) {
      text_follows();
      std::memcpy(p, s.data() + at, i - at);
      p += i - at;
    }
  }
  out.resize(static_cast<std::size_t>(p - begin));
  // Trailing spaces were never written (they stay pending); trailing line ends are trimmed.
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace wirefeed

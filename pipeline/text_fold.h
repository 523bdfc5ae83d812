#pragma once

#include <string>
#include <string_view>

namespace wirefeed {

// The matching form of text: what two spellings of the same words have in common.
//   - case folded (Unicode simple case folding: "É" -> "é", "Σ" -> "σ");
//   - typographic quotes to ASCII: ‘ ’ ‚ ‛ ′ ‹ › ` ´ -> '   “ ” „ ‟ ″ « » -> "
//   - dashes and minus signs to '-': ‐ ‑ ‒ – — ― − ﹘ ﹣ －
//   - non-breaking and other fixed-width spaces to ' ';
//   - zero-width characters dropped: U+200B, U+200C, U+200D, U+2060, U+FEFF;
//   - "…" to "...".
// Writes the folded form of `cp` at `out`, which must have room for 4 bytes; returns the end.
// The folded form of a code point is at most 4 bytes, and at most twice its UTF-8 length.
char* fold_code_point(char32_t cp, char* out);

// Appends the folded form of `cp` to `out`.
void fold_code_point(char32_t cp, std::string& out);

// The folded form of a whole string (runs of spaces are not collapsed).
std::string fold_text(std::string_view text);

}  // namespace wirefeed

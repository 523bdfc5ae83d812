#pragma once

#include <string>
#include <string_view>

namespace wirefeed {

// The display-text cleanup every headline and body goes through. Input must be valid UTF-8.
//   - mojibake mended: UTF-8 read as Windows-1252 and written back ("Ukraineâ€™s", "cafÃ©",
//     "MartÃ­nez") is the text it was, for the leads Â Ã Ä Å Î Ï Ð Ñ â (Latin-1, Latin
//     Extended-A, Greek, Cyrillic, punctuation) followed by the characters of the continuation
//     bytes their UTF-8 calls for ("CAFÉ”" and "château" are text);
//   - NFC (ICU), only when the text is not already NFC (checked first; the common case is free);
//   - line ends unified: CR LF, CR, NEL, VT, FF and U+2028 become "\n", U+2029 "\n\n";
//   - removed: C0 and C1 control characters (except "\n"; TAB becomes a space), DEL,
//     noncharacters, and the invisible U+200B, U+2060, U+FEFF, U+00AD, U+180E, the bidirectional
//     controls (U+200E, U+200F, U+061C, U+202A..U+202E, U+2066..U+2069), and U+200C / U+200D
//     between two ASCII letters or digits (elsewhere, in emoji and the scripts shaped by them, kept);
//   - white space is ASCII space and TAB and the Unicode spaces (U+00A0, U+1680, U+2000..U+200A,
//     U+202F, U+205F, U+3000): white space at the start and end of each line is dropped (a line
//     of white space only becomes empty), a run of it inside a line becomes one ASCII space, and a
//     single white-space character inside a line stays as written (TAB as a space).
// Typographic quotes, dashes and non-breaking spaces between words are kept (the display text
// keeps its punctuation; the matching form is article::folded). `single_line` turns line ends into
// spaces (headlines). Never throws.
std::string clean_text(std::string_view text, bool single_line);

// Whether clean_text would leave nothing of `text`: only white space, line ends and what it
// removes (a headline of no-break spaces is no headline). Stops at the first character of text.
bool blank_text(std::string_view text);

}  // namespace wirefeed

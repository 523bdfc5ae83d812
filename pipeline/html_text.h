#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wirefeed {

// The text of an HTML fragment or document.
struct html_text {
  std::string text;                   // paragraphs separated by "\n\n", <br> as "\n" (two in a row: "\n\n")
  std::vector<std::string> captions;  // <figcaption> texts, kept out of `text`
  std::vector<std::string> dates;     // the page's date line(s), kept out of `text`
  std::string title;                  // the first <title>; "" if none
  std::vector<std::string> published; // the publication times the page states, as written, best first
};

// Turns HTML into plain text the way a reader sees it: tags are dropped; block elements (p, div,
// h1-h6, li, blockquote, section, article, ...) end a paragraph, and so do two <br> or more in a
// row (white space between them allowed; one is a line break); runs of white space collapse to
// one space; character references (named HTML 4, decimal, hex) are decoded, invalid ones become
// U+FFFD, C1 references map as in HTML5 (&#150; -> "–"); the contents of script, style, noscript,
// template, title, svg, iframe, object, textarea and select are dropped, and so are a page's nav,
// aside and footer (its chrome around the article), comments, doctypes and processing
// instructions. Such an element written self-closing (<svg .../>) has no contents; one never
// closed drops the rest of the input if it is raw text in HTML5 (script, style, noscript,
// textarea, title, iframe, as a browser does), else only its start tag.
// Tables: in a cell (td, th) a block boundary, or two <br> or more in a row (white space between
// them allowed), ends a paragraph when the cell has text before and after it. A table, thead,
// tbody, tfoot or tr tag ends a row. A row whose cells are all short (at most 120 characters)
// and have no such break is data-like: one paragraph, the text of its cells joined by " | ",
// cells with no text left out, a <br> there a space. Any other row is a layout row: each cell is
// its own paragraph or paragraphs, a <br> a line break.
// `dates`: the page's date line: a <time> element whose text is the whole of its paragraph
// (<p><time>Feb 7</time></p>) and that comes before any of the article's text (any text outside
// h1-h6 and earlier date lines: <h1>Title</h1><time>Feb 7</time> is one, a <time> after the
// first paragraph is not), not in a list (ul, ol, dl) nor in a table row; its text goes to
// `dates`, not `text`. Any other <time> stays text. (A chronology whose first entry is a <time>
// paragraph right under its heading looks the same: that entry's date is taken for the page's.)
// `title`: the text of the first closed <title>, references decoded, white space collapsed.
// `published`: the content of each <meta> whose property, name or itemprop (any case) is
// article:published_time, date, pubdate, publishdate, dc.date, dc.date.issued, article.published
// or datePublished and whose content is not empty, in document order; then the datetime
// attribute of each date line (as for `dates`) that has one, in document order. References
// decoded, spaces around them dropped, not checked to be times: a reader takes the first it can
// parse. Neither `title` nor `published` is read inside an element whose contents are dropped.
// Tolerant of any input (never throws, linear time, no recursion); a '<' that starts no tag is
// text.
// The input must be valid UTF-8 (decode guarantees it); the output is then valid UTF-8.
html_text html_to_text(std::string_view html);

// Decodes character references in text that is otherwise plain ("AT&amp;T" -> "AT&T").
// `strict`: only those ending in ';' and not of a control character ("?a=1&lt=2" and "&#1" stay).
std::string decode_html_entities(std::string_view text, bool strict = false);

}  // namespace wirefeed

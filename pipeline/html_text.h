#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wirefeed {

// The text of an HTML fragment or document.
struct html_text {
  std::string text;                   // paragraphs separated by "\n\n", <br> as "\n"
  std::vector<std::string> captions;  // <figcaption> texts, kept out of `text`
  std::vector<std::string> dates;     // <time> elements that were a paragraph on their own, kept out of `text`
  std::string title;                  // the first <title>; "" if none
  std::string published;              // the publication time the page states, as written; "" if none
};

// Turns HTML into plain text the way a reader sees it: tags are dropped; block elements (p, div,
// h1-h6, li, blockquote, section, article, ...) end a paragraph; a table row is one paragraph,
// the text of its cells (td, th) joined by " | ", cells with no text left out (a block inside a
// cell ends the paragraph only between text of that cell; <br> there is a space); runs of white
// space collapse to one space; character references (named HTML 4, decimal, hex) are decoded,
// invalid ones become U+FFFD, C1 references map as in HTML5 (&#150; -> "–"); the contents of
// script, style, noscript, template, title, svg, iframe, object, textarea and select are dropped,
// and so are a page's nav, aside and footer (its chrome around the article), comments, doctypes
// and processing instructions. Such an element written self-closing (<svg .../>) has no
// contents; one never closed drops the rest of the input if it is raw text in HTML5 (script,
// style, noscript, textarea, title, iframe, as a browser does), else only its start tag.
// A <time> element whose text is the whole of its paragraph (a page's date line:
// <p><time>Feb 7</time></p>) goes to `dates`, not `text`; one inside running text stays text.
// `title`: the text of the first closed <title>, references decoded, white space collapsed.
// `published`: the content of the first <meta> whose property, name or itemprop (any case) is
// article:published_time, date, pubdate, publishdate, dc.date, dc.date.issued, article.published
// or datePublished, else the datetime attribute of the first <time> that has one; references
// decoded, spaces around it dropped, not checked to be a time. Neither is read inside an element
// whose contents are dropped.
// Tolerant of any input (never throws, linear time, no recursion); a '<' that starts no tag is
// text.
// The input must be valid UTF-8 (decode guarantees it); the output is then valid UTF-8.
html_text html_to_text(std::string_view html);

// Decodes character references in text that is otherwise plain ("AT&amp;T" -> "AT&T").
// `strict`: only those ending in ';' and not of a control character ("?a=1&lt=2" and "&#1" stay).
std::string decode_html_entities(std::string_view text, bool strict = false);

}  // namespace wirefeed

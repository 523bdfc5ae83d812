#include "pipeline/html_text.h"

#include "pipeline/utf8_cursor.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <utility>

#include "pipeline/html_entities.h"
#include "pipeline/text_fold.h"

namespace wirefeed {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// One of the Unicode spaces a character reference may stand for (&nbsp;, &ensp;, &#8201;, ...).
bool is_unicode_space(std::string_view s) {
  if (s == "\xC2\xA0" || s == "\xE2\x80\xAF" || s == "\xE2\x81\x9F" || s == "\xE3\x80\x80") return true;
  return s.size() == 3 && s[0] == '\xE2' && s[1] == '\x80' && static_cast<unsigned char>(s[2]) >= 0x80 &&
         static_cast<unsigned char>(s[2]) <= 0x8A;
}

// HTML5: numeric references to 0x80..0x9F mean windows-1252.
constexpr std::array<std::uint16_t, 32> k_c1{
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

constexpr std::uint32_t k_replacement = 0xFFFD;

// Decodes the character reference at s[pos] == '&' into `out`; returns the bytes consumed, or 0
// if there is none (the '&' is then literal). `strict`: only references ending in ';' and not of
// a control character (plain text, where "&lt=2" in a URL and "&#1" are text).
std::size_t decode_reference(std::string_view s, std::size_t pos, std::string& out, bool strict = false) {
  std::size_t i = pos + 1;
  if (i < s.size() && s[i] == '#') {
    ++i;
    const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    const std::size_t digits_start = i;
    std::uint32_t cp = 0;
    bool overflow = false;
    while (i < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[i])) != 0
                                : std::isdigit(static_cast<unsigned char>(s[i])) != 0)) {
      const char c = lower(s[i]);
      const std::uint32_t d = c >= 'a' ? static_cast<std::uint32_t>(c - 'a' + 10) : static_cast<std::uint32_t>(c - '0');
      if (cp > 0x10FFFF) overflow = true;
      else cp = cp * (hex ? 16 : 10) + d;
      ++i;
    }
    if (i == digits_start) return 0;
    if (strict && (i >= s.size() || s[i] != ';' || cp < 0x20)) return 0;
    if (i < s.size() && s[i] == ';') ++i;
    if (overflow || cp > 0x10FFFF || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) cp = k_replacement;
    else if (cp >= 0x80 && cp <= 0x9F) cp = k_c1[cp - 0x80];
    if (cp < 0x20 && cp != '\t' && cp != '\n') cp = ' ';
    utf8::append(out, static_cast<char32_t>(cp));
    return i - pos;
  }
  std::size_t end = i;
  while (end < s.size() && end - i < 10 && is_alnum(s[end])) ++end;
  if (end == i) return 0;
  const std::string_view name = s.substr(i, end - i);
  if (end < s.size() && s[end] == ';') {
    if (auto text = html_entity(name)) {
      out += *text;
      return end + 1 - pos;
    }
    return 0;
  }
  // Legacy references without ';' that are common in feeds.
  if (strict) return 0;
  for (std::string_view legacy : {"amp", "lt", "gt", "quot", "nbsp"}) {
    if (name == legacy) {
      out += *html_entity(name);
      return end - pos;
    }
  }
  return 0;
}

enum class tag_role { inline_tag, block, table_block, cell, line_break, skip_contents, caption };

// The elements whose contents are dropped. The first six hold raw text in HTML5 (no markup inside:
// a browser shows nothing of them up to their end tag, or to the end of the document when there is
// none); the others hold markup, so when one is never closed only its start tag is dropped and the
// text after it stays. nav, aside and footer are a page's chrome around its article (menus,
// related links, the site's footer), not its text. Not form: ASP.NET pages wrap all of the page
// in one.
constexpr std::array<std::string_view, 13> skipped{"script", "style", "noscript", "textarea", "title",
                                                   "iframe", "svg",   "template", "object",   "select",
                                                   "nav",    "aside", "footer"};
constexpr std::size_t k_raw_text_skipped = 6;

std::size_t skipped_index(std::string_view name) {
  std::size_t k = 0;
  while (k < skipped.size() && skipped[k] != name) ++k;
  return k;
}

tag_role role_of(std::string_view name) {
  static constexpr std::array<std::string_view, 31> blocks{
      "p",       "div",     "h1",      "h2",     "h3",     "h4",     "h5",         "h6",       "li",      "ul",
      "ol",      "dl",      "dt",      "dd",     "section", "article", "header",   "footer",   "aside",   "nav",
      "main",    "figure",  "blockquote", "pre", "hr",     "address", "form",      "fieldset", "details", "summary",
      "body"};
  static constexpr std::array<std::string_view, 5> table_blocks{"table", "thead", "tbody", "tfoot", "tr"};
  if (name == "br") return tag_role::line_break;
  if (name == "figcaption") return tag_role::caption;
  if (name == "td" || name == "th") return tag_role::cell;
  for (auto s : skipped) {
    if (name == s) return tag_role::skip_contents;
  }
  for (auto b : blocks) {
    if (name == b) return tag_role::block;
  }
  for (auto b : table_blocks) {
    if (name == b) return tag_role::table_block;
  }
  return tag_role::inline_tag;
}

// Builds paragraphs with HTML white-space collapsing. Owned by one html_to_text call.
//
// Table rows: the cells of a row are held until the row ends (at a table, thead, tbody, tfoot or
// tr tag, a block outside a cell, or the end of the input) while the row is data-like: every
// cell short (at most k_max_data_cell_chars code points) with no paragraph break inside. Such a
// row is one paragraph, the text of its cells joined by " | " (cells with no text add nothing),
// a <br> in a cell a space. As soon as a cell is long or breaks, the row is a layout row: each of
// its cells is its own paragraph or paragraphs, as any block's text is, a <br> a line break. A
// paragraph break inside a cell is a block boundary or two <br> or more in a row with text of that
// cell before and after it (<td><p>12</p></td> is "12"). The cells held are at most one row's
// text and each is moved once, so the work stays linear.
//
// A paragraph marked by set_aside_paragraph() that gets no more text goes to the set-aside list
// instead of the text.
class text_builder {
 public:
  void text(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
      if (is_space(s[i])) {
        pending_space_ = true;
        ++i;
        continue;
      }
      std::size_t end = i + 1;
      while (end < s.size() && !is_space(s[end])) ++end;
      append(s.substr(i, end - i));
      i = end;
    }
  }
  void decoded(const std::string& s) {
    // A decoded reference is text too, but "&nbsp;" is not collapsible white space, except where
    // nothing of the cell or paragraph came before it (<td>&nbsp;</td> is an empty cell).
    if (s.empty()) return;
    if (!has_text_ && is_unicode_space(s)) {
      pending_space_ = true;
      return;
    }
    append(s);
  }
  // A <br>.
  void line_break() {
    if (row_ == row::none) {
      // A second <br> in a row (white space between them allowed): a blank line, a paragraph's
      // end, as in a cell (pages that mark paragraphs with <br><br> and wrap lines with <br>).
      if (current_.empty() && !lines_.empty()) {
        paragraph_break();
      } else {
        end_line();
      }
    } else if (in_cell_ && has_text_) {
      cell_pending_ = cell_pending_ == pending::none ? pending::line : pending::paragraph;
    }
  }
  // The start or end of a block element.
  void block_break() {
    if (in_cell_) {
      if (has_text_) cell_pending_ = pending::paragraph;
      return;
    }
    end_row();
    paragraph_break();
  }
  // A table, thead, tbody, tfoot or tr tag: the end of a row, and of any paragraph.
  void table_break() {
    end_row();
    paragraph_break();
  }
  // The start (`open`) or end of a table cell (td, th).
  void cell_break(bool open) {
    if (!open && row_ == row::none) return;  // a stray </td>
    if (row_ == row::layout) paragraph_break();
    if (open && row_ == row::none) {
      paragraph_break();
      row_ = row::data;
    }
    in_cell_ = open;
    begin_cell();
  }
  void paragraph_break() {
    end_line();
    has_text_ = false;
    cell_pending_ = pending::none;
    ++paragraphs_;
    const bool aside = std::exchange(set_aside_, false);
    std::string datetime = std::exchange(set_aside_datetime_, std::string());
    if (lines_.empty()) return;
    std::string* out = &out_;
    if (aside) {
      out = &set_aside_list_.emplace_back();
      set_aside_datetimes_.push_back(std::move(datetime));
    }
    if (!out->empty()) *out += "\n\n";
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      if (i > 0) *out += '\n';
      *out += lines_[i];
    }
    lines_.clear();
  }
  // Ends the paragraph and any row: all the text is in the paragraphs then.
  void finish() {
    end_row();
    paragraph_break();
  }
  // Counts paragraph breaks: equal at two points, no paragraph ended between them.
  std::size_t paragraph_id() const { return paragraphs_; }
  // Counts the runs of text added: equal at two points, no text came between them.
  std::size_t text_id() const { return texts_; }
  bool paragraph_empty() const { return current_.empty() && lines_.empty(); }
  bool in_table_row() const { return row_ != row::none; }
  // Sets the paragraph so far aside, with `datetime`, unless more text comes before its end.
  void set_aside_paragraph(std::string datetime) {
    set_aside_ = !paragraph_empty();
    set_aside_datetime_ = std::move(datetime);
  }
  // The paragraphs completed so far, handed over (finish() first for all of them).
  std::string take() { return std::exchange(out_, std::string()); }
  std::vector<std::string> take_set_aside() { return std::exchange(set_aside_list_, {}); }
  // The `datetime` of each set-aside paragraph, in the same order.
  std::vector<std::string> take_set_aside_datetimes() { return std::exchange(set_aside_datetimes_, {}); }
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

 private:
  static constexpr std::size_t k_max_data_cell_chars = 120;
  enum class row : std::uint8_t { none, data, layout };
  enum class pending : std::uint8_t { none, line, paragraph };

  void end_line() {
    if (!current_.empty()) lines_.push_back(std::move(current_));
    current_.clear();
    pending_space_ = false;
  }
  void begin_cell() {
    has_text_ = false;
    cell_pending_ = pending::none;
    cell_chars_ = 0;
    pending_space_ = false;
  }
  void end_row() {
    if (row_ == row::data) {
      paragraph_break();
      for (const std::string& cell : cells_) {
        if (!current_.empty()) current_ += " | ";
        const std::size_t from = current_.size();
        current_ += cell;
        std::replace(current_.begin() + static_cast<std::ptrdiff_t>(from), current_.end(), '\n', ' ');
      }
      cells_.clear();
    }
    if (row_ != row::none) paragraph_break();
    row_ = row::none;
    in_cell_ = false;
  }
  // The row held turns out a layout row: each cell held becomes its own paragraph, its single
  // <br>s line breaks; the current cell's text stays the paragraph being built.
  void to_layout() {
    const bool open = in_cell_ && has_text_;  // cells_.back() is the current cell's text
    const pending was_pending = cell_pending_;
    row_ = row::layout;
    std::vector<std::string> cells = std::exchange(cells_, {});
    paragraph_break();
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::string_view cell = cells[c];
      for (std::size_t nl; (nl = cell.find('\n')) != std::string_view::npos; cell.remove_prefix(nl + 1)) {
        lines_.emplace_back(cell.substr(0, nl));
      }
      current_ = std::string(cell);
      if (c + 1 < cells.size() || !open) paragraph_break();
    }
    has_text_ = open;
    cell_pending_ = was_pending;
  }
  void append(std::string_view piece) {
    ++texts_;
    if (row_ == row::data && !in_cell_) {  // text between cells: a cell of its own
      in_cell_ = true;
      begin_cell();
    }
    if (in_cell_ && has_text_ && cell_pending_ != pending::none) {
      const pending p = std::exchange(cell_pending_, pending::none);
      if (p == pending::paragraph) {
        if (row_ == row::data) to_layout();
        paragraph_break();
      } else if (row_ == row::data) {
        cells_.back() += '\n';
        ++cell_chars_;
      } else {
        end_line();
      }
      pending_space_ = false;
    }
    const bool held = row_ == row::data;  // in a cell of a row still data-like
    if (held && !has_text_) cells_.emplace_back();
    std::string& out = held ? cells_.back() : current_;
    if (pending_space_ && !out.empty() && out.back() != '\n') {
      out += ' ';
      ++cell_chars_;
    }
    out += piece;
    pending_space_ = false;
    has_text_ = true;
    set_aside_ = false;
    if (held && (cell_chars_ += utf8::count_code_points(piece)) > k_max_data_cell_chars) to_layout();
  }

  std::string out_;
  std::vector<std::string> set_aside_list_;
  std::vector<std::string> set_aside_datetimes_;
  std::size_t paragraphs_ = 0;
  std::size_t texts_ = 0;
  std::string current_;  // the line being built
  std::vector<std::string> lines_;
  bool pending_space_ = false;  // white space since the last text
  bool has_text_ = false;       // text since the current cell or paragraph began
  bool set_aside_ = false;      // the paragraph so far is to be set aside
  std::string set_aside_datetime_;
  row row_ = row::none;                     // the table row whose cells are being read, if any
  bool in_cell_ = false;                    // inside a cell of that row
  std::vector<std::string> cells_;          // a data-like row: its cells with text so far; '\n' a single <br>
  std::size_t cell_chars_ = 0;              // code points of the current cell (spaces too), in a data-like row
  pending cell_pending_ = pending::none;    // a break in the current cell, after its text
};

struct tag {
  std::string name;  // lower-case
  bool closing = false;
  bool self_closing = false;  // the start tag ends with "/>" (<svg .../>): an element with no contents
  std::size_t attributes = 0; // where the attributes begin (just after the name)
  std::size_t end = 0;        // just after '>' (or the end of input)
};

// Parses the tag at s[pos] == '<'; nothing if what follows cannot start a tag.
std::optional<tag> parse_tag(std::string_view s, std::size_t pos) {
  std::size_t i = pos + 1;
  tag t;
  if (i < s.size() && s[i] == '/') {
    t.closing = true;
    ++i;
  }
  if (i >= s.size() || !is_alpha(s[i])) return std::nullopt;
  while (i < s.size() && (is_alnum(s[i]) || s[i] == '-' || s[i] == ':')) t.name += lower(s[i++]);
  t.attributes = i;
  // Attributes: skip to the '>' that is not inside quotes. A '/' right before that '>' makes the
  // tag self-closing, unless it ends an unquoted attribute value (<a href=/x/>: HTML5 reads the
  // '/' as part of the value).
  char quote = 0;
  bool after_equals = false;  // an attribute value may start here
  bool unquoted = false;      // inside an unquoted attribute value
  bool slash = false;         // the last character was a '/' outside any value
  while (i < s.size()) {
    const char c = s[i++];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '>') {
      t.self_closing = slash && !t.closing;
      break;
    }
    slash = false;
    if (c == '"' || c == '\'') {
      quote = c;
      after_equals = false;
      unquoted = false;
    } else if (is_space(c)) {
      unquoted = false;
    } else if (unquoted) {
      // part of the value, '/' included
    } else if (after_equals) {
      after_equals = false;
      unquoted = true;
    } else if (c == '=') {
      after_equals = true;
    } else if (c == '/') {
      slash = true;
    }
  }
  t.end = i;
  return t;
}

// Calls f(name, value) for each attribute in `s`, the text of a start tag after its name, up to
// the '>' that ends it: names in lower case, values as written without their quotes (references
// not decoded), "" for an attribute with no value. Linear in the size of `s`.
template <class F>
void for_each_attribute(std::string_view s, F&& f) {
  std::string name;
  std::size_t i = 0;
  while (i < s.size() && s[i] != '>') {
    const char c = s[i];
    if (is_space(c) || c == '/' || c == '=') {
      ++i;
      continue;
    }
    if (c == '"' || c == '\'') {  // a quoted run where no value starts: skipped, as parse_tag does
      const std::size_t close = s.find(c, i + 1);
      i = close == std::string_view::npos ? s.size() : close + 1;
      continue;
    }
    name.clear();
    while (i < s.size() && !is_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/' && s[i] != '"' && s[i] != '\'') {
      name += lower(s[i++]);
    }
    std::size_t k = i;
    while (k < s.size() && is_space(s[k])) ++k;
    std::string_view value;
    if (k < s.size() && s[k] == '=') {
      i = k + 1;
      while (i < s.size() && is_space(s[i])) ++i;
      if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        const std::size_t close = s.find(s[i], i + 1);
        const std::size_t end = close == std::string_view::npos ? s.size() : close;
        value = s.substr(i + 1, end - (i + 1));
        i = close == std::string_view::npos ? s.size() : close + 1;
      } else {
        const std::size_t begin = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '>') ++i;
        value = s.substr(begin, i - begin);
      }
    }
    f(std::string_view(name), value);
  }
}

// The names a <meta> gives its page's publication time under (in property, name or itemprop).
bool names_published_time(std::string_view key) {
  static constexpr std::array<std::string_view, 8> keys{"article:published_time", "date",    "pubdate",
                                                        "publishdate",            "dc.date", "dc.date.issued",
                                                        "article.published",      "datepublished"};
  return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) { return ascii_iequals(key, k); });
}

// An attribute value as a browser reads it (references decoded), without the spaces around it.
std::string attribute_text(std::string_view value) {
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  return value.find('&') == std::string_view::npos ? std::string(value) : decode_html_entities(value);
}

// The content of a <meta> (its attributes `attributes`) that gives its page's publication time;
// "" for any other.
std::string meta_published_time(std::string_view attributes) {
  bool named = false;
  std::string_view content;
  for_each_attribute(attributes, [&](std::string_view name, std::string_view value) {
    if (name == "property" || name == "name" || name == "itemprop") {
      named = named || names_published_time(attribute_text(value));
    } else if (name == "content") {
      content = value;
    }
  });
  return named ? attribute_text(content) : std::string();
}

// The datetime attribute of a <time> (its attributes `attributes`); "" if none.
std::string datetime_of(std::string_view attributes) {
  std::string datetime;
  for_each_attribute(attributes, [&](std::string_view name, std::string_view value) {
    if (name == "datetime" && datetime.empty()) datetime = attribute_text(value);
  });
  return datetime;
}

// The text of a <title>: references decoded, runs of white space one space, none at the ends.
std::string title_text(std::string_view raw) {
  const std::string decoded = decode_html_entities(raw);
  std::string out;
  bool space = false;
  for (char c : decoded) {
    if (is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Where the contents of a skipped element end: just after its closing tag; npos when it has none.
// `close_begin` is set to where its closing tag begins.
std::size_t skip_element(std::string_view s, std::size_t pos, std::string_view name, std::size_t& close_begin) {
  std::size_t i = pos;
  while ((i = s.find("</", i)) != std::string_view::npos) {
    std::size_t k = i + 2;
    std::size_t n = 0;
    while (n < name.size() && k < s.size() && lower(s[k]) == name[n]) {
      ++k;
      ++n;
    }
    if (n == name.size() && (k >= s.size() || !(is_alnum(s[k]) || s[k] == '-'))) {  // not </nav-item>
      close_begin = i;
      const std::size_t close = s.find('>', k);
      return close == std::string_view::npos ? s.size() : close + 1;
    }
    i += 2;
  }
  return std::string_view::npos;
}

}  // namespace

std::string decode_html_entities(std::string_view text, bool strict) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '&') {
      if (const std::size_t used = decode_reference(text, i, out, strict); used > 0) {
        i += used;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

html_text html_to_text(std::string_view s) {
  html_text result;
  text_builder body;
  body.reserve(s.size() / 2);
  text_builder caption;
  int caption_depth = 0;
  bool title_seen = false;
  std::vector<std::string> meta_published;  // what each <meta> naming the publication time says
  // The page's date line: a <time> that is a paragraph of its own before any paragraph of the
  // article's text (headings before it are no such text), outside lists and tables.
  int heading_depth = 0;        // open h1-h6
  int list_depth = 0;           // open ul, ol, dl
  bool body_text_seen = false;  // text of the article outside headings and date lines so far
  std::size_t text_id = 0;      // body.text_id() when body_text_seen was last brought up to date
  int time_depth = 0;           // open <time> elements in the body
  std::size_t time_paragraph = 0;
  bool time_alone = false;  // the outermost open <time> may be a date line: it began a paragraph, at the top
  std::string time_datetime;  // its datetime attribute
  auto current = [&]() -> text_builder& { return caption_depth > 0 ? caption : body; };
  const auto depth_change = [](int& depth, const tag& t) {
    if (t.self_closing) return;
    depth = t.closing ? std::max(depth - 1, 0) : depth + 1;
  };

  // Per skipped element: a position from which its closing tag is known to be absent, so that
  // many unclosed start tags of one kind still cost one scan (linear time).
  std::array<std::size_t, skipped.size()> unclosed_from;
  unclosed_from.fill(std::string_view::npos);

  std::size_t i = 0;
  std::size_t text_start = 0;
  auto flush_text = [&](std::size_t upto) {
    if (upto > text_start) current().text(s.substr(text_start, upto - text_start));
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '&') {
      flush_text(i);
      std::string decoded;
      if (const std::size_t used = decode_reference(s, i, decoded); used > 0) {
        current().decoded(decoded);
        i += used;
      } else {
        current().text("&");
        ++i;
      }
      text_start = i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    flush_text(i);
    if (s.substr(i, 4) == "<!--") {
      const std::size_t end = s.find("-->", i + 4);
      i = end == std::string_view::npos ? s.size() : end + 3;
    } else if (i + 1 < s.size() && (s[i + 1] == '!' || s[i + 1] == '?')) {
      if (s.substr(i, 9) == "<![CDATA[") {
        const std::size_t end = s.find("]]>", i + 9);
        const std::size_t stop = end == std::string_view::npos ? s.size() : end;
        current().text(s.substr(i + 9, stop - (i + 9)));
        i = end == std::string_view::npos ? s.size() : end + 3;
      } else {
        const std::size_t end = s.find('>', i);
        i = end == std::string_view::npos ? s.size() : end + 1;
      }
    } else if (auto t = parse_tag(s, i)) {
      i = t->end;
      // The body's text since the last tag was the article's unless inside a heading or a date line.
      if (body.text_id() != text_id) {
        text_id = body.text_id();
        if (heading_depth == 0 && (time_depth == 0 || !time_alone)) body_text_seen = true;
      }
      const std::string_view attributes = s.substr(t->attributes, t->end - t->attributes);
      if (t->name == "meta" && !t->closing) {
        if (std::string time = meta_published_time(attributes); !time.empty()) meta_published.push_back(std::move(time));
      } else if (t->name == "time" && !t->closing) {
        if (!t->self_closing && caption_depth == 0 && time_depth++ == 0) {
          time_paragraph = body.paragraph_id();
          time_alone = body.paragraph_empty() && !body_text_seen && list_depth == 0 && !body.in_table_row();
          time_datetime = time_alone ? datetime_of(attributes) : std::string();
        }
      } else if (t->name == "time" && time_depth > 0 && --time_depth == 0 && caption_depth == 0 && time_alone &&
                 body.paragraph_id() == time_paragraph) {
        body.set_aside_paragraph(std::move(time_datetime));
      } else if (t->name.size() == 2 && t->name[0] == 'h' && t->name[1] >= '1' && t->name[1] <= '6') {
        depth_change(heading_depth, *t);
      } else if (t->name == "ul" || t->name == "ol" || t->name == "dl") {
        depth_change(list_depth, *t);
      }
      switch (role_of(t->name)) {
        case tag_role::inline_tag: break;
        case tag_role::line_break: current().line_break(); break;
        case tag_role::block: current().block_break(); break;
        case tag_role::table_block: current().table_break(); break;
        case tag_role::cell: current().cell_break(!t->closing && !t->self_closing); break;
        case tag_role::skip_contents: {
          if (t->closing || t->self_closing) break;  // <svg .../> has no contents
          const std::size_t k = skipped_index(t->name);
          std::size_t close_begin = i;
          const std::size_t end =
              i >= unclosed_from[k] ? std::string_view::npos : skip_element(s, i, t->name, close_begin);
          if (end != std::string_view::npos) {
            if (t->name == "title" && !title_seen) {
              title_seen = true;
              result.title = title_text(s.substr(i, close_begin - i));
            }
            i = end;
          } else {
            unclosed_from[k] = std::min(unclosed_from[k], i);
            if (k < k_raw_text_skipped) i = s.size();  // e.g. an unclosed <script>: all of it is script
          }
          break;
        }
        case tag_role::caption:
          if (t->self_closing) break;  // <figcaption/>: an empty caption
          if (!t->closing) {
            body.line_break();
            ++caption_depth;
          } else if (caption_depth > 0) {
            caption.finish();
            if (std::string joined = caption.take(); !joined.empty()) result.captions.push_back(std::move(joined));
            --caption_depth;
          }
          break;
      }
    } else {
      current().text("<");
      ++i;
    }
    text_start = i;
  }
  flush_text(s.size());
  if (caption_depth > 0) {
    caption.finish();
    if (std::string joined = caption.take(); !joined.empty()) result.captions.push_back(std::move(joined));
  }
  body.finish();
  result.text = body.take();
  result.dates = body.take_set_aside();
  result.published = std::move(meta_published);
  for (std::string& datetime : body.take_set_aside_datetimes()) {
    if (!datetime.empty()) result.published.push_back(std::move(datetime));
  }
  return result;
}

}  // namespace wirefeed

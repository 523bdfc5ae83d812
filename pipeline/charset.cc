#include "pipeline/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <climits>
#include <memory>

#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed::charset {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == ':';
}

// The value after `key` at `at` in `s`: "charset=utf-8", "charset = 'koi8-r'",
// "encoding=\"windows-1251\"".
std::optional<std::string> value_after(std::string_view s, std::size_t at, std::string_view key) {
  std::size_t i = at + key.size();
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i == s.size() || s[i] != '=') return std::nullopt;
  ++i;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '"' || s[i] == '\'')) ++i;
  const std::size_t start = i;
  while (i < s.size() && is_name_char(s[i])) ++i;
  if (i == start) return std::nullopt;
  return std::string(s.substr(start, i - start));
}

// "text/html; charset=windows-1251": found in lower case, the name as written.
std::optional<std::string> from_content_type(std::string_view content_type) {
  const std::string ct = ascii_lower(content_type);
  for (std::size_t at = ct.find("charset"); at != std::string::npos; at = ct.find("charset", at + 1)) {
    if (auto v = value_after(content_type, at, "charset")) return v;
  }
  return std::nullopt;
}

// <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=..."> in the
// head, or the XML declaration's encoding, within the first 1024 bytes (where HTML5 says to look).
std::optional<std::string> from_document(std::string_view value) {
  const std::string_view written = value.substr(0, 1024);
  const std::string head = ascii_lower(written);
  if (const std::size_t start = head.find_first_not_of(" \t\r\n"); start != std::string::npos &&
                                                                     head.compare(start, 5, "<?xml") == 0) {
    const std::size_t end = head.find("?>", start);
    const std::string_view decl = std::string_view(head).substr(start, end == std::string::npos ? end : end - start);
    if (const std::size_t at = decl.find("encoding"); at != std::string_view::npos) {
      if (auto v = value_after(written.substr(start, decl.size()), at, "encoding")) return v;
    }
  }
  for (std::size_t at = head.find("<meta"); at != std::string::npos; at = head.find("<meta", at + 1)) {
    const std::size_t end = head.find('>', at);
    const std::string_view tag = std::string_view(head).substr(at, end == std::string::npos ? end : end - at);
    if (const std::size_t c = tag.find("charset"); c != std::string_view::npos) {
      if (auto v = value_after(written.substr(at, tag.size()), c, "charset")) return v;
    }
  }
  return std::nullopt;
}

// Counts each byte sequence the converter cannot map and writes U+FFFD for it (ICU's own
// substitution writes U+001A for some single-byte charsets).
void count_and_replace(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                       UConverterCallbackReason reason, UErrorCode* error) {
  if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
  ++*static_cast<std::size_t*>(const_cast<void*>(context));
  static const UChar replacement = 0xFFFD;
  *error = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &replacement, 1, 0, error);
}

// The WHATWG Encoding standard's readings of labels that name a charset feeds do not mean.
std::string icu_name(std::string_view name) {
  const std::string n = ascii_lower(name);
  if (n == "iso-8859-1" || n == "iso8859-1" || n == "latin1" || n == "l1" || n == "us-ascii" || n == "ascii" ||
      n == "iso_8859-1" || n == "cp1252") {
    return "windows-1252";
  }
  if (n == "iso-8859-9" || n == "iso8859-9" || n == "latin5") return "windows-1254";
  if (n == "gb2312" || n == "gbk" || n == "x-gbk") return "GB18030";
  // Without a byte order mark ICU reads these big-endian; what declares them is mostly Windows.
  if (n == "utf-16" || n == "utf16" || n == "unicode" || n == "ucs-2") return "UTF-16LE";
  if (n == "utf-32" || n == "utf32") return "UTF-32LE";
  return std::string(name);
}

}  // namespace

std::optional<declaration> declared(std::string_view content_type, std::string_view value) {
  const auto starts = [&](std::string_view bom) { return value.substr(0, bom.size()) == bom; };
  using namespace std::string_view_literals;
  if (starts("\xFF\xFE\0\0"sv)) return declaration{"UTF-32LE", 4};
  if (starts("\0\0\xFE\xFF"sv)) return declaration{"UTF-32BE", 4};
  if (starts("\xFF\xFE"sv)) return declaration{"UTF-16LE", 2};
  if (starts("\xFE\xFF"sv)) return declaration{"UTF-16BE", 2};
  if (starts("\xEF\xBB\xBF"sv)) return declaration{"UTF-8", 3};
  if (auto n = from_content_type(content_type)) return declaration{std::move(*n), 0};
  if (auto n = from_document(value)) return declaration{std::move(*n), 0};
  return std::nullopt;
}

bool is_utf8(std::string_view name) {
  const std::string n = ascii_lower(name);
  return n == "utf-8" || n == "utf8" || n == "unicode-1-1-utf-8";
}

bool is_wide(std::string_view name) {
  const std::string n = ascii_lower(name);
  return n.starts_with("utf-16") || n.starts_with("utf16") || n.starts_with("utf-32") || n.starts_with("utf32") ||
         n == "ucs-2" || n == "unicode";
}

std::optional<converted> to_utf8(std::string_view bytes, std::string_view name) {
  if (name.empty() || bytes.size() > INT_MAX / 4) return std::nullopt;  // "" would open ICU's default
  UErrorCode error = U_ZERO_ERROR;
  const std::unique_ptr<UConverter, decltype(&ucnv_close)> cnv(ucnv_open(icu_name(name).c_str(), &error), &ucnv_close);
  if (U_FAILURE(error) || !cnv) return std::nullopt;
  converted out;
  ucnv_setToUCallBack(cnv.get(), &count_and_replace, &out.undecodable, nullptr, nullptr, &error);
  if (U_FAILURE(error)) return std::nullopt;
  // A byte gives at most three bytes of UTF-8 (U+FFFD for an illegal one), two or four bytes at
  // most four.
  out.text.resize(3 * bytes.size() + 4);
  const int32_t n = ucnv_toAlgorithmic(UCNV_UTF8, cnv.get(), out.text.data(), static_cast<int32_t>(out.text.size()),
                                       bytes.data(), static_cast<int32_t>(bytes.size()), &error);
  if (U_FAILURE(error)) return std::nullopt;
  out.text.resize(static_cast<std::size_t>(n));
  out.characters = utf8::count_code_points(out.text);
  return out;
}

}  // namespace wirefeed::charset

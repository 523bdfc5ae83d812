#include "pipeline/name_anchors.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/unordered/unordered_flat_map.hpp>

#include "pipeline/ner/feature_hash.h"
#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {

namespace {

// ASCII first: most letters of most feeds are, and ICU's lookups cost a call each.
bool is_letter(char32_t cp) {
  return cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') : u_isalpha(static_cast<UChar32>(cp)) != 0;
}

bool is_capital(char32_t cp) {
  return cp < 0x80 ? (cp >= 'A' && cp <= 'Z')
                   : u_isupper(static_cast<UChar32>(cp)) != 0 || u_istitle(static_cast<UChar32>(cp)) != 0;
}

bool is_digit(std::string_view s, std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// A thousands separator at s[i] (",", ".", a space, U+00A0, U+202F) followed by exactly three
// digits: its length in bytes, else 0.
std::size_t thousands_separator(std::string_view s, std::size_t i) {
  std::size_t len = 0;
  if (i < s.size() && (s[i] == ',' || s[i] == '.' || s[i] == ' ')) len = 1;
  else if (s.substr(i, 2) == "\xC2\xA0") len = 2;
  else if (s.substr(i, 3) == "\xE2\x80\xAF") len = 3;
  if (len == 0) return 0;
  const std::size_t d = i + len;
  return is_digit(s, d) && is_digit(s, d + 1) && is_digit(s, d + 2) && !is_digit(s, d + 3) ? len : 0;
}

// Words to `out`, numbers to `numbers` (to `out` too when it is null).
void scan(std::string_view s, std::vector<std::uint64_t>& out, std::vector<std::uint64_t>* numbers = nullptr) {
  bool sentence_start = true;
  std::string key;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_digit(s, i)) {
      key = "#";
      while (true) {
        while (is_digit(s, i)) key += s[i++];
        const std::size_t sep = thousands_separator(s, i);
        if (sep == 0) break;
        i += sep;
      }
      if (key.size() >= 3) (numbers ? *numbers : out).push_back(ner::hash_bytes(key));
      sentence_start = false;
      continue;
    }
    std::size_t next = i;
    const char32_t cp = utf8::next(s, next);
    if (!is_letter(cp)) {  // spaces, quotes, brackets, symbols: a sentence opens after . ! ? : or a line break
      if (cp == '.' || cp == '!' || cp == '?' || cp == '\n' || cp == ':') sentence_start = true;
      i = next;
      continue;
    }
    // A word: kept when it has a capital and does not open a sentence; else only skipped.
    const bool kept = is_capital(cp) && !sentence_start;
    sentence_start = false;
    key.clear();
    std::size_t letters = 0;
    char buffer[4];
    for (char32_t c = cp;;) {
      if (kept) key.append(buffer, utf8::write(base_letter(c), buffer));
      ++letters;
      i = next;
      if (i >= s.size()) break;
      c = utf8::next(s, next);
      if (!is_letter(c)) break;
    }
    if (kept && letters >= 3) out.push_back(ner::hash_bytes(key));
  }
}

// Sorted, distinct, the smallest max_paragraph_anchors.
void sorted_and_cut(std::vector<std::uint32_t>& anchors) {
  std::sort(anchors.begin(), anchors.end());
  anchors.erase(std::unique(anchors.begin(), anchors.end()), anchors.end());
  if (anchors.size() > max_paragraph_anchors) anchors.resize(max_paragraph_anchors);
}

}  // namespace

std::vector<std::uint64_t> name_anchors(std::string_view headline, std::string_view body) {
  std::vector<std::uint64_t> out;
  scan(headline, out);
  scan(body, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<anchored_paragraph> paragraph_anchors(std::string_view body, const std::vector<paragraph>& paragraphs) {
  std::vector<anchored_paragraph> out;
  std::vector<std::uint64_t> words, numbers;
  for (const auto& p : paragraphs) {
    if (out.size() == max_anchor_paragraphs) break;
    if (p.text.end > body.size() || p.text.begin > p.text.end) continue;
    words.clear();
    numbers.clear();
    scan(body.substr(p.text.begin, p.text.size()), words, &numbers);
    if (words.empty() && numbers.empty()) continue;
    anchored_paragraph& q = out.emplace_back();
    q.bytes = p.text.size();
    for (const auto h : words) q.anchors.push_back(static_cast<std::uint32_t>(h) & ~number_bit);
    for (const auto h : numbers) q.anchors.push_back(static_cast<std::uint32_t>(h) | number_bit);
    sorted_and_cut(q.anchors);
  }
  return out;
}

std::vector<std::uint32_t> packed(const anchored_paragraph& p) {
  std::vector<std::uint32_t> out;
  out.reserve(p.anchors.size() + 1);
  out.push_back(p.bytes);
  out.insert(out.end(), p.anchors.begin(), p.anchors.end());
  return out;
}

anchored_paragraph unpacked(std::vector<std::uint32_t> values) {
  anchored_paragraph p;
  if (values.empty()) return p;
  p.bytes = values.front();
  p.anchors.assign(values.begin() + 1, values.end());
  sorted_and_cut(p.anchors);
  return p;
}

anchor_match anchor_alignment(const std::vector<anchored_paragraph>& a, const std::vector<anchored_paragraph>& b,
                              std::size_t min_shared, std::size_t min_paragraphs) {
  // Paragraphs holding each anchor, on each side.
  boost::unordered_flat_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> in;
  for (const auto& p : a) {
    for (const auto x : p.anchors) ++in[x].first;
  }
  for (const auto& p : b) {
    for (const auto x : p.anchors) {
      if (auto it = in.find(x); it != in.end()) ++it->second.second;
    }
  }
  std::size_t shared = 0, numbers_a = 0, numbers_b = 0, numbers_shared = 0;
  for (const auto& [x, n] : in) {
    shared += n.second > 0;
    if ((x & number_bit) == 0) continue;
    ++numbers_a;
    numbers_shared += n.second > 0;
  }
  if (shared < min_shared) return {};
  // A translation keeps the numbers: another day's market report, the same stocks in the same
  // order, does not.
  std::vector<std::uint32_t> own_numbers;  // b's that a does not name
  for (const auto& p : b) {
    for (const auto x : p.anchors) {
      if ((x & number_bit) != 0 && !in.contains(x)) own_numbers.push_back(x);
    }
  }
  std::sort(own_numbers.begin(), own_numbers.end());
  numbers_b = numbers_shared + static_cast<std::size_t>(std::unique(own_numbers.begin(), own_numbers.end()) - own_numbers.begin());
  if (std::min(numbers_a, numbers_b) >= 2 && 2 * numbers_shared < std::max(numbers_a, numbers_b)) return {};
  // Each side's paragraphs naming a shared anchor, as their shared anchors with their weights
  // (sorted by anchor; the rest never pairs anything).
  using weighed = std::vector<std::pair<std::uint32_t, double>>;
  const auto naming_shared = [&](const std::vector<anchored_paragraph>& ps) {
    std::vector<std::pair<const anchored_paragraph*, weighed>> out;
    for (const auto& p : ps) {
      weighed shared_here;
      for (const auto x : p.anchors) {
        const auto it = in.find(x);
        if (it == in.end() || it->second.second == 0) continue;
        shared_here.emplace_back(x, 1.0 / static_cast<double>(std::max(it->second.first, it->second.second)));
      }
      if (!shared_here.empty()) out.emplace_back(&p, std::move(shared_here));
    }
    return out;
  };
  const auto pa = naming_shared(a), pb = naming_shared(b);
  if (pa.size() < min_paragraphs || pb.size() < min_paragraphs) return {};
  const std::size_t n = pa.size(), m = pb.size();
  // At most the shorter side's count pairs: too few to pass, nothing more is worked out.
  if (!anchor_match{static_cast<double>(std::min(n, m)) / static_cast<double>(std::max(n, m)), 0}.translation()) return {};
  const auto weight = [](const weighed& p, const weighed& q) {
    double w = 0;
    for (auto i = p.begin(), j = q.begin(); i != p.end() && j != q.end();) {
      if (i->first < j->first) {
        ++i;
      } else if (j->first < i->first) {
        ++j;
      } else {
        w += i->second;
        ++i;
        ++j;
      }
    }
    return w;
  };
  // The heaviest order-keeping pairing (a longest common subsequence, weighed). A pair needs its
  // shared anchors to weigh more than 0.2: a name alone pairs two paragraphs when it is in at
  // most four on either side.
  constexpr double pair_weight = 0.2;
  std::vector<double> table((n + 1) * (m + 1), 0), w(n * m, 0);
  const auto at = [&](std::size_t i, std::size_t j) -> double& { return table[i * (m + 1) + j]; };
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      const double x = weight(pa[i].second, pb[j].second);
      w[i * m + j] = x > pair_weight ? x : 0;
      at(i + 1, j + 1) = std::max({at(i + 1, j), at(i, j + 1), at(i, j) + w[i * m + j]});
    }
  }
  // Back through the table: the paired paragraphs' log length ratios.
  std::vector<double> ratios;
  for (std::size_t i = n, j = m; i > 0 && j > 0;) {
    const double x = w[(i - 1) * m + (j - 1)];
    if (x > 0 && at(i, j) == at(i - 1, j - 1) + x) {
      ratios.push_back(std::log(static_cast<double>(std::max<std::uint32_t>(pb[j - 1].first->bytes, 1)) /
                                static_cast<double>(std::max<std::uint32_t>(pa[i - 1].first->bytes, 1))));
      --i;
      --j;
    } else if (at(i - 1, j) >= at(i, j - 1)) {
      --i;
    } else {
      --j;
    }
  }
  anchor_match out;
  out.paired = static_cast<double>(ratios.size()) / static_cast<double>(std::max(n, m));
  if (!ratios.empty()) {
    double mean = 0, sq = 0;
    for (const double r : ratios) mean += r;
    mean /= static_cast<double>(ratios.size());
    for (const double r : ratios) sq += (r - mean) * (r - mean);
    out.length_sd = std::sqrt(sq / static_cast<double>(ratios.size()));
  }
  return out;
}

}  // namespace wirefeed

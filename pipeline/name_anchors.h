#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/article.h"

namespace wirefeed {

// What the same story's articles share across languages: names and numbers. The words written
// with a capital letter that do not open a sentence ("Emmanuel", "Macron", "Kremlin", "Washington"),
// folded and without accents, and the numbers of at least two digits with their thousands
// separators dropped ("100,000", "100 000" and "100.000" are one), each hashed once. A French or
// Spanish version of an English wire story shares most of them, though not a word of its prose.
// Sorted, distinct. Any language written with capitals; none for scripts without case.
std::vector<std::uint64_t> name_anchors(std::string_view headline, std::string_view body);

// The same per paragraph of `body` (`paragraphs`, in order), with the paragraph's length in bytes:
// each anchor as its hash's low 31 bits, with `number_bit` set for a number.
// Paragraphs with no anchor are left out; at most `max_anchor_paragraphs` kept (the first), and of
// a paragraph's anchors at most `max_paragraph_anchors`, the smallest hashes (a list of hundreds
// of names is kept to a sample that two versions of it still share).
inline constexpr std::uint32_t number_bit = 0x80000000u;
inline constexpr std::size_t max_anchor_paragraphs = 32;
inline constexpr std::size_t max_paragraph_anchors = 64;
std::vector<anchored_paragraph> paragraph_anchors(std::string_view body, const std::vector<paragraph>& paragraphs);

// A paragraph's anchors as records carry them (hand-off, changelog fingerprints): its length, then
// its anchors. unpacked() takes any values back, sorted, distinct and cut as paragraph_anchors
// leaves them (a record of another build).
std::vector<std::uint32_t> packed(const anchored_paragraph& p);
anchored_paragraph unpacked(std::vector<std::uint32_t> values);

// How far two articles' paragraphs line up as a text and its translation do: the same names and
// numbers paragraph by paragraph, in the same order, in paragraphs of proportionate lengths.
// Another report of the story in another language names the same people, in another order and
// in paragraphs of lengths of their own.
//
// No match (0) when the two share fewer than `min_shared` anchors; when both give at least 2
// numbers and fewer than half of the more numerous side's are the other's too (a translation
// keeps its numbers, another day's market report of the same stocks in the same order does
// not); or when either side has fewer than `min_paragraphs` paragraphs naming a shared anchor,
// or under 0.8 of the other side's count (too few to pass). Else each shared anchor weighs 1 /
// the most paragraphs it is in on either side (a name in every paragraph, the story's subject,
// says little about which paragraph is which), and the paragraphs are paired in order where
// their shared anchors weigh most (a weighted longest common subsequence; a pair needs more than
// 0.2: a name alone pairs two paragraphs when it is in at most four on either side).
// `paired`: the pairs over the longer side's count of such paragraphs. `length_sd`: the standard
// deviation of the pairs' log length ratios; a translation's paragraphs are all about as much
// longer or shorter as its language makes them (the observation behind Gale and Church's
// sentence alignment, 1993), another text's are not. A translation: paired >= 0.8, length_sd
// <= 0.2 (docs/clustering.md has how they were chosen).
struct anchor_match {
  double paired = 0;
  double length_sd = 0;
  bool translation() const { return paired >= 0.8 && length_sd <= 0.2; }
};
anchor_match anchor_alignment(const std::vector<anchored_paragraph>& a, const std::vector<anchored_paragraph>& b,
                              std::size_t min_shared = 6, std::size_t min_paragraphs = 5);

}  // namespace wirefeed

#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace wirefeed {

// What the same story's articles share across languages: names and numbers. The words written
// with a capital letter that do not open a sentence ("Emmanuel", "Macron", "Kremlin", "Washington"),
// folded and without accents, and the numbers of at least two digits with their thousands
// separators dropped ("100,000", "100 000" and "100.000" are one), each hashed once. A French or
// Spanish version of an English wire story shares most of them, though not a word of its prose.
// Sorted, distinct. Any language written with capitals; none for scripts without case.
std::vector<std::uint64_t> name_anchors(std::string_view headline, std::string_view body);

}  // namespace wirefeed

#include "pipeline/word_table.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace wirefeed {
namespace {

// Stopword lists (folded: lower case, ASCII apostrophes). Short on purpose: function words that
// carry no topic, the way search engines use them; not a linguistic inventory.
constexpr std::string_view k_en =
    "a about above after again against all also am an and any are aren't as at be because been before being below "
    "between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each "
    "few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself "
    "him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most "
    "mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't "
    "she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then "
    "there there's these they they'd they'll they're they've this those through to too under until up very was "
    "wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's "
    "whom why why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves "
    "'s n't";
constexpr std::string_view k_fr =
    "a ai aie aient aies ait as au aura aurai auraient aurais aurait aux avaient avais avait avec avez aviez avions "
    "avons c c' car ce ceci cela ces cet cette d d' dans de des du elle elles en es est et eu eux ils j j' je l l' la le "
    "les leur leurs lui m m' ma mais me mes moi mon n n' ne nos notre nous on ont ou par pas pour qu qu' que qui s "
    "s' sa se selon ses si son sont sur t t' ta te tes toi ton tu un une vos votre vous y à alors été être";
constexpr std::string_view k_de =
    "aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus bei "
    "bin bis bist da damit dann das dass dein deine dem den der des dessen dich die dies diese diesem diesen dieser "
    "dieses dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer eure für hab habe haben "
    "hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in ins ist jede jedem jeden jeder jedes jene "
    "jetzt kann kein keine können man manche mein meine mit muss nach nicht nichts noch nun nur ob oder ohne sehr "
    "sein seine selbst sich sie sind so solche soll sollte sondern sonst über um und uns unser unter viel vom von "
    "vor war waren warst was weg weil weiter welche wenn werde werden wie wieder will wir wird wo wollen würde zu "
    "zum zur zwar zwischen";
constexpr std::string_view k_es =
    "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas "
    "ellos en entre era erais eran eras eres es esa esas ese eso esos esta estaba estaban estado estamos estar "
    "estas este esto estos estoy fue fueron fui ha habéis había han has hasta hay he la las le les lo los me mi "
    "mis mucho muy más mí nada ni no nos nosotros o os otra otros para pero poco por porque que quien quienes qué "
    "se sea ser si sido sin sobre son su sus también te tiene tienen todo todos tu tus tú un una uno unos y ya yo "
    "él";
constexpr std::string_view k_it =
    "a ad al alla alle agli ai anche avere c che chi ci come con contro cui da dal dalla dalle dei del della delle "
    "dello di dove e è ed era erano essere fa gli ha hanno i il in io la le lei li lo loro lui ma mi ne nei nel "
    "nella nelle noi non o per perché più quale quando quella quelle quello questa queste questo se sei si sia "
    "siamo sono su sua sue sui sul sulla suo suoi tra tu un una uno voi è stato stata";
constexpr std::string_view k_pt =
    "a ao aos as até com como da das de dela dele do dos e é ela elas ele eles em entre era essa esse esta este eu "
    "foi for há isso isto já lhe mais mas me mesmo meu minha muito na nas nem no nos não o os ou para pela pelo "
    "por qual quando que quem se sem ser seu seus sua suas também te tem um uma umas uns você à às";
constexpr std::string_view k_nl =
    "aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er ge "
    "geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen "
    "maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen "
    "toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij "
    "zijn zo zonder zou";
// English function words that are not (frequent) words of the other languages wirefeed sees
// (Dutch "is", "was", "of"; Danish/Norwegian "for", "at", "by", "her"; Polish "to" are left out).
constexpr std::string_view k_english_markers =
    "the and that with said which were from have has been this but not are would they their its who after had "
    "she his than about there when what also into could should";

constexpr std::array<std::pair<std::string_view, word_table::mask>, 7> k_lists{{
    {k_en, 1u << 0},
    {k_fr, 1u << 1},
    {k_de, 1u << 2},
    {k_es, 1u << 3},
    {k_it, 1u << 4},
    {k_pt, 1u << 5},
    {k_nl, 1u << 6},
}};
constexpr std::array<std::string_view, 7> k_list_languages{"en", "fr", "de", "es", "it", "pt", "nl"};

// The first 16 bytes of a word (the table holds nothing longer than ~12 bytes) as two words,
// zero-padded, multiplied and folded. Must agree with hash_padded.
std::uint64_t hash_parts(std::uint64_t a, std::uint64_t b, std::size_t size) {
  const std::uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ULL) ^ size) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

std::uint64_t low_bytes(std::uint64_t x, std::size_t n) { return n >= 8 ? x : x & ((1ULL << (8 * n)) - 1); }

// The first 16 bytes of `w`, zero-padded, as two words.
std::pair<std::uint64_t, std::uint64_t> pack(std::string_view w) {
  char buf[16] = {};
  std::memcpy(buf, w.data(), w.size() < 16 ? w.size() : 16);
  std::uint64_t a, b;
  std::memcpy(&a, buf, 8);
  std::memcpy(&b, buf + 8, 8);
  return {a, b};
}

// The same for the `size` bytes at `p`, reading 16 bytes.
std::pair<std::uint64_t, std::uint64_t> pack_padded(const char* p, std::size_t size) {
  std::uint64_t a, b;
  std::memcpy(&a, p, 8);
  std::memcpy(&b, p + 8, 8);
  return {low_bytes(a, size), size > 8 ? low_bytes(b, size - 8) : 0};
}

template <class Fn>
void for_each_word(std::string_view list, Fn fn) {
  while (!list.empty()) {
    const auto space = list.find(' ');
    const std::string_view w = list.substr(0, space);
    if (!w.empty()) fn(w);
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
}

}  // namespace

const word_table& word_table::instance() {
  static const word_table table;
  return table;
}

word_table::mask word_table::stopword_bit(std::string_view language) {
  const std::string_view primary = language.substr(0, language.find('-'));
  for (std::size_t i = 0; i < k_list_languages.size(); ++i) {
    if (primary == k_list_languages[i]) return k_lists[i].second;
  }
  return 0;
}

word_table::word_table() : packed_(2048), slots_(2048) {
  for (const auto& entry : k_lists) {
    const mask bit = entry.second;  // (clang 14 cannot capture a structured binding)
    for_each_word(entry.first, [&](std::string_view w) { add(w, bit); });
  }
  for_each_word(k_english_markers, [&](std::string_view w) { add(w, english_marker); });
}

void word_table::add(std::string_view word, mask bits) {
  const std::size_t m = slots_.size() - 1;
  const auto [a, b] = pack(word);
  const std::uint64_t h = hash_parts(a, b, word.size());
  const auto tag = static_cast<std::uint32_t>(h >> 32) | 1u;  // never 0
  for (std::size_t i = h & m;; i = (i + 1) & m) {
    slot& s = slots_[i];
    if (s.tag == 0) {
      s.tag = tag;
      packed_[i] = {a, b};
      s.word = static_cast<std::uint16_t>(words_.size());
      s.length = static_cast<std::uint8_t>(word.size());
      words_ += word;
      s.bits_index = mask_index(bits);
      break;
    }
    if (s.tag == tag && word_at(s) == word) {
      s.bits_index = mask_index(bits_[s.bits_index] | bits);  // listed by several languages
      break;
    }
  }
  if (word.size() > max_length_) max_length_ = word.size();  // at most 16: see find()
  if (word.size() < 32) shapes_.set(word.size() * 256 + static_cast<unsigned char>(word.front()));
}

std::uint8_t word_table::mask_index(mask bits) {
  const auto it = std::find(bits_.begin(), bits_.end(), bits);
  if (it != bits_.end()) return static_cast<std::uint8_t>(it - bits_.begin());
  bits_.push_back(bits);  // a few dozen distinct masks at most (combinations of 8 bits that occur)
  return static_cast<std::uint8_t>(bits_.size() - 1);
}

word_table::mask word_table::lookup(std::string_view folded) const {
  if (folded.empty() || folded.size() > max_length_ ||
      !shapes_.test(folded.size() * 256 + static_cast<unsigned char>(folded.front()))) {
    return 0;
  }
  const auto [a, b] = pack(folded);
  return find(a, b, folded.size(), hash_parts(a, b, folded.size()));
}

word_table::mask word_table::lookup_padded(const char* word, std::size_t size) const {
  if (size == 0 || size > max_length_ || !shapes_.test(size * 256 + static_cast<unsigned char>(word[0]))) return 0;
  const auto [a, b] = pack_padded(word, size);
  return find(a, b, size, hash_parts(a, b, size));
}

word_table::mask word_table::find(std::uint64_t a, std::uint64_t b, std::size_t size, std::uint64_t h) const {
  // Words are at most 16 bytes (max_length_ is checked by the callers against the longest word,
  // and no listed word is longer), so (a, b, size) identifies one.
  const std::size_t m = slots_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(h >> 32) | 1u;
  for (std::size_t i = h & m;; i = (i + 1) & m) {
    const slot& s = slots_[i];
    if (s.tag == 0) return 0;
    if (s.tag == tag && s.length == size && packed_[i].a == a && packed_[i].b == b) return bits_[s.bits_index];
  }
}

}  // namespace wirefeed

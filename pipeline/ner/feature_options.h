#pragma once

#include <cstdint>

namespace wirefeed::ner {

// Which optional feature groups a model was trained with. Stored in the model file, so a model is
// always tagged with the features it was trained on.
struct feature_options {
  bool gazetteer = true;       // gazetteer membership (list x BILOU position, with casing, +-1)
  bool document_case = false;  // how the word is cased elsewhere in the document (measured neutral
                               // to slightly negative on CoNLL-2003 dev, so off by default)
  bool document_form = true;   // ALL-CAPS tokens also fire the word features of their Title form
  bool label_history = true;   // labels given to the same word earlier in the document

  std::uint32_t to_bits() const {
    return (gazetteer ? 1u : 0u) | (document_case ? 2u : 0u) | (document_form ? 4u : 0u) |
           (label_history ? 8u : 0u);
  }
  static feature_options from_bits(std::uint32_t b) {
    return {(b & 1u) != 0, (b & 2u) != 0, (b & 4u) != 0, (b & 8u) != 0};
  }
  friend bool operator==(const feature_options&, const feature_options&) = default;
};

}  // namespace wirefeed::ner

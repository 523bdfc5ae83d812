#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <vector>

#include "pipeline/error.h"
#include "pipeline/ner/conll.h"
#include "pipeline/ner/feature_options.h"
#include "pipeline/ner/gazetteer.h"
#include "pipeline/ner/model.h"

namespace wirefeed::ner {

struct trainer_options {
  std::size_t epochs = 10;
  std::uint64_t seed = 1;        // document order shuffling; same inputs + seed => same model bytes
  std::size_t patience = 3;      // with a dev set: stop after this many epochs without a better F1
  float prune = 0.0f;            // drop averaged weights with |w| <= prune when building the model
  bool two_stage = false;        // also train stage 2 (see tagger.h) on jackknifed stage-1 labels
  std::size_t folds = 5;         // jackknife folds for stage 2's training input
  feature_options features;
};

// Trains the tagger's model with the averaged structured perceptron (Collins 2002): per sentence,
// decode with the current weights (constrained Viterbi, the same as at run time) and, if the best
// sequence differs from the gold one, add the gold features and subtract the predicted ones.
// Documents are visited in a fresh pseudo-random order each epoch (a fixed splitmix64 stream from
// `seed`, not std::shuffle, so the order is the same with every standard library); sentences
// within a document stay in order so that the label-history features see the labels the model
// itself predicted for earlier sentences, exactly as at run time.
// With a dev set, the weights of the epoch with the best dev F1 (after quantisation, i.e. exactly
// the model that will be written) are kept. Single-threaded and deterministic.
// Two-stage training: stage 1 as above; then `folds` stage-1 models, each trained (for stage 1's
// chosen number of epochs) without one fold of the training documents, label that fold; stage 2 is
// trained on those labels and selected on the dev set tagged by the full two-stage model.
class trainer {
 public:
  trainer(gazetteer gaz, trainer_options options) : gaz_(std::move(gaz)), options_(options) {}

  // `dev` may be null. Progress lines go to `log` if given. Fails if `train` has no gold labels.
  result<model> train(const std::vector<conll_document>& train_docs, const std::vector<conll_document>* dev_docs,
                      std::ostream* log) const;

 private:
  gazetteer gaz_;
  trainer_options options_;
};

}  // namespace wirefeed::ner

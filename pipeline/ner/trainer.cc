#include "pipeline/ner/trainer.h"

#include <chrono>
#include <functional>
#include <iomanip>
#include <ostream>

#include "pipeline/ner/evaluation.h"
#include "pipeline/ner/features.h"
#include "pipeline/ner/flat_hash_table.h"
#include "pipeline/ner/tagger.h"
#include "pipeline/ner/viterbi.h"

namespace wirefeed::ner {

namespace {

constexpr std::size_t T = model::tags;

// Weights with the averaging trick: avg = w - u / c, where every update of delta at step c also
// adds c * delta to u.
class perceptron_weights {
 public:
  const float* find(std::uint64_t key) const {
    const std::uint32_t* r = index_.find(key);
    return r ? &w_[static_cast<std::size_t>(*r) * T] : nullptr;
  }

  void update(std::uint64_t key, std::uint8_t tag, float delta, double step) {
    std::uint32_t* r = index_.find(key);
    if (r == nullptr) {
      const auto row = static_cast<std::uint32_t>(w_.size() / T);
      index_[key] = row;
      w_.resize(w_.size() + T, 0.0f);
      u_.resize(u_.size() + T, 0.0);
      r = index_.find(key);
    }
    const std::size_t at = static_cast<std::size_t>(*r) * T + tag;
    w_[at] += delta;
    u_[at] += step * delta;
  }

  void update_transition(int from, std::uint8_t to, float delta, double step) {
    // from == -1: start score; from == T: end score (then `to` is the last tag).
    std::size_t at;
    if (from < 0)
      at = T * T + to;
    else if (from == static_cast<int>(T))
      at = T * T + T + to;
    else
      at = static_cast<std::size_t>(from) * T + to;
    tw_[at] += delta;
    tu_[at] += step * delta;
  }

  model::transitions current_transitions() const { return transitions_of(tw_, nullptr, 0); }

  model::transitions averaged_transitions(double steps) const { return transitions_of(tw_, &tu_, steps); }

  std::vector<std::pair<std::uint64_t, model::row>> averaged_rows(double steps) const {
    std::vector<std::pair<std::uint64_t, model::row>> rows;
    rows.reserve(index_.size());
    index_.for_each([&](std::uint64_t key, std::uint32_t r) {
      model::row row;
      for (std::size_t t = 0; t < T; ++t) {
        const std::size_t at = static_cast<std::size_t>(r) * T + t;
        row[t] = static_cast<float>(w_[at] - u_[at] / steps);
      }
      rows.emplace_back(key, row);
    });
    return rows;
  }

  std::size_t size() const { return index_.size(); }

 private:
  static model::transitions transitions_of(const std::vector<float>& w, const std::vector<double>* u, double steps) {
    model::transitions tr;
    auto value = [&](std::size_t at) {
      return u ? static_cast<float>(w[at] - (*u)[at] / steps) : w[at];
    };
    for (std::size_t f = 0; f < T; ++f)
      for (std::size_t t = 0; t < T; ++t) tr.between[f][t] = value(f * T + t);
    for (std::size_t t = 0; t < T; ++t) {
      tr.start[t] = value(T * T + t);
      tr.end[t] = value(T * T + T + t);
    }
    return tr;
  }

  flat_hash_table<std::uint32_t> index_;
  std::vector<float> w_;
  std::vector<double> u_;
  std::vector<float> tw_ = std::vector<float>(T * T + 2 * T, 0.0f);
  std::vector<double> tu_ = std::vector<double>(T * T + 2 * T, 0.0);
};

// splitmix64 stream: fully specified, so shuffles are identical everywhere.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

bool has_gold(const std::vector<conll_document>& docs) {
  for (const conll_document& d : docs)
    for (const conll_sentence& s : d.sentences)
      if (s.gold.size() != s.tokens.size()) return false;
  return true;
}

using document_labels = std::vector<std::vector<label>>;  // per sentence

// Everything one stage's training needs. For stage 2, `stage1` holds (jackknifed) stage-1 labels
// of every training document.
struct stage_job {
  const char* name;
  const std::vector<conll_document>* docs;
  const std::vector<document_labels>* stage1 = nullptr;
  const feature_extractor* extractor;
  std::size_t epochs;
  std::size_t patience;
  std::uint64_t seed;
  float prune;
  // Scores a candidate table on the dev set (returns the evaluation), or null for no dev set.
  std::function<evaluation(const weight_table&)> dev;
};

struct stage_result {
  weight_table table;
  std::size_t epoch = 0;
};

stage_result train_stage(const stage_job& job, std::ostream* log) {
  const std::vector<conll_document>& docs = *job.docs;
  std::vector<std::vector<std::vector<std::uint8_t>>> gold(docs.size());
  std::vector<std::vector<std::vector<std::uint8_t>>> first(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d) {
    for (std::size_t si = 0; si < docs[d].sentences.size(); ++si) {
      gold[d].push_back(tag_set::encode(docs[d].sentences[si].gold));
      if (job.stage1) first[d].push_back(tag_set::encode((*job.stage1)[d][si]));
    }
  }

  perceptron_weights weights;
  feature_buffer features;
  std::vector<float> emissions;
  std::vector<std::uint8_t> predicted;
  viterbi decoder;
  rng random(job.seed);
  std::vector<std::size_t> order(docs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;

  double step = 1.0;  // instances seen + 1
  stage_result best;
  double best_f1 = -1.0;
  const auto started = std::chrono::steady_clock::now();

  for (std::size_t epoch = 1; epoch <= job.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.next() % i]);
    std::size_t mistakes = 0;
    std::size_t sentences = 0;
    for (const std::size_t d : order) {
      const conll_document& doc = docs[d];
      document_context context;
      for (const conll_sentence& s : doc.sentences) context.observe(s.token_views());
      if (job.stage1)
        for (std::size_t si = 0; si < doc.sentences.size(); ++si)
          context.record_stage1(doc.sentences[si].token_views(), (*job.stage1)[d][si]);
      for (std::size_t si = 0; si < doc.sentences.size(); ++si) {
        const conll_sentence& sentence = doc.sentences[si];
        const auto tokens = sentence.token_views();
        const std::size_t n = tokens.size();
        job.extractor->extract(tokens, &context, features, job.stage1 ? first[d][si].data() : nullptr);
        emissions.assign(n * T, 0.0f);
        for (std::size_t i = 0; i < n; ++i) {
          float* e = &emissions[i * T];
          for (std::uint32_t k = features.offsets[i]; k < features.offsets[i + 1]; ++k) {
            const float* w = weights.find(features.keys[k]);
            if (w == nullptr) continue;
            for (std::size_t t = 0; t < T; ++t) e[t] += w[t];
          }
        }
        predicted.resize(n);
        const model::transitions trans = weights.current_transitions();
        decoder.decode(emissions.data(), n, trans, predicted.data());
        const std::vector<std::uint8_t>& g = gold[d][si];
        if (predicted != g) {
          ++mistakes;
          for (std::size_t i = 0; i < n; ++i) {
            if (predicted[i] != g[i]) {
              for (std::uint32_t k = features.offsets[i]; k < features.offsets[i + 1]; ++k) {
                weights.update(features.keys[k], g[i], 1.0f, step);
                weights.update(features.keys[k], predicted[i], -1.0f, step);
              }
            }
            const int gp = i == 0 ? -1 : g[i - 1];
            const int pp = i == 0 ? -1 : predicted[i - 1];
            if (gp != pp || g[i] != predicted[i]) {
              weights.update_transition(gp, g[i], 1.0f, step);
              weights.update_transition(pp, predicted[i], -1.0f, step);
            }
          }
          weights.update_transition(static_cast<int>(T), g[n - 1], 1.0f, step);
          weights.update_transition(static_cast<int>(T), predicted[n - 1], -1.0f, step);
        }
        context.record(tokens, tag_set::decode(predicted));
        step += 1.0;
        ++sentences;
      }
    }

    weight_table averaged(weights.averaged_transitions(step), weights.averaged_rows(step), job.prune);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (log) {
      *log << job.name << " epoch " << epoch << ": " << mistakes << "/" << sentences << " sentences wrong, "
           << weights.size() << " features, " << averaged.row_count() << " kept, " << std::fixed
           << std::setprecision(1) << seconds << " s";
    }
    if (!job.dev) {
      best.table = std::move(averaged);
      best.epoch = epoch;
      if (log) *log << '\n';
      continue;
    }
    const evaluation eval = job.dev(averaged);
    const double f1 = eval.overall().f1();
    if (log) {
      *log << ", dev F1 " << std::setprecision(2) << 100.0 * f1 << " (P " << 100.0 * eval.overall().precision()
           << " R " << 100.0 * eval.overall().recall() << "; PER " << 100.0 * eval.of(entity_type::per).f1()
           << " ORG " << 100.0 * eval.of(entity_type::org).f1() << " LOC " << 100.0 * eval.of(entity_type::loc).f1()
           << " MISC " << 100.0 * eval.of(entity_type::misc).f1() << ")\n";
      log->flush();
    }
    if (f1 > best_f1) {
      best_f1 = f1;
      best.table = std::move(averaged);
      best.epoch = epoch;
    } else if (epoch - best.epoch >= job.patience) {
      break;
    }
  }
  if (log) *log << job.name << ": using the weights of epoch " << best.epoch << '\n';
  return best;
}

std::vector<document_labels> tag_all(const tagger& t, const std::vector<conll_document>& docs) {
  std::vector<document_labels> out;
  out.reserve(docs.size());
  for (const conll_document& doc : docs) {
    std::vector<std::vector<std::string_view>> sentences;
    for (const conll_sentence& s : doc.sentences) sentences.push_back(s.token_views());
    out.push_back(t.tag_document(sentences));
  }
  return out;
}

evaluation score(const std::vector<conll_document>& docs, const std::vector<document_labels>& predicted) {
  evaluation eval;
  for (std::size_t d = 0; d < docs.size(); ++d)
    for (std::size_t i = 0; i < docs[d].sentences.size(); ++i) eval.add(docs[d].sentences[i].gold, predicted[d][i]);
  return eval;
}

}  // namespace

result<model> trainer::train(const std::vector<conll_document>& train_docs,
                             const std::vector<conll_document>* dev_docs, std::ostream* log) const {
  if (train_docs.empty() || !has_gold(train_docs))
    return stage_error{"ner", "training_data", "training data is empty or lacks gold labels"};
  if (dev_docs != nullptr && !has_gold(*dev_docs))
    return stage_error{"ner", "training_data", "dev data lacks gold labels"};

  const feature_extractor extractor(gaz_, options_.features);
  const feature_options features = options_.features;
  auto one_stage = [&](const weight_table& t) { return model(gaz_, features, std::vector<weight_table>{t}); };

  stage_job first{"stage 1", &train_docs, nullptr, &extractor, options_.epochs, options_.patience, options_.seed,
                  options_.prune, nullptr};
  if (dev_docs)
    first.dev = [&](const weight_table& t) { return score(*dev_docs, tag_all(tagger(one_stage(t)), *dev_docs)); };
  stage_result stage1 = train_stage(first, log);
  if (!options_.two_stage) return one_stage(stage1.table);

  // Stage-1 labels for the training documents, each predicted by a stage-1 model that did not see
  // it (k-fold jackknife), so stage 2 learns how far to trust stage 1 on unseen text.
  std::vector<document_labels> jackknifed(train_docs.size());
  for (std::size_t fold = 0; fold < options_.folds; ++fold) {
    std::vector<conll_document> rest, held_out;
    std::vector<std::size_t> held_index;
    for (std::size_t d = 0; d < train_docs.size(); ++d) {
      if (d % options_.folds == fold) {
        held_out.push_back(train_docs[d]);
        held_index.push_back(d);
      } else {
        rest.push_back(train_docs[d]);
      }
    }
    stage_job job{"fold", &rest, nullptr, &extractor, stage1.epoch, options_.patience, options_.seed + 1 + fold,
                  options_.prune, nullptr};
    const stage_result r = train_stage(job, nullptr);
    const auto labels = tag_all(tagger(one_stage(r.table)), held_out);
    for (std::size_t i = 0; i < held_index.size(); ++i) jackknifed[held_index[i]] = labels[i];
    if (log) *log << "stage 1 fold " << fold + 1 << "/" << options_.folds << " tagged " << held_out.size() << " documents\n";
  }
  if (log) *log << "jackknifed stage-1 F1 on the training data: " << std::fixed << std::setprecision(2)
                << 100.0 * score(train_docs, jackknifed).overall().f1() << '\n';

  auto two_stage = [&](const weight_table& t) {
    return model(gaz_, features, std::vector<weight_table>{stage1.table, t});
  };
  stage_job second{"stage 2", &train_docs, &jackknifed, &extractor, options_.epochs, options_.patience,
                   options_.seed, options_.prune, nullptr};
  if (dev_docs)
    second.dev = [&](const weight_table& t) { return score(*dev_docs, tag_all(tagger(two_stage(t)), *dev_docs)); };
  const stage_result stage2 = train_stage(second, log);
  return two_stage(stage2.table);
}

}  // namespace wirefeed::ner

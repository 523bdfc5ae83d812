// wirefeed-ner-tag: tags a CoNLL file with a trained model and writes it to stdout with the
// predicted IOB1 tag appended to each token line (score it with tools/conll_score.py).
//
//   wirefeed-ner-tag --model models/ner-en.bin < eng.testa > testa.pred
//
// A development aid; the daemon exposes the same function as `wirefeed ner --conll FILE`.
#include <iostream>
#include <string>

#include "pipeline/ner/conll.h"
#include "pipeline/ner/tagger.h"

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--model") {
    std::cerr << "usage: wirefeed-ner-tag --model FILE < in.conll > out.conll\n";
    return 2;
  }
  auto t = wirefeed::ner::tagger::load(argv[2]);
  if (!t.ok()) {
    std::cerr << "wirefeed-ner-tag: " << t.error().message << '\n';
    return 1;
  }
  std::ios::sync_with_stdio(false);
  return wirefeed::ner::tag_conll_file(*t, std::cin, std::cout, &std::cerr);
}

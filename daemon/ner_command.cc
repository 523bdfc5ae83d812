// `wirefeed ner --conll FILE`: tags a CoNLL-format file with the NER model and writes it to stdout
// with the predicted IOB1 tag appended to every token line (score with tools/conll_score.py).

#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "pipeline/ner/conll.h"
#include "pipeline/ner/tagger.h"

namespace wirefeed::commands {

int ner(const std::string& conll_path, const std::string& model_path) {
  const std::string model = find_data_file(model_path);
  auto tagger = ner::tagger::load(model);
  if (!tagger.ok()) {
    spdlog::error("ner: {}", tagger.error().message);
    return exit_bad_config;  // a data file that does not load, as for every command
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (conll_path != "-") {
    file.open(conll_path, std::ios::binary);
    if (!file) {
      spdlog::error("ner: cannot read {}", conll_path);
      return exit_failure;
    }
    in = &file;
  }
  std::ios::sync_with_stdio(false);
  return ner::tag_conll_file(*tagger, *in, std::cout, &std::cerr);
}

}  // namespace wirefeed::commands

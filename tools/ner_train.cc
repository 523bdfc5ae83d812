// wirefeed-ner-train: trains the named-entity tagger model (pipeline/ner) from CoNLL-2003-style
// files and writes it, gazetteer lists included, to one model file.
//
//   wirefeed-ner-train --train eng.train [--dev eng.testa] --gazetteers DIR --out models/ner-en.bin
//                      [--epochs 10] [--seed 1] [--patience 3] [--prune 0.0] [--two-stage 1] [--folds 5]
//                      [--features gazetteer,document_case,document_form,label_history]
//
// DIR holds one list per "*.txt" file (one phrase per line, '#' starts a comment), as written by
// tools/ner_gazetteers.sh; the list name is the file name without ".txt"; lists are read in
// file-name order. Same inputs and seed => byte-identical model file.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "pipeline/ner/conll.h"
#include "pipeline/ner/gazetteer.h"
#include "pipeline/ner/trainer.h"

namespace {

using namespace wirefeed::ner;

int usage(const char* why) {
  std::cerr << "wirefeed-ner-train: " << why << "\n"
            << "usage: wirefeed-ner-train --train FILE [--dev FILE] [--gazetteers DIR] --out FILE\n"
               "                          [--epochs N] [--seed N] [--patience N] [--prune X]\n"
               "                          [--two-stage 0|1] [--folds N]\n"
               "                          [--features LIST]   (comma list of gazetteer, document_case,\n"
               "                                               document_form, label_history; or 'none')\n";
  return 2;
}

bool read_documents(const std::string& path, std::vector<conll_document>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "wirefeed-ner-train: cannot open " << path << '\n';
    return false;
  }
  auto file = read_conll(in, true);
  if (!file.ok()) {
    std::cerr << "wirefeed-ner-train: " << path << ": " << file.error().message << '\n';
    return false;
  }
  out = std::move(file->documents);
  return true;
}

bool read_gazetteers(const std::string& dir, gazetteer& gaz) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path());
  if (ec) {
    std::cerr << "wirefeed-ner-train: cannot list " << dir << ": " << ec.message() << '\n';
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::vector<std::string> phrases;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      phrases.push_back(line);
    }
    if (!gaz.add_list(path.stem().string(), phrases)) {
      std::cerr << "wirefeed-ner-train: too many gazetteer lists (max " << gazetteer::max_lists << ")\n";
      return false;
    }
    std::cerr << "gazetteer " << path.stem().string() << ": " << gaz.phrase_count(gaz.list_count() - 1)
              << " phrases\n";
  }
  return true;
}

bool parse_features(const std::string& list, feature_options& f) {
  f = feature_options{false, false, false, false};
  if (list == "none") return true;
  std::size_t i = 0;
  while (i <= list.size()) {
    const std::size_t j = std::min(list.find(',', i), list.size());
    const std::string name = list.substr(i, j - i);
    if (name == "gazetteer") f.gazetteer = true;
    else if (name == "document_case") f.document_case = true;
    else if (name == "document_form") f.document_form = true;
    else if (name == "label_history") f.label_history = true;
    else return false;
    i = j + 1;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || i + 1 >= argc) return usage(("bad argument " + a).c_str());
    args[a.substr(2)] = argv[++i];
  }
  static const char* known[] = {"train", "dev", "gazetteers", "out", "epochs", "seed", "patience", "prune", "features",
                                "two-stage", "folds"};
  for (const auto& [k, v] : args)
    if (std::find(std::begin(known), std::end(known), k) == std::end(known)) return usage(("unknown option --" + k).c_str());
  if (!args.count("train") || !args.count("out")) return usage("--train and --out are required");

  trainer_options options;
  try {
    if (args.count("epochs")) options.epochs = std::stoul(args["epochs"]);
    if (args.count("seed")) options.seed = std::stoull(args["seed"]);
    if (args.count("patience")) options.patience = std::stoul(args["patience"]);
    if (args.count("prune")) options.prune = std::stof(args["prune"]);
    if (args.count("two-stage")) options.two_stage = std::stoul(args["two-stage"]) != 0;
    if (args.count("folds")) options.folds = std::stoul(args["folds"]);
  } catch (const std::exception&) {
    return usage("bad number");
  }
  if (args.count("features") && !parse_features(args["features"], options.features)) return usage("bad --features");

  gazetteer gaz;
  if (args.count("gazetteers") && !read_gazetteers(args["gazetteers"], gaz)) return 1;
  std::vector<conll_document> train_docs, dev_docs;
  if (!read_documents(args["train"], train_docs)) return 1;
  if (args.count("dev") && !read_documents(args["dev"], dev_docs)) return 1;

  const trainer t(std::move(gaz), options);
  auto m = t.train(train_docs, args.count("dev") ? &dev_docs : nullptr, &std::cerr);
  if (!m.ok()) {
    std::cerr << "wirefeed-ner-train: " << m.error().message << '\n';
    return 1;
  }
  const auto saved = m->save(args["out"]);
  if (!saved.ok()) {
    std::cerr << "wirefeed-ner-train: " << saved.error().message << '\n';
    return 1;
  }
  std::cerr << "wrote " << args["out"] << " (" << m->row_count() << " weight rows)\n";
  return 0;
}

#include "pipeline/ner/model.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "pipeline/ner/byte_reader.h"
#include "pipeline/ner/byte_writer.h"

namespace wirefeed::ner {

namespace {

constexpr std::string_view magic = "WFNERMDL";

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

stage_error model_error(std::string reason, std::string message) {
  return stage_error{"ner", std::move(reason), std::move(message)};
}

}  // namespace

model::model(gazetteer gaz, feature_options options, std::vector<weight_table> stages)
    : gaz_(std::move(gaz)), options_(options), stages_(std::move(stages)) {}

model::model(gazetteer gaz, feature_options options, transitions trans,
             const std::vector<std::pair<std::uint64_t, row>>& rows, float prune)
    : gaz_(std::move(gaz)), options_(options), stages_{weight_table(trans, rows, prune)} {}

std::size_t model::row_count() const {
  std::size_t n = 0;
  for (const weight_table& t : stages_) n += t.row_count();
  return n;
}

std::string model::serialise() const {
  byte_writer p;
  p.u32(static_cast<std::uint32_t>(tags));
  p.u32(options_.to_bits());
  gaz_.write(p);
  p.u32(static_cast<std::uint32_t>(stages_.size()));
  for (const weight_table& t : stages_) t.write(p);

  const std::string payload = p.take();
  byte_writer file;
  file.raw(magic);
  file.u32(format_version);
  file.u64(payload.size());
  file.raw(payload);
  file.u64(fnv1a64(payload));
  return file.take();
}

result<model> model::parse(std::string_view bytes) {
  byte_reader header(bytes);
  if (header.raw(magic.size()) != magic) return model_error("model_format", "not a wirefeed NER model (bad magic)");
  const std::uint32_t version = header.u32();
  const std::uint64_t length = header.u64();
  if (header.failed()) return model_error("model_format", "truncated model header");
  if (version != format_version)
    return model_error("model_version", "unsupported NER model format version " + std::to_string(version) +
                                            " (this build reads " + std::to_string(format_version) + ")");
  if (length > header.remaining() || header.remaining() - length != 8)
    return model_error("model_corrupt", "model file size does not match its header (truncated or padded)");
  const std::string_view payload = header.raw(length);
  if (header.u64() != fnv1a64(payload)) return model_error("model_corrupt", "model checksum mismatch");

  byte_reader r(payload);
  model m;
  if (r.u32() != tags) return model_error("model_format", "model has an unexpected tag count");
  m.options_ = feature_options::from_bits(r.u32());
  auto gaz = gazetteer::read(r);
  if (!gaz) return model_error("model_corrupt", "malformed gazetteer section");
  m.gaz_ = std::move(*gaz);
  const std::uint32_t stages = r.u32();
  if (r.failed() || stages < 1 || stages > max_stages) return model_error("model_corrupt", "bad stage count");
  m.stages_.clear();
  for (std::uint32_t i = 0; i < stages; ++i) {
    auto t = weight_table::read(r);
    if (!t) return model_error("model_corrupt", "malformed weight section");
    m.stages_.push_back(std::move(*t));
  }
  if (r.remaining() != 0) return model_error("model_corrupt", "trailing bytes in model payload");
  return m;
}

status model::save(const std::string& path) const {
  const std::string bytes = serialise();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return model_error("model_io", "cannot write " + tmp);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return model_error("model_io", "write failed: " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return model_error("model_io", "cannot rename " + tmp + " to " + path);
  return ok_status();
}

result<model> model::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return model_error("model_missing", "cannot open NER model file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return model_error("model_io", "cannot read NER model file " + path);
  auto m = parse(buf.str());
  if (!m.ok()) {
    stage_error e = m.error();
    e.message = path + ": " + e.message;
    return e;
  }
  return m;
}

}  // namespace wirefeed::ner

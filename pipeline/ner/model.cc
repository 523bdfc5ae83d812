#include "pipeline/ner/model.h"

#include <algorithm>
#include <cmath>
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

model::model(gazetteer gaz, feature_options options, transitions trans,
             const std::vector<std::pair<std::uint64_t, row>>& rows, float prune)
    : gaz_(std::move(gaz)), options_(options), trans_(trans) {
  float max_abs = 0.0f;
  for (const auto& [key, weights] : rows)
    for (float w : weights) max_abs = std::max(max_abs, std::fabs(w));
  scale_ = max_abs > 0.0f ? max_abs / 32767.0f : 1.0f;
  index_.reserve(rows.size());
  std::int16_t q[row_stride] = {};
  for (const auto& [key, weights] : rows) {
    bool keep = false;
    for (std::size_t t = 0; t < tags; ++t) {
      const float w = std::fabs(weights[t]) <= prune ? 0.0f : weights[t];
      q[t] = static_cast<std::int16_t>(std::lround(w / scale_));
      keep = keep || q[t] != 0;
    }
    if (keep) add_row(key, q);
  }
}

void model::add_row(std::uint64_t key, const std::int16_t* quantised) {
  std::uint32_t& r = index_[key];
  r = static_cast<std::uint32_t>(weights_.size() / row_stride);
  weights_.insert(weights_.end(), quantised, quantised + row_stride);
}

std::string model::serialise() const {
  byte_writer p;
  p.u32(static_cast<std::uint32_t>(tags));
  p.u32(options_.to_bits());
  gaz_.write(p);
  for (const auto& from : trans_.between)
    for (float w : from) p.f32(w);
  for (float w : trans_.start) p.f32(w);
  for (float w : trans_.end) p.f32(w);

  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
  keys.reserve(index_.size());
  index_.for_each([&](std::uint64_t k, std::uint32_t r) { keys.emplace_back(k, r); });
  std::sort(keys.begin(), keys.end());
  p.f32(scale_);
  p.u64(keys.size());
  for (const auto& [k, r] : keys) {
    const std::int16_t* q = &weights_[static_cast<std::size_t>(r) * row_stride];
    std::uint32_t mask = 0;
    for (std::size_t t = 0; t < tags; ++t)
      if (q[t] != 0) mask |= 1u << t;
    p.u64(k);
    p.u32(mask);
    for (std::size_t t = 0; t < tags; ++t)
      if (mask & (1u << t)) p.i16(q[t]);
  }

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
  for (auto& from : m.trans_.between)
    for (float& w : from) w = r.f32();
  for (float& w : m.trans_.start) w = r.f32();
  for (float& w : m.trans_.end) w = r.f32();
  m.scale_ = r.f32();
  const std::uint64_t rows = r.u64();
  if (r.failed() || rows > r.remaining() / 12 || !(m.scale_ > 0.0f))
    return model_error("model_corrupt", "malformed weight section");
  m.index_.reserve(rows);
  m.weights_.reserve(rows * row_stride);
  std::int16_t q[row_stride] = {};
  for (std::uint64_t i = 0; i < rows; ++i) {
    const std::uint64_t k = r.u64();
    const std::uint32_t mask = r.u32();
    for (std::size_t t = 0; t < tags; ++t) q[t] = (mask & (1u << t)) ? r.i16() : std::int16_t{0};
    if (r.failed()) return model_error("model_corrupt", "truncated weight section");
    m.add_row(k, q);
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

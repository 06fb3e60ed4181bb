#include "federation/global_model.h"

#include <openssl/evp.h>

#include <cmath>
#include <set>

#include "federation/codec_random.h"

namespace fedmrg::federation {

int64_t FederatedTensorSpec::cols() const {
  int64_t n = 1;
  for (size_t i = shape.size() >= 2 ? 1 : 0; i < shape.size(); ++i) n *= shape[i];
  return n;
}

GlobalModel::GlobalModel(std::vector<FederatedTensorSpec> specs, CodecPlan plan)
    : specs_(std::move(specs)), plan_(plan) {
  for (const auto& s : specs_) tensors_[s.name] = Matrix(s.rows(), s.cols());
  resetBases();
}

void GlobalModel::resetBases() {
  bases_.clear();
  if (!plan_.lowRank) return;
  for (const auto& s : specs_) {
    const int64_t r = s.rows(), c = s.cols();
    if (!goesLowRank(r, c, plan_.settings) || plan_.settings.rank > std::min(r, c)) continue;
    bases_[s.name] = initialBasis(r, c, plan_.settings.rank, BasisSide::Right, plan_.seed, s.name, epoch());
  }
}

const SharedBasis* GlobalModel::basis(const std::string& name) const {
  auto it = bases_.find(name);
  return it == bases_.end() ? nullptr : &it->second;
}

std::string GlobalModel::digestHex() const {
  Sha256 out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& [name, m] : tensors_) {
    EVP_DigestUpdate(ctx, name.data(), name.size() + 1);  // with the terminating zero, as a separator
    EVP_DigestUpdate(ctx, m.values.data(), m.values.size() * sizeof(float));
  }
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return toHex(out);
}

void GlobalModel::apply(const Payload& broadcast) {
  std::map<std::string, Matrix> decoded;
  const std::string why = decodeUpdate(broadcast, decoded);
  if (!why.empty()) throw CodecError("global version " + std::to_string(version_ + 1) + ": " + why);
  std::map<std::string, SharedBasis> next;
  const uint64_t v = version_ + 1;
  for (auto& [name, m] : decoded) {
    Matrix& g = tensors_[name];
    if (const SharedBasis* b = basis(name)) {
      const Matrix change = expandFactor(m, *b);
      for (size_t i = 0; i < g.values.size(); ++i) g.values[i] += change.values[i];
      next[name] = nextBasis(m, *b, plan_.seed ^ (v * 0x9E3779B97F4A7C15ull));
    } else {
      for (size_t i = 0; i < g.values.size(); ++i) g.values[i] += m.values[i];
    }
  }
  version_ = v;
  if (plan_.refreshEvery && v % plan_.refreshEvery == 0) resetBases();  // a fresh seeded basis for the new epoch
  else bases_ = std::move(next);
}

Payload GlobalModel::encodeChange(const std::map<std::string, Matrix>& change, ErrorFeedback& feedback,
                                  uint64_t roundingSeed) const {
  Payload p;
  p.baseVersion = version_;
  for (const auto& s : specs_) {
    const Matrix& c = change.at(s.name);
    if (const SharedBasis* b = basis(s.name)) {
      const Matrix input = feedback.withResidual(s.name, c);
      Matrix sent;
      p.tensors.push_back(encodeLowRank(s.name, input, *b, plan_.settings, roundingSeed ^ stableHash(s.name), &sent));
      feedback.stage(s.name, input, sent);
    } else {
      p.tensors.push_back(encodeDense(s.name, s.shape, c.values, plan_.settings));
    }
  }
  return p;
}

std::map<std::string, std::pair<int64_t, int64_t>> GlobalModel::aggregateShapes() const {
  std::map<std::string, std::pair<int64_t, int64_t>> out;
  for (const auto& s : specs_)
    out[s.name] = basis(s.name) ? factorShape(s.rows(), s.cols(), *basis(s.name)) : std::make_pair(s.rows(), s.cols());
  return out;
}

std::string GlobalModel::decodeUpdate(const Payload& upload, std::map<std::string, Matrix>& out) const {
  std::map<std::string, const FederatedTensorSpec*> byName;
  for (const auto& s : specs_) byName[s.name] = &s;
  std::set<std::string> seen;
  const auto shapes = aggregateShapes();
  for (const auto& t : upload.tensors) {
    auto it = byName.find(t.name);
    // Names are client data: say which position, not the name, when it is not ours.
    if (it == byName.end())
      return "tensor #" + std::to_string(&t - upload.tensors.data() + 1) + " is not a federated tensor of this round";
    if (!seen.insert(t.name).second) return "tensor '" + t.name + "' appears twice";
    const FederatedTensorSpec& s = *it->second;
    const SharedBasis* b = basis(t.name);
    const auto [rows, cols] = shapes.at(t.name);
    if (!t.framed) return "tensor '" + t.name + "' is not in a codec frame";
    if (b) {
      const WireEncoding want = b->side == BasisSide::Right ? WireEncoding::LowRankP : WireEncoding::LowRankQ;
      if (t.encoding != want) return "tensor '" + t.name + "' must travel low-rank on this round's basis";
      if (t.dtype != WireDType::Int8 && t.dtype != WireDType::Float32)
        return "tensor '" + t.name + "' has the wrong dtype for a factor";
    } else {
      if (t.encoding != WireEncoding::Dense) return "tensor '" + t.name + "' must travel dense";
      if (t.dtype != WireDType::Float32 && t.dtype != WireDType::Float16)
        return "tensor '" + t.name + "' has the wrong dtype (fp32 or fp16 expected)";
    }
    if (t.shape != (b ? std::vector<int64_t>{rows, cols} : s.shape))
      return "tensor '" + t.name + "' has the wrong shape";
    Matrix m;
    try {
      m = decodeFrame(t);
    } catch (const CodecError& e) {
      return e.what();
    }
    if (m.rows * m.cols != rows * cols) return "tensor '" + t.name + "': its frame holds the wrong number of values";
    m.rows = rows;
    m.cols = cols;
    for (float v : m.values)
      if (!std::isfinite(v)) return "tensor '" + t.name + "' holds NaN or Inf";
    out[t.name] = std::move(m);
  }
  for (const auto& s : specs_)
    if (!seen.count(s.name)) return "tensor '" + s.name + "' is missing";
  return {};
}

Payload GlobalModel::encodeAggregate(const std::map<std::string, Matrix>& aggregate, uint64_t roundingSeed) const {
  Payload p;
  p.baseVersion = version_;
  for (const auto& s : specs_) {
    const Matrix& a = aggregate.at(s.name);
    if (const SharedBasis* b = basis(s.name))
      p.tensors.push_back(encodeFactor(s.name, a, b->side, plan_.settings, roundingSeed ^ stableHash(s.name)));
    else p.tensors.push_back(encodeDense(s.name, s.shape, a.values, plan_.settings));
  }
  return p;
}

}  // namespace fedmrg::federation

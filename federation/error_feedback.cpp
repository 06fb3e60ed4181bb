#include "federation/error_feedback.h"

#include <cmath>
#include <cstring>

namespace fedmrg::federation {

namespace {

constexpr char kMagic[8] = {'F', 'M', 'R', 'G', 'E', 'F', '0', '1'};

void sameShape(const std::string& name, const Matrix& a, const Matrix& b) {
  if (a.rows != b.rows || a.cols != b.cols)
    throw std::invalid_argument("tensor '" + name + "': shapes " + std::to_string(a.rows) + " x " +
                                std::to_string(a.cols) + " and " + std::to_string(b.rows) + " x " +
                                std::to_string(b.cols) + " differ");
}

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

}  // namespace

Matrix ErrorFeedback::withResidual(const std::string& name, const Matrix& change) const {
  Matrix out = change;
  if (const Matrix* r = residual(name)) {
    sameShape(name, *r, change);
    for (size_t i = 0; i < out.values.size(); ++i) out.values[i] += r->values[i];
  }
  return out;
}

void ErrorFeedback::stage(const std::string& name, const Matrix& input, const Matrix& sent) {
  sameShape(name, input, sent);
  Staged s{input, input};
  for (size_t i = 0; i < s.residual.values.size(); ++i) s.residual.values[i] -= sent.values[i];
  staged_[name] = std::move(s);
}

void ErrorFeedback::commit() {
  for (auto& [name, s] : staged_) committed_[name] = std::move(s.residual);
  staged_.clear();
}

void ErrorFeedback::rollback() {
  for (auto& [name, s] : staged_) committed_[name] = std::move(s.input);
  staged_.clear();
}

const Matrix* ErrorFeedback::residual(const std::string& name) const {
  const auto it = committed_.find(name);
  return it == committed_.end() ? nullptr : &it->second;
}

double ErrorFeedback::squaredNorm() const {
  double s = 0;
  for (const auto& [name, m] : committed_) s += m.squaredNorm();
  return s;
}

std::string ErrorFeedback::serialize() const {
  std::string out(kMagic, sizeof kMagic);
  put<uint32_t>(out, uint32_t(committed_.size()));
  for (const auto& [name, m] : committed_) {
    put<uint32_t>(out, uint32_t(name.size()));
    out += name;
    put<int64_t>(out, m.rows);
    put<int64_t>(out, m.cols);
    out.append(reinterpret_cast<const char*>(m.values.data()), m.values.size() * sizeof(float));
  }
  return out;
}

ErrorFeedback ErrorFeedback::parse(const std::string& bytes, const std::string& source) {
  size_t at = 0;
  auto fail = [&](const std::string& why) {
    return std::runtime_error(source + ": the error-feedback state is damaged (" + why + " at byte " +
                              std::to_string(at) + ")");
  };
  auto take = [&](void* out, size_t n) {
    if (bytes.size() - at < n) throw fail("it ends early");
    std::memcpy(out, bytes.data() + at, n);
    at += n;
  };
  char magic[sizeof kMagic];
  take(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) throw fail("unknown format");
  uint32_t count = 0;
  take(&count, 4);
  ErrorFeedback fb;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t nameLength = 0;
    take(&nameLength, 4);
    if (nameLength == 0 || nameLength > 4096 || nameLength > bytes.size() - at) throw fail("a bad tensor name length");
    std::string name(bytes.data() + at, nameLength);
    at += nameLength;
    int64_t rows = 0, cols = 0;
    take(&rows, 8);
    take(&cols, 8);
    // Checked against what is left before anything is allocated.
    if (rows <= 0 || cols <= 0 || uint64_t(rows) > (bytes.size() - at) / 4 ||
        uint64_t(rows) * uint64_t(cols) > (bytes.size() - at) / 4)
      throw fail("tensor '" + name + "' has a shape its bytes cannot hold");
    Matrix m(rows, cols);
    take(m.values.data(), m.values.size() * sizeof(float));
    for (float v : m.values)
      if (!std::isfinite(v)) throw fail("tensor '" + name + "' holds a value that is NaN or infinite");
    if (!fb.committed_.emplace(std::move(name), std::move(m)).second) throw fail("a tensor appears twice");
  }
  if (at != bytes.size()) throw fail("bytes follow the last tensor");
  return fb;
}

}  // namespace fedmrg::federation

#include "federation/site_tensors.h"

#include <algorithm>
#include <stdexcept>

namespace fedmrg::federation {

Matrix toMatrix(const engine::HostTensor& h) {
  Matrix m;
  m.rows = h.shape.size() >= 2 ? h.shape[0] : 1;
  m.cols = int64_t(h.values.size()) / std::max<int64_t>(m.rows, 1);
  m.values = h.values;
  return m;
}

SiteStart siteStart(const engine::Trainer& model, const std::vector<FederatedTensorSpec>& specs) {
  const engine::HostTensors all = model.namedTensors(false);
  SiteStart s;
  s.specs = specs;
  for (const auto& spec : specs) {
    const auto it = all.find(spec.name);
    if (it == all.end())
      throw std::runtime_error("federated tensor '" + spec.name + "': the site's model has no such parameter");
    if (it->second.shape != spec.shape)
      throw std::runtime_error("federated tensor '" + spec.name + "': its shape differs from the site's model");
    s.values[spec.name] = toMatrix(it->second);
  }
  return s;
}

engine::HostTensors startPlusGlobal(const SiteStart& s, const std::map<std::string, Matrix>& global) {
  engine::HostTensors out;
  for (const auto& spec : s.specs) {
    engine::HostTensor h{spec.shape, s.values.at(spec.name).values};
    const Matrix& g = global.at(spec.name);
    if (g.values.size() != h.values.size())
      throw std::runtime_error("federated tensor '" + spec.name + "': the global change has another size");
    for (size_t i = 0; i < h.values.size(); ++i) h.values[i] += g.values[i];
    out[spec.name] = std::move(h);
  }
  return out;
}

std::map<std::string, Matrix> changeSinceStart(const SiteStart& s, const engine::HostTensors& now) {
  std::map<std::string, Matrix> out;
  for (const auto& spec : s.specs) {
    Matrix m = toMatrix(now.at(spec.name));
    const std::vector<float>& b = s.values.at(spec.name).values;
    for (size_t i = 0; i < m.values.size(); ++i) m.values[i] -= b[i];
    out[spec.name] = std::move(m);
  }
  return out;
}

std::map<std::string, Matrix> changeSinceGlobal(const std::map<std::string, Matrix>& sinceStart,
                                                const std::map<std::string, Matrix>& global) {
  std::map<std::string, Matrix> out;
  for (const auto& [name, g] : global) {
    const auto it = sinceStart.find(name);
    if (it == sinceStart.end()) throw std::runtime_error("training returned no tensor '" + name + "'");
    Matrix c = it->second;
    if (c.values.size() != g.values.size()) throw std::runtime_error("training returned a misshapen '" + name + "'");
    for (size_t i = 0; i < c.values.size(); ++i) c.values[i] -= g.values[i];
    c.rows = g.rows;
    c.cols = g.cols;
    out[name] = std::move(c);
  }
  return out;
}

}  // namespace fedmrg::federation

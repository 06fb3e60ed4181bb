#include "engine/train/losses.h"

#include <algorithm>

namespace fedmrg::engine::train {
namespace {
namespace F = torch::nn::functional;

torch::Tensor normalized(const torch::Tensor& x) { return F::normalize(x, F::NormalizeFuncOptions().dim(-1)); }

torch::Tensor longTensor(const std::vector<int64_t>& v, const torch::Device& device) {
  return torch::tensor(v, torch::TensorOptions().dtype(torch::kLong)).to(device);
}
}  // namespace

torch::Tensor lmLoss(const torch::Tensor& logits, const torch::Tensor& labels) {
  return F::cross_entropy(logits.reshape({-1, logits.size(-1)}), labels.reshape({-1}),
                          F::CrossEntropyFuncOptions().ignore_index(kIgnoreLabel));
}

torch::Tensor diagnosisLoss(const torch::Tensor& logits, const torch::Tensor& states) {
  return F::cross_entropy(logits.reshape({-1, logits.size(-1)}), states.reshape({-1}));
}

torch::Tensor imageReportInfoNce(const torch::Tensor& g, const torch::Tensor& t, double temperature) {
  torch::Tensor logits = torch::matmul(normalized(g), normalized(t).t()) / temperature;
  torch::Tensor target = torch::arange(g.size(0), torch::TensorOptions().dtype(torch::kLong).device(g.device()));
  return 0.5 * (F::cross_entropy(logits, target) + F::cross_entropy(logits.t(), target));
}

torch::Tensor sitePrototypeInfoNce(const torch::Tensor& s, const torch::Tensor& siteRow, const torch::Tensor& prototypes,
                                   double temperature) {
  return F::cross_entropy(torch::matmul(normalized(s), normalized(prototypes).t()) / temperature, siteRow);
}

torch::Tensor symmetricKl(const torch::Tensor& logitsA, const torch::Tensor& logitsB, const torch::Tensor& mask) {
  torch::Tensor la = torch::log_softmax(logitsA, -1), lb = torch::log_softmax(logitsB, -1);
  torch::Tensor ta = la.detach(), tb = lb.detach();
  // KL(target || pred) per position.
  torch::Tensor klToA = (tb.exp() * (tb - la)).sum(-1);  // B teaches A
  torch::Tensor klToB = (ta.exp() * (ta - lb)).sum(-1);  // A teaches B
  torch::Tensor m = mask.to(logitsA.dtype());
  return 0.5 * ((klToA + klToB) * m).sum() / m.sum().clamp_min(1.0);
}

Assembled assemble(net::ReportNetImpl& m, const torch::Tensor& prefix, const Batch& b, int64_t padId) {
  const int64_t B = prefix.size(0), P = prefix.size(1);
  const torch::Device dev = prefix.device();
  if (int64_t(b.prompt.size()) != B || int64_t(b.report.size()) != B)
    throw std::invalid_argument("assemble: prompt and report lists must have one entry per image");
  size_t textLen = 0, reportLen = 1;
  for (int64_t i = 0; i < B; ++i) {
    textLen = std::max(textLen, b.prompt[size_t(i)].size() + b.report[size_t(i)].size());
    reportLen = std::max(reportLen, b.report[size_t(i)].size());
  }
  const int64_t T = P + int64_t(textLen);
  std::vector<int64_t> text(size_t(B) * textLen, padId), labels(size_t(B * T), kIgnoreLabel);
  std::vector<int64_t> reportIds(size_t(B) * reportLen, padId);
  std::vector<uint8_t> keyMask(size_t(B * T), 0), reportMask(size_t(B) * reportLen, 0);
  for (int64_t i = 0; i < B; ++i) {
    const auto& pr = b.prompt[size_t(i)];
    const auto& rp = b.report[size_t(i)];
    int64_t* row = text.data() + size_t(i) * textLen;
    std::copy(pr.begin(), pr.end(), row);
    std::copy(rp.begin(), rp.end(), row + pr.size());
    const int64_t len = P + int64_t(pr.size() + rp.size());
    std::fill(keyMask.begin() + i * T, keyMask.begin() + i * T + len, 1);
    // The row before each report token predicts it.
    const int64_t first = P + int64_t(pr.size());
    for (size_t k = 0; k < rp.size(); ++k) {
      if (first + int64_t(k) - 1 < 0) continue;
      labels[size_t(i * T + first + int64_t(k) - 1)] = rp[k];
    }
    std::copy(rp.begin(), rp.end(), reportIds.begin() + i * int64_t(reportLen));
    std::fill(reportMask.begin() + i * int64_t(reportLen), reportMask.begin() + i * int64_t(reportLen) + int64_t(rp.size()),
              1);
  }
  auto toBool = [&](std::vector<uint8_t>& v, int64_t rows, int64_t cols) {
    return torch::from_blob(v.data(), {rows, cols}, torch::kUInt8).to(torch::kBool).to(dev);
  };
  Assembled a;
  torch::Tensor textIds = longTensor(text, dev).view({B, int64_t(textLen)});
  a.embeds = textLen ? torch::cat({prefix, m.decoder->embed(textIds)}, 1) : prefix;
  a.keyMask = toBool(keyMask, B, T);
  a.labels = longTensor(labels, dev).view({B, T});
  a.reportIds = longTensor(reportIds, dev).view({B, int64_t(reportLen)});
  a.reportMask = toBool(reportMask, B, int64_t(reportLen));
  return a;
}

LossResult computeLosses(net::ReportNetImpl& m, const Batch& b, int64_t padId, bool useAdapters,
                         const torch::Tensor& prototypes, const torch::Tensor& prototypeValid) {
  const LossConfig& lc = m.config.losses;
  const LoraConfig& lora = m.config.lora;
  LossResult r;
  net::Encoded e = m.encode(b.images);
  r.siteFeatures = e.s.detach();
  Assembled a = assemble(m, m.visualPrefix(e), b, padId);
  torch::Tensor total = torch::zeros({}, b.images.options());

  if (lc.lm.enabled || lc.mutualBoosting.enabled) {
    const bool boosting = useAdapters && lc.mutualBoosting.enabled && lora.generic && lora.specialized;
    // The LM head runs only on rows that predict a report token (not on the prefix or the padding).
    torch::Tensor rows = a.labels.ne(kIgnoreLabel).view({-1}).nonzero().view({-1});
    torch::Tensor targets = a.labels.view({-1}).index_select(0, rows).unsqueeze(0);
    auto reportLogits = [&] {
      torch::Tensor h = m.decoder->model->forward(a.embeds, a.keyMask, nullptr);
      return m.decoder->logits(h.reshape({-1, h.size(-1)}).index_select(0, rows)).unsqueeze(0);
    };
    m.decoder->setAdapters(useAdapters, useAdapters);
    torch::Tensor combined = reportLogits();
    torch::Tensor lm = lmLoss(combined, targets);
    if (boosting) {
      m.decoder->setAdapters(true, false);
      torch::Tensor genericOnly = reportLogits();
      lm = 0.5 * (lm + lmLoss(genericOnly, targets));
      torch::Tensor kl = symmetricKl(genericOnly, combined, torch::ones_like(targets, torch::kBool));
      r.values.mutualBoosting = kl.item<double>();
      total = total + lc.mutualBoosting.weight * kl;
    }
    m.decoder->setAdapters(true, true);
    r.values.lm = lm.item<double>();
    if (lc.lm.enabled) total = total + lc.lm.weight * lm;
  }
  if (lc.diagnosis.enabled) {
    torch::Tensor d = diagnosisLoss(e.diagLogits, b.states);
    r.values.diagnosis = d.item<double>();
    total = total + lc.diagnosis.weight * d;
  }
  if (lc.imageReport.enabled && b.images.size(0) > 1) {
    torch::Tensor t = m.reportEmbedding(a.reportIds, a.reportMask);
    torch::Tensor ir = imageReportInfoNce(e.g, t, m.config.contrastive.temperature);
    r.values.imageReport = ir.item<double>();
    total = total + lc.imageReport.weight * ir;
  }
  if (lc.sitePrototype.enabled && prototypes.defined() && b.siteRow.defined()) {
    torch::Tensor valid = prototypeValid.defined() ? prototypeValid.to(torch::kBool)
                                                    : torch::ones({prototypes.size(0)}, torch::kBool);
    valid = valid.to(prototypes.device());
    torch::Tensor rows = valid.nonzero().view({-1});
    torch::Tensor keep = valid.index_select(0, b.siteRow);
    if (rows.size(0) >= 2 && keep.any().item<bool>()) {
      // Renumber the valid rows and keep the samples whose own site has a prototype.
      torch::Tensor remap = torch::full({prototypes.size(0)}, -1, torch::TensorOptions().dtype(torch::kLong).device(rows.device()));
      remap.index_put_({rows}, torch::arange(rows.size(0), remap.options()));
      torch::Tensor idx = keep.nonzero().view({-1});
      torch::Tensor sp = sitePrototypeInfoNce(e.s.index_select(0, idx), remap.index_select(0, b.siteRow.index_select(0, idx)),
                                              prototypes.index_select(0, rows), m.config.contrastive.siteTemperature);
      r.values.sitePrototype = sp.item<double>();
      total = total + lc.sitePrototype.weight * sp;
    }
  }
  r.total = total;
  r.values.total = total.item<double>();
  return r;
}

}  // namespace fedmrg::engine::train

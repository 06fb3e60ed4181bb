// Tests of the training losses: their math, the batch assembly, and that each one falls on a tiny batch.
// LibTorch first: Qt's "slots" macro breaks its headers.
#include "engine/train/losses.h"

#include <QtTest>

using namespace fedmrg::engine;
using namespace fedmrg::engine::train;

namespace {
constexpr int64_t kPad = 0;

Batch tinyBatch(const ModelConfig& c, int n) {
  Batch b;
  b.images = torch::rand({n, 1, c.imageSize, c.imageSize});
  b.states = torch::randint(0, 4, {n, 14}, torch::kLong);
  b.siteRow = torch::arange(n, torch::kLong).remainder(2);
  for (int i = 0; i < n; ++i) {
    b.prompt.push_back({1, int64_t(5 + i), 6});
    std::vector<int64_t> rep;
    for (int k = 0; k < 4 + i; ++k) rep.push_back(int64_t(3 + (i * 7 + k * 3) % 40));
    rep.push_back(2);
    b.report.push_back(rep);
  }
  return b;
}

ModelConfig onlyTerm(LossTerm LossConfig::*term) {
  ModelConfig c = ModelConfig::tiny(48);
  c.losses = LossConfig{};
  for (LossTerm* t : {&c.losses.lm, &c.losses.diagnosis, &c.losses.imageReport, &c.losses.sitePrototype,
                      &c.losses.mutualBoosting})
    t->enabled = false;
  (c.losses.*term) = LossTerm{true, 1.0};
  return c;
}

// Trains on one batch; returns {first, last} of the selected term.
std::pair<double, double> descend(const ModelConfig& c, double LossValues::*value, bool adapters, int steps) {
  torch::manual_seed(3);
  net::ReportNet m(c);
  net::setTrainScope(*m, adapters ? net::TrainScope::Adapters : net::TrainScope::Base);
  if (adapters) {
    torch::NoGradGuard g;
    for (auto& p : m->named_parameters(true))
      if (net::isAdapterParameter(p.key())) p.value().normal_(0.0, 0.2);
  }
  std::vector<torch::Tensor> params;
  for (auto& p : m->parameters())
    if (p.requires_grad()) params.push_back(p);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(3e-3));
  Batch b = tinyBatch(c, 4);
  torch::Tensor protos = torch::randn({2, c.contrastive.projDim});
  double first = 0, last = 0;
  for (int s = 0; s < steps; ++s) {
    LossResult r = computeLosses(*m, b, kPad, adapters, protos, {});
    if (s == 0) first = r.values.*value;
    last = r.values.*value;
    opt.zero_grad();
    r.total.backward();
    opt.step();
  }
  return {first, last};
}
}  // namespace

class TestLosses : public QObject {
  Q_OBJECT
 private slots:
  void lmLossIgnoresMaskedLabels() {
    torch::Tensor logits = torch::randn({1, 3, 5});
    torch::Tensor labels = torch::tensor({int64_t(2), kIgnoreLabel, int64_t(4)}).view({1, 3});
    torch::Tensor lp = torch::log_softmax(logits[0], -1);
    double expected = -(lp[0][2].item<double>() + lp[2][4].item<double>()) / 2;
    QVERIFY(std::abs(lmLoss(logits, labels).item<double>() - expected) < 1e-5);
  }

  void symmetricKlStopsGradientOnTargets() {
    torch::Tensor a = torch::randn({1, 2, 6}, torch::requires_grad());
    torch::Tensor b = torch::randn({1, 2, 6});
    torch::Tensor mask = torch::ones({1, 2}, torch::kBool);
    QVERIFY(symmetricKl(b, b, mask).item<double>() < 1e-7);
    symmetricKl(a, b, mask).backward();
    // Expected gradient on a: only from KL(sg(pb) || pa) (the other term's target is detached a)
    // plus KL(sg(pa) || pb), which has no path to a.
    torch::Tensor a2 = a.detach().clone().requires_grad_(true);
    torch::Tensor lb = torch::log_softmax(b, -1);
    torch::Tensor kl = (lb.exp() * (lb - torch::log_softmax(a2, -1))).sum(-1).mean() * 0.5;
    kl.backward();
    QVERIFY((a.grad() - a2.grad()).abs().max().item<double>() < 1e-6);
  }

  void infoNceIsLowForMatchedPairs() {
    torch::Tensor x = torch::eye(4) * 5;
    QVERIFY(imageReportInfoNce(x, x, 0.1).item<double>() < 1e-3);
    QVERIFY(imageReportInfoNce(x, x.roll(1, 0), 0.1).item<double>() > 5);
    torch::Tensor protos = torch::eye(4).narrow(0, 0, 2);
    torch::Tensor s = torch::eye(4).narrow(0, 0, 2);
    QVERIFY(sitePrototypeInfoNce(s, torch::tensor({0, 1}, torch::kLong), protos, 0.05).item<double>() < 1e-3);
    QVERIFY(sitePrototypeInfoNce(s, torch::tensor({1, 0}, torch::kLong), protos, 0.05).item<double>() > 5);
  }

  void assemblyPlacesLabelsOnReportTokens() {
    ModelConfig c = ModelConfig::tiny(48);
    net::ReportNet m(c);
    Batch b = tinyBatch(c, 2);
    torch::Tensor prefix = torch::zeros({2, 3, c.decoder.dim});
    Assembled a = assemble(*m, prefix, b, kPad);
    const int64_t T = 3 + 3 + 6;  // prefix + prompt + longest report (5 tokens + eos)
    QCOMPARE(a.embeds.sizes().vec(), (std::vector<int64_t>{2, T, c.decoder.dim}));
    QCOMPARE(a.keyMask[0].sum().item<int64_t>(), int64_t(3 + 3 + 5));
    QCOMPARE(a.keyMask[1].sum().item<int64_t>(), T);
    // Row 5 (last prompt token) predicts the first report token; the eos is the last target.
    QCOMPARE(a.labels[0][5].item<int64_t>(), b.report[0][0]);
    QCOMPARE(a.labels[0][9].item<int64_t>(), int64_t(2));
    QCOMPARE(a.labels[0][4].item<int64_t>(), kIgnoreLabel);
    QCOMPARE(a.labels[0][10].item<int64_t>(), kIgnoreLabel);
    QCOMPARE(a.labels.ne(kIgnoreLabel).sum().item<int64_t>(), int64_t(5 + 6));
    QCOMPARE(a.reportMask[0].sum().item<int64_t>(), int64_t(5));
  }

  void eachLossFalls_data() {
    QTest::addColumn<int>("which");
    QTest::newRow("lm") << 0;
    QTest::newRow("diagnosis") << 1;
    QTest::newRow("image-report InfoNCE") << 2;
    QTest::newRow("site prototype InfoNCE") << 3;
    QTest::newRow("mutual boosting KL") << 4;
  }
  void eachLossFalls() {
    QFETCH(int, which);
    LossTerm LossConfig::*terms[] = {&LossConfig::lm, &LossConfig::diagnosis, &LossConfig::imageReport,
                                     &LossConfig::sitePrototype, &LossConfig::mutualBoosting};
    double LossValues::*values[] = {&LossValues::lm, &LossValues::diagnosis, &LossValues::imageReport,
                                    &LossValues::sitePrototype, &LossValues::mutualBoosting};
    auto [first, last] = descend(onlyTerm(terms[which]), values[which], which == 4, 25);
    QVERIFY2(first > 0, qPrintable(QString::number(first)));
    QVERIFY2(last < 0.7 * first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));
  }

  void disabledTermsContributeNothing() {
    ModelConfig c = onlyTerm(&LossConfig::diagnosis);
    net::ReportNet m(c);
    LossResult r = computeLosses(*m, tinyBatch(c, 3), kPad, false, {}, {});
    QCOMPARE(r.values.lm, 0.0);
    QCOMPARE(r.values.imageReport, 0.0);
    QVERIFY(std::abs(r.values.total - r.values.diagnosis) < 1e-6);
  }
};

QTEST_APPLESS_MAIN(TestLosses)
#include "tst_losses.moc"

// Tests of the LibTorch report model: masks, KV cache, LoRA adapters, contract names, freezing.
// LibTorch first: Qt's "slots" macro breaks its headers.
#include "engine/model/report_net.h"

#include <QtTest>

using namespace fedmrg::engine;
using namespace fedmrg::engine::net;

namespace {
DecoderConfig tinyDecoder() { return ModelConfig::tiny(50).decoder; }
LoraConfig tinyLora() { return ModelConfig::tiny(50).lora; }
torch::Tensor ids(std::vector<int64_t> v) { return torch::tensor(v, torch::kLong).unsqueeze(0); }
double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }
void randomizeAdapters(DecoderLMImpl& lm) {
  torch::NoGradGuard g;
  for (auto& p : lm.named_parameters(true))
    if (isAdapterParameter(p.key())) p.value().normal_(0.0, 0.1);
}
}  // namespace

class TestModelDecoder : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { torch::manual_seed(7); }

  void causalMaskHidesTheFuture() {
    DecoderLM lm(tinyDecoder(), tinyLora());
    lm->eval();
    torch::NoGradGuard g;
    torch::Tensor a = lm->forward(lm->embed(ids({1, 2, 3, 4, 5, 6})));
    torch::Tensor b = lm->forward(lm->embed(ids({1, 2, 3, 9, 9, 9})));
    QVERIFY(maxDiff(a.narrow(1, 0, 3), b.narrow(1, 0, 3)) < 1e-6);
    QVERIFY(maxDiff(a.narrow(1, 3, 1), b.narrow(1, 3, 1)) > 1e-4);
  }

  void paddingMaskIgnoresPadding() {
    DecoderLM lm(tinyDecoder(), tinyLora());
    lm->eval();
    torch::NoGradGuard g;
    torch::Tensor longIds = torch::tensor({5, 6, 7, 8, 9}, torch::kLong);
    torch::Tensor shortPadded = torch::tensor({11, 12, 13, 0, 0}, torch::kLong);
    torch::Tensor batch = torch::stack({longIds, shortPadded});
    torch::Tensor mask = torch::tensor({1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, torch::kBool).view({2, 5});
    torch::Tensor batched = lm->forward(lm->embed(batch), mask);
    torch::Tensor alone = lm->forward(lm->embed(ids({11, 12, 13})));
    QVERIFY(maxDiff(batched[1].narrow(0, 0, 3), alone[0]) < 1e-5);
    QVERIFY(maxDiff(batched[0], lm->forward(lm->embed(longIds.unsqueeze(0)))[0]) < 1e-5);
    // A mask of all ones over the padding changes the result: the mask is what hides the padding.
    torch::Tensor unmasked = lm->forward(lm->embed(batch), torch::ones({2, 5}, torch::kBool));
    QVERIFY(maxDiff(unmasked[1].narrow(0, 0, 3), alone[0]) < 1e-5);  // causal: padding is after them
    QVERIFY(maxDiff(batched[1].narrow(0, 3, 2), unmasked[1].narrow(0, 3, 2)) > 1e-5);
  }

  void kvCacheGenerationEqualsFullRecomputation() {
    DecoderLM lm(tinyDecoder(), tinyLora());
    randomizeAdapters(*lm);
    lm->eval();
    torch::NoGradGuard g;
    torch::Tensor prefix = torch::randn({1, 7, tinyDecoder().dim});
    std::vector<int64_t> tokens = greedyGenerate(*lm, prefix, 12, -1);
    QCOMPARE(tokens.size(), size_t(12));
    // Recompute every step from scratch and compare next-token logits and choices.
    KvCache cache;
    torch::Tensor stepLogits = lm->forward(prefix, {}, &cache);
    for (size_t i = 0; i < tokens.size(); ++i) {
      torch::Tensor seq = prefix;
      if (i > 0) {
        std::vector<int64_t> sofar(tokens.begin(), tokens.begin() + long(i));
        seq = torch::cat({prefix, lm->embed(ids(sofar))}, 1);
      }
      torch::Tensor full = lm->forward(seq);
      torch::Tensor lastFull = full[0][full.size(1) - 1];
      torch::Tensor lastCached = stepLogits[0][stepLogits.size(1) - 1];
      QVERIFY2(maxDiff(lastFull, lastCached) < 1e-4, qPrintable(QString::number(maxDiff(lastFull, lastCached))));
      QCOMPARE(lastFull.argmax().item<int64_t>(), tokens[i]);
      stepLogits = lm->forward(lm->embed(ids({tokens[i]})), {}, &cache);
    }
    QCOMPARE(cache.length(), int64_t(7 + 12));
  }

  void loraWithZeroBLeavesOutputsUnchanged() {
    DecoderLM lm(tinyDecoder(), tinyLora());
    lm->eval();
    torch::NoGradGuard g;
    torch::Tensor x = lm->embed(ids({3, 1, 4, 1, 5}));
    lm->setAdapters(false, false);
    torch::Tensor base = lm->forward(x);
    lm->setAdapters(true, true);
    QVERIFY(maxDiff(lm->forward(x), base) == 0.0);  // A random, B zero
    randomizeAdapters(*lm);
    QVERIFY(maxDiff(lm->forward(x), base) > 1e-4);
    lm->setAdapters(true, false);
    torch::Tensor genericOnly = lm->forward(x);
    lm->setAdapters(false, true);
    QVERIFY(maxDiff(lm->forward(x), genericOnly) > 1e-4);
  }

  void loraEffectiveWeightIsWPlusScaledBA() {
    LoraConfig lora = tinyLora();
    lora.specialized = false;
    LoraLinear l(6, 5, &lora);
    torch::NoGradGuard g;
    l->loraB[kGeneric].normal_();
    torch::Tensor x = torch::randn({3, 6});
    torch::Tensor w = l->weight + lora.scale() * torch::matmul(l->loraB[kGeneric], l->loraA[kGeneric]);
    QVERIFY(maxDiff(l->forward(x), torch::matmul(x, w.t())) < 1e-5);
    QVERIFY(!l->hasAdapter(kSpecialized));
  }

  void namesAndShapesFollowTheContract() {
    ModelConfig c = ModelConfig::tiny(50);
    ReportNet m(c);
    auto base = baseTensors(*m);
    const int64_t d = c.decoder.dim, hd = c.decoder.headDim(), h = c.decoder.hiddenDim;
    auto shape = [&](const std::string& n) { return base.at(n).sizes().vec(); };
    QCOMPARE(shape("model.embed_tokens.weight"), (std::vector<int64_t>{50, d}));
    QCOMPARE(shape("model.layers.1.self_attn.q_proj.weight"), (std::vector<int64_t>{c.decoder.nHeads * hd, d}));
    QCOMPARE(shape("model.layers.1.self_attn.k_proj.weight"), (std::vector<int64_t>{c.decoder.nKvHeads * hd, d}));
    QCOMPARE(shape("model.layers.0.self_attn.o_proj.weight"), (std::vector<int64_t>{d, c.decoder.nHeads * hd}));
    QCOMPARE(shape("model.layers.0.mlp.down_proj.weight"), (std::vector<int64_t>{d, h}));
    QCOMPARE(shape("model.layers.0.input_layernorm.weight"), (std::vector<int64_t>{d}));
    QCOMPARE(shape("model.norm.weight"), (std::vector<int64_t>{d}));
    QCOMPARE(shape("lm_head.weight"), (std::vector<int64_t>{50, d}));
    for (const auto& [name, t] : base) {
      const bool known = name.rfind("model.", 0) == 0 || name == "lm_head.weight" || name.rfind("vision.", 0) == 0 ||
                         name.rfind("diagnosis.", 0) == 0 || name.rfind("heads.", 0) == 0 ||
                         name.rfind("projector.", 0) == 0;
      QVERIFY2(known, name.c_str());
    }
    auto generic = adapterTensors(*m, kGeneric);
    QCOMPARE(generic.size(), size_t(c.decoder.nLayers * 7 * 2));
    QCOMPARE(generic.at("model.layers.0.mlp.down_proj.lora_A").sizes().vec(),
             (std::vector<int64_t>{c.lora.rank, h}));
    QCOMPARE(generic.at("model.layers.0.mlp.down_proj.lora_B").sizes().vec(),
             (std::vector<int64_t>{d, c.lora.rank}));
    c.decoder.tieEmbeddings = true;
    QVERIFY(baseTensors(*ReportNet(c)).count("lm_head.weight") == 0);
  }

  void tensorsLoadBackByName() {
    ModelConfig c = ModelConfig::tiny(50);
    ReportNet a(c), b(c);
    randomizeAdapters(*a->decoder);
    loadBaseTensors(*b, baseTensors(*a), true);
    loadAdapterTensors(*b, kGeneric, adapterTensors(*a, kGeneric));
    auto ta = a->named_parameters(true), tb = b->named_parameters(true);
    for (const auto& p : ta) {
      const bool spec = p.key().find("specialized_lora_") != std::string::npos;
      QCOMPARE(torch::equal(p.value(), tb[p.key()]), !spec);
    }
    std::map<std::string, torch::Tensor> bad{{"model.norm.weight", torch::zeros({3})}};
    try {
      loadBaseTensors(*b, bad, false);
      QFAIL("no error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("model.norm.weight"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, loadBaseTensors(*b, bad, true));
  }

  void trainScopeFreezesTheRightParameters() {
    ReportNet m(ModelConfig::tiny(50));
    setTrainScope(*m, TrainScope::Adapters);
    for (const auto& p : m->named_parameters(true)) {
      const bool expect = isAdapterParameter(p.key()) || p.key().rfind("heads.", 0) == 0;
      QVERIFY2(p.value().requires_grad() == expect, p.key().c_str());
    }
    setTrainScope(*m, TrainScope::Base);
    for (const auto& p : m->named_parameters(true))
      QVERIFY2(p.value().requires_grad() == !isAdapterParameter(p.key()), p.key().c_str());
  }

  void encoderAndPrefixShapes() {
    ModelConfig c = ModelConfig::tiny(50);
    ReportNet m(c);
    Encoded e = m->encode(torch::rand({3, 1, c.imageSize, c.imageSize}));
    QCOMPARE(e.tokens.sizes().vec(), (std::vector<int64_t>{3, c.patchGrid() * c.patchGrid(), c.vision.dim}));
    QCOMPARE(e.diagLogits.sizes().vec(), (std::vector<int64_t>{3, 14, 4}));
    QCOMPARE(e.g.size(1), int64_t(c.contrastive.projDim));
    torch::Tensor prefix = m->visualPrefix(e);
    QCOMPARE(prefix.sizes().vec(), (std::vector<int64_t>{3, c.visualPrefixRows(), c.decoder.dim}));
    QCOMPARE(c.visualPrefixRows(), c.prompt.tokenGrid * c.prompt.tokenGrid + 2);
  }

  void sequenceLongerThanMaxIsRejected() {
    DecoderConfig d = tinyDecoder();
    d.maxSeqLen = 4;
    DecoderLM lm(d, tinyLora());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, lm->forward(lm->embed(ids({1, 2, 3, 4, 5}))));
  }
};

QTEST_APPLESS_MAIN(TestModelDecoder)
#include "tst_model_decoder.moc"

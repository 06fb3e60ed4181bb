// Tests of engine::FastDecoder against a naive reference decoder: logits, KV cache, LoRA merging, states.
#include <QtTest>

#include <random>

#include "engine/core/safetensors.h"
#include "engine/infer/fast_decoder.h"
#include "reference_decoder.h"

using namespace fedmrg::engine;
using namespace fedmrg::testing;

namespace {

constexpr double kTol = 1e-4;

std::vector<std::vector<float>> randomRows(int rows, int dim, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n(0.f, 1.f);
  std::vector<std::vector<float>> out(static_cast<size_t>(rows), std::vector<float>(static_cast<size_t>(dim)));
  for (auto& r : out)
    for (float& v : r) v = n(rng);
  return out;
}

std::vector<float> flatten(const std::vector<std::vector<float>>& rows) {
  std::vector<float> out;
  for (const auto& r : rows) out.insert(out.end(), r.begin(), r.end());
  return out;
}

// A prefix of 5 embedding rows followed by 6 tokens; checks every step's logits against the reference.
void checkAgainstReference(const DecoderConfig& c, const DecoderWeights& w, int threads) {
  FastDecoder dec(c, w, threads);
  auto inputs = randomRows(5, c.dim, 11);
  DecoderState st = dec.newState();
  const float* logits = dec.prefill(st, flatten(inputs).data(), int(inputs.size()));
  auto ref = referenceLogits(c, w, inputs);
  QVERIFY2(maxAbsDiff(logits, ref.back()) < kTol, qPrintable(QString::number(maxAbsDiff(logits, ref.back()))));
  const int tokens[] = {3, 17, 0, 52, 17, 8};
  for (int tok : tokens) {
    logits = dec.step(st, tok);
    const float* e = dec.tokenEmbedding(tok);
    inputs.emplace_back(e, e + c.dim);
    ref = referenceLogits(c, w, inputs);
    const double diff = maxAbsDiff(logits, ref.back());
    QVERIFY2(diff < kTol, qPrintable(QString("step %1: %2").arg(st.position()).arg(diff)));
  }
  QCOMPARE(st.position(), 11);
}

}  // namespace

class TestFastDecoder : public QObject {
  Q_OBJECT
 private slots:
  void logitsMatchReferenceWithGqa() {
    const DecoderConfig c = tinyGqaConfig();
    const DecoderWeights w = DecoderWeights::random(c, 1, 0.2f);
    checkAgainstReference(c, w, 1);
    checkAgainstReference(c, w, 2);
    checkAgainstReference(c, w, 3);
  }

  void logitsMatchReferenceTiedMultiQuery() {
    DecoderConfig c = tinyGqaConfig();
    c.nKvHeads = 1;
    c.tieEmbeddings = true;
    c.ropeTheta = 500.0;
    const DecoderWeights w = DecoderWeights::random(c, 2, 0.2f);
    QVERIFY(w.lmHead.empty());
    checkAgainstReference(c, w, 2);
  }

  void kvCacheStepsEqualFullPrefill() {
    const DecoderConfig c = tinyGqaConfig();
    const DecoderWeights w = DecoderWeights::random(c, 3, 0.2f);
    FastDecoder dec(c, w, 2);
    const auto rows = randomRows(9, c.dim, 5);
    const auto flat = flatten(rows);
    const size_t V = size_t(c.vocabSize);
    DecoderState whole = dec.newState(), split = dec.newState(), single = dec.newState();
    const float* p = dec.prefill(whole, flat.data(), 9);
    const std::vector<float> lw(p, p + V);
    dec.prefill(split, flat.data(), 4);
    p = dec.prefill(split, flat.data() + 4 * c.dim, 5);
    const std::vector<float> ls(p, p + V);
    for (int r = 0; r < 9; ++r) p = dec.prefill(single, flat.data() + r * c.dim, 1);
    const std::vector<float> l1(p, p + V);
    for (size_t v = 0; v < V; ++v) {
      QVERIFY(std::fabs(lw[v] - ls[v]) < 1e-5);
      QVERIFY(std::fabs(lw[v] - l1[v]) < 1e-5);
    }
    // step(token) is prefill of the token's embedding row.
    DecoderState viaStep = dec.newState(), viaRow = dec.newState();
    viaStep.copyFrom(whole);
    viaRow.copyFrom(whole);
    p = dec.step(viaStep, 30);
    const std::vector<float> lstep(p, p + V);
    p = dec.prefill(viaRow, dec.tokenEmbedding(30), 1);
    for (size_t v = 0; v < V; ++v) QCOMPARE(p[v], lstep[v]);
  }

  void loraWithZeroBChangesNothing() {
    const DecoderConfig c = tinyGqaConfig();
    const DecoderWeights base = DecoderWeights::random(c, 4, 0.2f);
    DecoderWeights adapted = base;
    const int r = 3, in = c.dim, out = c.dim;
    std::vector<float> A(size_t(r * in), 0.5f), B(size_t(out * r), 0.0f);
    SafetensorsWriter wr;
    wr.addFloat32("model.layers.1.self_attn.q_proj.lora_A", {r, in}, A.data());
    wr.addFloat32("model.layers.1.self_attn.q_proj.lora_B", {out, r}, B.data());
    wr.setMetadata("adapter", "generic");
    wr.setMetadata("rank", "3");
    wr.setMetadata("alpha", "6");
    const SafetensorsFile f = SafetensorsFile::fromBytes(wr.serialize(), "adapter-g");
    QCOMPARE(adapted.mergeLora(c, f, 16.0), 1);
    QCOMPARE(adapted.layers[1].q, base.layers[1].q);
  }

  void loraEqualsExplicitMerge() {
    const DecoderConfig c = tinyGqaConfig();
    const DecoderWeights base = DecoderWeights::random(c, 5, 0.2f);
    const int r = 2;
    std::mt19937_64 rng(9);
    std::normal_distribution<float> n(0.f, 0.3f);
    SafetensorsWriter wr;
    DecoderWeights explicitMerge = base;
    // Adapt an attention projection (GQA: k is [kvDim, dim]) and an MLP projection (down is [dim, hidden]).
    struct Target {
      const char* name;
      std::vector<float>* weight;
      int out, in;
    };
    const int kvDim = c.nKvHeads * (c.dim / c.nHeads);
    const Target targets[] = {{"model.layers.0.self_attn.k_proj", &explicitMerge.layers[0].k, kvDim, c.dim},
                              {"model.layers.1.mlp.down_proj", &explicitMerge.layers[1].down, c.dim, c.hiddenDim}};
    const double alpha = 4.0;
    for (const Target& t : targets) {
      std::vector<float> A(size_t(r * t.in)), B(size_t(t.out * r));
      for (float& v : A) v = n(rng);
      for (float& v : B) v = n(rng);
      wr.addFloat32(std::string(t.name) + ".lora_A", {r, t.in}, A.data());
      wr.addFloat32(std::string(t.name) + ".lora_B", {t.out, r}, B.data());
      for (int o = 0; o < t.out; ++o)
        for (int i = 0; i < t.in; ++i) {
          double s = 0;
          for (int k = 0; k < r; ++k) s += double(B[size_t(o * r + k)]) * A[size_t(k * t.in + i)];
          (*t.weight)[size_t(o * t.in + i)] += float(alpha / r * s);
        }
    }
    const SafetensorsFile f = SafetensorsFile::fromBytes(wr.serialize(), "adapter-s");
    DecoderWeights merged = base;
    QCOMPARE(merged.mergeLora(c, f, alpha), 2);
    QVERIFY(merged.layers[0].k != base.layers[0].k);
    FastDecoder viaAdapter(c, merged, 2), viaExplicit(c, explicitMerge, 1);
    const auto rows = flatten(randomRows(4, c.dim, 21));
    DecoderState s1 = viaAdapter.newState(), s2 = viaExplicit.newState();
    const float* l1 = viaAdapter.prefill(s1, rows.data(), 4);
    const float* l2 = viaExplicit.prefill(s2, rows.data(), 4);
    for (int v = 0; v < c.vocabSize; ++v) QVERIFY(std::fabs(l1[v] - l2[v]) < kTol);
    // And the merged model still matches the naive reference.
    const auto ref = referenceLogits(c, explicitMerge, randomRows(4, c.dim, 21));
    QVERIFY(maxAbsDiff(l1, ref.back()) < kTol);
  }

  void loraErrorsNameTheTensor() {
    const DecoderConfig c = tinyGqaConfig();
    DecoderWeights w = DecoderWeights::random(c, 6, 0.2f);
    std::vector<float> A(64, 0.f), B(64, 0.f);
    {
      SafetensorsWriter wr;
      wr.addFloat32("model.layers.7.mlp.up_proj.lora_A", {2, c.dim}, A.data());
      wr.addFloat32("model.layers.7.mlp.up_proj.lora_B", {c.hiddenDim, 2}, std::vector<float>(88).data());
      const auto f = SafetensorsFile::fromBytes(wr.serialize(), "adapter-g");
      try {
        w.mergeLora(c, f, 16);
        QFAIL("no error");
      } catch (const DecoderError& e) {
        QVERIFY2(QString(e.what()).contains("adapter-g: tensor 'model.layers.7.mlp.up_proj.lora_A'"),
                 e.what());
      }
    }
    {
      SafetensorsWriter wr;
      wr.addFloat32("model.layers.0.mlp.up_proj.lora_A", {2, c.dim}, A.data());
      const auto f = SafetensorsFile::fromBytes(wr.serialize(), "adapter-g");
      QVERIFY_THROWS_EXCEPTION(DecoderError, w.mergeLora(c, f, 16));
    }
    {
      SafetensorsWriter wr;  // A is [r, in] but in does not match the weight
      wr.addFloat32("model.layers.0.mlp.up_proj.lora_A", {2, 16}, A.data());
      wr.addFloat32("model.layers.0.mlp.up_proj.lora_B", {c.hiddenDim, 2}, std::vector<float>(88).data());
      const auto f = SafetensorsFile::fromBytes(wr.serialize(), "adapter-g");
      QVERIFY_THROWS_EXCEPTION(DecoderError, w.mergeLora(c, f, 16));
    }
  }

  void stateCopyContinuesIdentically() {
    const DecoderConfig c = tinyGqaConfig();
    FastDecoder dec(c, DecoderWeights::random(c, 7, 0.2f), 2);
    const auto rows = flatten(randomRows(3, c.dim, 2));
    DecoderState a = dec.newState();
    dec.prefill(a, rows.data(), 3);
    dec.step(a, 5);
    DecoderState b = dec.newState();
    dec.step(b, 9);  // some unrelated history that copyFrom must replace
    b.copyFrom(a);
    QCOMPARE(b.position(), a.position());
    const float* p = dec.step(a, 12);
    const std::vector<float> la(p, p + c.vocabSize);
    p = dec.step(b, 12);
    for (int v = 0; v < c.vocabSize; ++v) QCOMPARE(p[v], la[size_t(v)]);
    QCOMPARE(b.position(), 5);
  }

  void stepBatchEqualsSeparateSteps() {
    const DecoderConfig c = tinyGqaConfig();
    FastDecoder dec(c, DecoderWeights::random(c, 10, 0.2f), 2);
    const auto rows = flatten(randomRows(5, c.dim, 4));
    // Five states at different positions, batched in groups of 1 to 5 rows (every kernel path).
    for (int n = 1; n <= 5; ++n) {
      std::vector<DecoderState> batched, single;
      for (int i = 0; i < n; ++i) {
        batched.push_back(dec.newState());
        dec.prefill(batched.back(), rows.data(), i + 1);
        single.push_back(dec.newState());
        single.back().copyFrom(batched.back());
      }
      std::vector<DecoderState*> ptrs;
      std::vector<int> tokens;
      for (int i = 0; i < n; ++i) {
        ptrs.push_back(&batched[size_t(i)]);
        tokens.push_back(7 * i + 1);
      }
      dec.stepBatch(ptrs.data(), tokens.data(), n);
      for (int i = 0; i < n; ++i) {
        const float* l = dec.step(single[size_t(i)], tokens[size_t(i)]);
        QCOMPARE(batched[size_t(i)].position(), i + 2);
        for (int v = 0; v < c.vocabSize; ++v)
          QVERIFY2(std::fabs(batched[size_t(i)].logits()[v] - l[v]) < 1e-5, qPrintable(QString("n=%1").arg(n)));
      }
    }
    DecoderState s = dec.newState();
    DecoderState* twice[2] = {&s, &s};
    const int toks[2] = {1, 2};
    QVERIFY_THROWS_EXCEPTION(DecoderError, dec.stepBatch(twice, toks, 2));
  }

  void halfPrecisionStaysClose() {
    const DecoderConfig c = tinyGqaConfig();
    const DecoderWeights w = DecoderWeights::random(c, 12, 0.2f);
    FastDecoder exact(c, w, 2), half(c, w, 2, DecoderPrecision::F16);
    QVERIFY(half.weightBytesPerToken() < exact.weightBytesPerToken() * 6 / 10);
    const auto rows = flatten(randomRows(6, c.dim, 13));
    DecoderState a = exact.newState(), b = half.newState();
    const float* la = exact.prefill(a, rows.data(), 6);
    const float* lb = half.prefill(b, rows.data(), 6);
    double maxDiff = 0, scale = 0;
    for (int v = 0; v < c.vocabSize; ++v) {
      maxDiff = std::max(maxDiff, double(std::fabs(la[v] - lb[v])));
      scale = std::max(scale, double(std::fabs(la[v])));
    }
    QVERIFY2(maxDiff < 5e-3 * std::max(1.0, scale), qPrintable(QString("%1 of %2").arg(maxDiff).arg(scale)));
    QVERIFY(maxDiff > 0);  // it really is a different storage
    // Tied embeddings in half precision get their own half copy of the head.
    DecoderConfig tied = c;
    tied.tieEmbeddings = true;
    const DecoderWeights wt = DecoderWeights::random(tied, 14, 0.2f);
    FastDecoder tiedHalf(tied, wt, 1, DecoderPrecision::F16), tiedExact(tied, wt, 1);
    DecoderState s1 = tiedHalf.newState(), s2 = tiedExact.newState();
    const float* l1 = tiedHalf.step(s1, 3);
    const float* l2 = tiedExact.step(s2, 3);
    for (int v = 0; v < c.vocabSize; ++v) QVERIFY(std::fabs(l1[v] - l2[v]) < 0.05);
  }

  void weightsRoundTripThroughSafetensors() {
    const DecoderConfig c = tinyGqaConfig();
    const DecoderWeights w = DecoderWeights::random(c, 8, 0.2f);
    SafetensorsWriter wr;
    w.addTo(c, wr);
    const auto f = SafetensorsFile::fromBytes(wr.serialize(), "base-weights");
    QVERIFY(f.contains("model.layers.1.mlp.gate_proj.weight"));
    QVERIFY(f.contains("lm_head.weight"));
    const DecoderWeights back = DecoderWeights::fromSafetensors(c, f);
    QCOMPARE(back.layers[1].v, w.layers[1].v);
    QCOMPARE(back.lmHead, w.lmHead);
    DecoderConfig wrong = c;
    wrong.hiddenDim = 40;
    try {
      DecoderWeights::fromSafetensors(wrong, f);
      QFAIL("no error");
    } catch (const SafetensorsError& e) {
      QVERIFY2(QString(e.what()).contains("model.layers.0.mlp.gate_proj.weight' has shape [44, 32], expected [40, 32]"),
               e.what());
    }
  }

  void errorsInsteadOfOverruns() {
    const DecoderConfig c = tinyGqaConfig();
    FastDecoder dec(c, DecoderWeights::random(c, 9, 0.2f), 1);
    DecoderState s = dec.newState(4);
    QCOMPARE(s.capacity(), 4);
    for (int i = 0; i < 4; ++i) dec.step(s, i);
    QVERIFY_THROWS_EXCEPTION(DecoderError, dec.step(s, 1));
    DecoderState t = dec.newState();
    QVERIFY_THROWS_EXCEPTION(DecoderError, dec.step(t, c.vocabSize));
    QVERIFY_THROWS_EXCEPTION(DecoderError, dec.step(t, -1));
    DecoderWeights bad = DecoderWeights::random(c, 9, 0.2f);
    bad.layers[1].up.pop_back();
    QVERIFY_THROWS_EXCEPTION(DecoderError, FastDecoder(c, bad, 1));
  }
};

QTEST_APPLESS_MAIN(TestFastDecoder)
#include "tst_fast_decoder.moc"

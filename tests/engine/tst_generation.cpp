// Tests of engine::generate: greedy, beam search and the logit processors, on decoders whose outputs are known;
// engine::generateGreedyBatch gives each sequence what generate() gives it alone.
#include <QtTest>

#include <cmath>
#include <random>

#include "engine/infer/fast_decoder.h"
#include "engine/infer/generator.h"
#include "reference_decoder.h"

using namespace fedmrg::engine;

namespace {

constexpr int V = 8;
constexpr int kBos = 0;
constexpr int kEos = 7;

// A decoder whose next-token logits depend only on the last token: every layer matrix is zero, so the residual
// stream carries the one-hot input embedding to the head, and logits[v] = table[last][v] (others -30).
struct BigramDecoder {
  DecoderConfig config;
  std::unique_ptr<FastDecoder> decoder;

  explicit BigramDecoder(const std::vector<std::tuple<int, int, double>>& entries) {
    config.vocabSize = V;
    config.dim = V;
    config.nLayers = 1;
    config.nHeads = 2;
    config.nKvHeads = 2;
    config.hiddenDim = 8;
    config.maxSeqLen = 32;
    config.normEps = 1e-12;
    config.tieEmbeddings = false;
    DecoderWeights w = DecoderWeights::random(config, 1);
    for (auto& L : w.layers)
      for (auto* m : {&L.q, &L.k, &L.v, &L.o, &L.gate, &L.up, &L.down}) std::fill(m->begin(), m->end(), 0.f);
    std::fill(w.finalNorm.begin(), w.finalNorm.end(), 1.f);
    const float s = std::sqrt(float(V));
    std::fill(w.embed.begin(), w.embed.end(), 0.f);
    for (int t = 0; t < V; ++t) w.embed[size_t(t * V + t)] = s;  // rmsnorm turns it into e_t * sqrt(V)
    std::fill(w.lmHead.begin(), w.lmHead.end(), -30.f / s);
    for (const auto& [from, to, logit] : entries) w.lmHead[size_t(to * V + from)] = float(logit) / s;
    decoder = std::make_unique<FastDecoder>(config, w, 1);
  }

  GenerationResult run(GenerationOptions o) const {
    return generate(*decoder, decoder->tokenEmbedding(kBos), 1, o);
  }
};

GenerationOptions options(int maxNew, int eos = kEos) {
  GenerationOptions o;
  o.maxNewTokens = maxNew;
  o.eosToken = eos;
  return o;
}

using Tokens = std::vector<int>;

}  // namespace

class TestGeneration : public QObject {
  Q_OBJECT
 private slots:
  void greedyFollowsTheChainToMaxTokens() {
    const BigramDecoder m({{0, 1, 5}, {1, 2, 5}, {2, 3, 5}, {3, 1, 5}});
    const auto r = m.run(options(7));
    QCOMPARE(r.tokens, (Tokens{1, 2, 3, 1, 2, 3, 1}));
    QVERIFY(!r.endedWithEos);
    QVERIFY(r.logProb <= 0 && r.logProb > -1e-3);
  }

  void eosEndsAndMinLengthForbidsIt() {
    const BigramDecoder m({{0, 1, 5}, {1, 2, 5}, {2, kEos, 5}, {2, 3, 4}, {3, kEos, 5}, {3, 4, 4}, {4, kEos, 5}});
    auto r = m.run(options(10));
    QCOMPARE(r.tokens, (Tokens{1, 2}));
    QVERIFY(r.endedWithEos);
    GenerationOptions o = options(10);
    o.minNewTokens = 4;
    r = m.run(o);
    QCOMPARE(r.tokens, (Tokens{1, 2, 3, 4}));
    QVERIFY(r.endedWithEos);
    o.beamSize = 3;
    QCOMPARE(m.run(o).tokens, (Tokens{1, 2, 3, 4}));
  }

  void repetitionPenalty() {
    const BigramDecoder m({{0, 1, 5}, {1, 2, 5}, {2, 1, 3}, {2, 5, 2.5}, {5, kEos, 5}});
    QCOMPARE(m.run(options(6)).tokens, (Tokens{1, 2, 1, 2, 1, 2}));
    GenerationOptions o = options(6);
    o.repetitionPenalty = 1.5f;
    const auto r = m.run(o);
    QCOMPARE(r.tokens, (Tokens{1, 2, 5}));
    QVERIFY(r.endedWithEos);
    // CTRL rule: positive logits are divided, negative ones multiplied; only generated tokens are touched.
    float logits[4] = {2.f, -2.f, 1.f, 3.f};
    GenerationOptions p;
    p.repetitionPenalty = 2.f;
    processLogits(logits, 4, {0, 1, 0}, p);
    QCOMPARE(logits[0], 1.f);
    QCOMPARE(logits[1], -4.f);
    QCOMPARE(logits[2], 1.f);
    QCOMPARE(logits[3], 3.f);
  }

  void noRepeatNgram() {
    const BigramDecoder m({{0, 1, 5}, {1, 2, 5}, {2, 1, 5}, {1, 3, 4}, {3, kEos, 5}});
    QCOMPARE(m.run(options(5)).tokens, (Tokens{1, 2, 1, 2, 1}));
    GenerationOptions o = options(10);
    o.noRepeatNgramSize = 2;
    QCOMPARE(m.run(o).tokens, (Tokens{1, 2, 1, 3}));
    // Trigrams: after 4 5 6 ... 4 5 the token 6 is banned, nothing else.
    float logits[8] = {};
    GenerationOptions p;
    p.noRepeatNgramSize = 3;
    processLogits(logits, 8, {4, 5, 6, 1, 4, 5}, p);
    for (int v = 0; v < 8; ++v) QCOMPARE(std::isinf(logits[v]), v == 6);
  }

  void beamSearchFindsTheBetterHypothesis() {
    // Greedy takes 1 (p 0.55) and then faces four equal choices; 2 (p 0.45) ends almost surely.
    std::vector<std::tuple<int, int, double>> t = {{0, 1, std::log(0.55)}, {0, 2, std::log(0.45)},
                                                   {2, kEos, std::log(0.99)}};
    for (int x = 3; x <= 6; ++x) {
      t.emplace_back(1, x, std::log(0.25));
      t.emplace_back(x, kEos, 0.0);
    }
    const BigramDecoder m(t);
    const auto g = m.run(options(10));
    QCOMPARE(g.tokens, (Tokens{1, 3}));
    GenerationOptions o = options(10);
    o.beamSize = 2;
    const auto b = m.run(o);
    QCOMPARE(b.tokens, (Tokens{2}));
    QVERIFY(b.endedWithEos);
    QVERIFY(b.score > g.score);
    QVERIFY(std::fabs(b.logProb - std::log(0.45)) < 1e-3);  // the end token after 2 is certain once renormalized
    // Without length normalization the raw sums decide: still the short hypothesis.
    o.lengthPenalty = 0.f;
    QCOMPARE(m.run(o).tokens, (Tokens{2}));
  }

  void beamLogProbMatchesRescoringOnRandomDecoder() {
    // The beams' caches are copied and moved between steps; rescoring the result from scratch must agree.
    const DecoderConfig c = fedmrg::testing::tinyGqaConfig();
    const FastDecoder dec(c, DecoderWeights::random(c, 17, 0.3f), 2);
    std::mt19937_64 rng(3);
    std::normal_distribution<float> n(0.f, 1.f);
    std::vector<float> prefix(size_t(3 * c.dim));
    for (float& v : prefix) v = n(rng);
    GenerationOptions o;
    o.maxNewTokens = 12;
    o.beamSize = 3;
    o.repetitionPenalty = 1.3f;
    o.eosToken = 5;
    o.minNewTokens = 2;
    const auto r = generate(dec, prefix.data(), 3, o);
    QVERIFY(!r.tokens.empty());
    const auto again = generate(dec, prefix.data(), 3, o);
    QCOMPARE(again.tokens, r.tokens);
    QCOMPARE(again.logProb, r.logProb);
    DecoderState s = dec.newState();
    const float* raw = dec.prefill(s, prefix.data(), 3);
    std::vector<int> gen;
    double total = 0;
    std::vector<int> full = r.tokens;
    if (r.endedWithEos) full.push_back(o.eosToken);
    for (int tok : full) {
      std::vector<float> l(raw, raw + c.vocabSize);
      processLogits(l.data(), c.vocabSize, gen, o);
      const float mx = *std::max_element(l.begin(), l.end());
      double sum = 0;
      for (float v : l) sum += std::exp(double(v - mx));
      total += double(l[size_t(tok)] - mx) - std::log(sum);
      gen.push_back(tok);
      if (tok != o.eosToken) raw = dec.step(s, tok);
    }
    QVERIFY2(std::fabs(total - r.logProb) < 1e-3, qPrintable(QString("%1 vs %2").arg(total).arg(r.logProb)));
  }

  void greedyBatchEqualsOneAtATime() {
    // Sequences of one batch finish at different steps (end token, token limit, capacity); each must get what
    // generate() gives it alone, so the sequences still running never read a finished one's cache or logits.
    const BigramDecoder m({{0, 1, 5}, {1, 2, 5}, {2, kEos, 5}, {3, 4, 5}, {4, 3, 5}, {5, 6, 5}, {6, 5, 5}});
    const std::vector<int> starts{kBos, 3, 5, 2};
    std::vector<const float*> prefixes;
    for (int t : starts) prefixes.push_back(m.decoder->tokenEmbedding(t));
    const std::vector<int> rows(starts.size(), 1);
    const auto batch = generateGreedyBatch(*m.decoder, prefixes, rows, options(9));
    QCOMPARE(batch.size(), starts.size());
    QCOMPARE(batch[0].tokens, (Tokens{1, 2}));
    QVERIFY(batch[0].endedWithEos);
    QCOMPARE(batch[1].tokens, (Tokens{4, 3, 4, 3, 4, 3, 4, 3, 4}));
    QVERIFY(!batch[1].endedWithEos);
    QVERIFY(batch[3].tokens.empty() && batch[3].endedWithEos);
    for (size_t i = 0; i < starts.size(); ++i) {
      const auto alone = generate(*m.decoder, prefixes[i], 1, options(9));
      QCOMPARE(batch[i].tokens, alone.tokens);
      QCOMPARE(batch[i].endedWithEos, alone.endedWithEos);
      QVERIFY(std::fabs(batch[i].logProb - alone.logProb) < 1e-5);
    }
  }

  void greedyBatchMatchesGenerateOnRandomDecoder() {
    // Prefixes of different lengths on a random decoder with the logit processors on: the batched steps (several
    // rows per weight pass) choose the same tokens as one sequence at a time.
    const DecoderConfig c = fedmrg::testing::tinyGqaConfig();
    const FastDecoder dec(c, DecoderWeights::random(c, 23, 0.3f), 2);
    std::mt19937_64 rng(5);
    std::normal_distribution<float> n(0.f, 1.f);
    std::vector<std::vector<float>> prefixes;
    std::vector<int> rows;
    for (int i = 0; i < 7; ++i) {
      rows.push_back(1 + i % 4);
      prefixes.emplace_back(size_t(rows.back() * c.dim));
      for (float& v : prefixes.back()) v = n(rng);
    }
    GenerationOptions o;
    o.maxNewTokens = 14;
    o.repetitionPenalty = 1.3f;
    o.noRepeatNgramSize = 3;
    o.eosToken = 5;
    std::vector<const float*> p;
    for (const auto& x : prefixes) p.push_back(x.data());
    const auto batch = generateGreedyBatch(dec, p, rows, o);
    for (size_t i = 0; i < prefixes.size(); ++i) {
      const auto alone = generate(dec, p[i], rows[i], o);
      QCOMPARE(batch[i].tokens, alone.tokens);
      QCOMPARE(batch[i].endedWithEos, alone.endedWithEos);
      QVERIFY(std::fabs(batch[i].logProb - alone.logProb) < 1e-3);
    }
    QVERIFY(generateGreedyBatch(dec, {}, {}, o).empty());
    QVERIFY_THROWS_EXCEPTION(DecoderError, generateGreedyBatch(dec, p, {1}, o));
  }

  void capacityLimitsTheLength() {
    const BigramDecoder m({{0, 1, 5}, {1, 1, 5}});
    const auto r = m.run(options(100));
    QCOMPARE(int(r.tokens.size()), m.config.maxSeqLen);  // 1 prefix row + 31 fed tokens + the last choice
    QVERIFY(!r.endedWithEos);
    GenerationOptions o = options(100);
    o.beamSize = 2;
    QCOMPARE(int(m.run(o).tokens.size()), m.config.maxSeqLen);
  }
};

QTEST_APPLESS_MAIN(TestGeneration)
#include "tst_generation.moc"

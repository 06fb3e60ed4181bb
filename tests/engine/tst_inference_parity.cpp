// The two decoder paths agree: LibTorch (training) and FastDecoder (generation) give the same logits
// within 1e-4 and the same greedy tokens, with both adapters merged; ReportGenerator's draft equals the
// LibTorch pipeline's greedy decode, and its batched drafts equal its drafts one at a time.
// LibTorch first: Qt's "slots" macro breaks its headers.
#include "engine/model/report_net.h"

#include <QtTest>

#include "engine/core/safetensors.h"
#include "engine/infer/fast_decoder.h"
#include "engine/infer/generator.h"
#include "engine/infer/model_loader.h"
#include "engine/infer/report_generator.h"
#include "engine/model/llama_checkpoint.h"
#include "engine/model/model_folder.h"
#include "engine/model/prompt_builder.h"
#include "engine/text/bpe_tokenizer.h"

using namespace fedmrg::engine;

namespace {
void randomize(torch::nn::Module& m, double stdev) {
  torch::NoGradGuard g;
  for (auto& p : m.parameters()) p.normal_(0.0, stdev);
}

std::vector<float> toVector(const torch::Tensor& t) {
  torch::Tensor c = t.contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

double maxDiff(const float* a, const torch::Tensor& b) {
  torch::Tensor ta = torch::from_blob(const_cast<float*>(a), {b.numel()}, torch::kFloat);
  return (ta - b.reshape({-1})).abs().max().item<double>();
}

BpeTokenizer tinyTokenizer() {
  std::vector<std::string> corpus{"The heart size is normal.", "No pleural effusion.", "Mild cardiomegaly.",
                                  "Findings: cardiomegaly: positive.", "Write the radiology report."};
  BpeTrainOptions o;
  o.vocabSize = 300;
  o.minFrequency = 1;
  return BpeTokenizer::train(corpus, o);
}
}  // namespace

class TestInferenceParity : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { torch::manual_seed(21); }

  void fastDecoderMatchesTorchLogitsAndTokens_data() {
    QTest::addColumn<bool>("tied");
    QTest::newRow("lm_head") << false;
    QTest::newRow("tied embeddings") << true;
  }
  void fastDecoderMatchesTorchLogitsAndTokens() {
    QFETCH(bool, tied);
    ModelConfig c = ModelConfig::tiny(96);
    c.decoder.tieEmbeddings = tied;
    c.decoder.ropeTheta = 500.0;
    net::ReportNet m(c);
    randomize(*m, 0.15);  // adapters included: B != 0, so the merge is exercised
    m->eval();
    QTemporaryDir dir;
    ModelFolder(dir.path().toStdString()).save(*m);
    LoadedDecoder ld = loadDecoder(dir.path().toStdString());
    QCOMPARE(ld.adapters.size(), size_t(2));
    FastDecoder fast(ld.config, ld.weights, 2);

    torch::NoGradGuard g;
    const int E = 9;
    torch::Tensor prefix = torch::randn({1, E, c.decoder.dim});
    std::vector<float> rows = toVector(prefix);
    DecoderState state = fast.newState();
    const float* logits = fast.prefill(state, rows.data(), E);
    torch::Tensor full = m->decoder->forward(prefix);
    QVERIFY2(maxDiff(logits, full[0][E - 1]) < 1e-4, qPrintable(QString::number(maxDiff(logits, full[0][E - 1]))));

    // Greedy: the torch path with its KV cache against the generator on the fast path.
    std::vector<int64_t> torchTokens = net::greedyGenerate(*m->decoder, prefix, 16, -1);
    GenerationOptions go;
    go.maxNewTokens = 16;
    GenerationResult fastTokens = generate(fast, rows.data(), E, go);
    QCOMPARE(fastTokens.tokens.size(), torchTokens.size());
    for (size_t i = 0; i < torchTokens.size(); ++i) QCOMPARE(int64_t(fastTokens.tokens[i]), torchTokens[i]);

    // Step by step, every position's logits agree.
    torch::Tensor seq = prefix;
    for (size_t i = 0; i < 6; ++i) {
      const int tok = fastTokens.tokens[i];
      logits = fast.step(state, tok);
      seq = torch::cat({seq, m->decoder->embed(torch::full({1, 1}, int64_t(tok), torch::kLong))}, 1);
      torch::Tensor ref = m->decoder->forward(seq)[0][seq.size(1) - 1];
      QVERIFY2(maxDiff(logits, ref) < 1e-4, qPrintable(QString::number(maxDiff(logits, ref))));
    }
  }

  void reportGeneratorEqualsTorchPipeline() {
    BpeTokenizer tok = tinyTokenizer();
    ModelConfig c = ModelConfig::tiny(tok.vocabSize());
    c.decoder.maxSeqLen = 512;  // a byte-level prompt of up to 14 states
    net::ReportNet m(c);
    randomize(*m, 0.1);
    m->eval();
    QTemporaryDir dir;
    ModelFolder(dir.path().toStdString()).save(*m, &tok);

    ReportGenerator gen(dir.path().toStdString());
    std::vector<float> image(size_t(c.imageSize * c.imageSize));
    for (size_t i = 0; i < image.size(); ++i) image[i] = float(i % 13) / 13.0f;
    GenerationOptions o = gen.defaultOptions();
    o.repetitionPenalty = 1.0f;
    o.noRepeatNgramSize = 0;
    o.maxNewTokens = 12;
    Draft d = gen.draftFromPixels(image, o);
    QCOMPARE(d.probabilities.size(), size_t(56));
    for (int i = 0; i < 14; ++i) {
      float sum = 0;
      for (int k = 0; k < 4; ++k) sum += d.probabilities[size_t(i * 4 + k)];
      QVERIFY(std::abs(sum - 1.0f) < 1e-5);
    }
    QCOMPARE(d.prompt, promptText(d.states, true, c.prompt.instruction));

    torch::NoGradGuard g;
    net::Encoded e = m->encode(torch::from_blob(image.data(), {1, 1, c.imageSize, c.imageSize}, torch::kFloat));
    QCOMPARE(argmaxStates(toVector(torch::softmax(e.diagLogits, -1))), d.states);
    std::vector<int64_t> ids{tok.bosId()};
    for (int id : tok.encode(d.prompt)) ids.push_back(id);
    torch::Tensor prefix =
        torch::cat({m->visualPrefix(e), m->decoder->embed(torch::tensor(ids, torch::kLong).unsqueeze(0))}, 1);
    std::vector<int64_t> ref = net::greedyGenerate(*m->decoder, prefix, 12, tok.eosId());
    if (!ref.empty() && ref.back() == tok.eosId()) ref.pop_back();
    QCOMPARE(d.tokens.size(), ref.size());
    for (size_t i = 0; i < ref.size(); ++i) QCOMPARE(int64_t(d.tokens[i]), ref[i]);

    // Given prompt states replace the predicted ones in the prompt only.
    ObservationStates given{};
    given[2] = ObservationState::Positive;
    Draft steered = gen.draftFromPixels(image, o, nullptr, &given);
    QCOMPARE(steered.prompt, promptText(given, true, c.prompt.instruction));
    QCOMPARE(steered.states, d.states);
    QVERIFY(steered.prompt != d.prompt || d.states == given);

    std::atomic<bool> cancel{true};
    Draft stopped = gen.draftFromPixels(image, o, &cancel);
    QVERIFY(stopped.cancelled);
    QVERIFY(stopped.text.empty());
    QVERIFY_THROWS_EXCEPTION(GeneratorError, gen.draftFromPixels(std::vector<float>(3), o));
  }

  void batchedDraftsEqualOneAtATime() {
    // The benchmark's evaluation drafts several images at once; each draft must be the one drafted alone: the
    // same states, prompt and tokens, whichever step the other drafts of the batch stop at.
    BpeTokenizer tok = tinyTokenizer();
    ModelConfig c = ModelConfig::tiny(tok.vocabSize());
    c.decoder.maxSeqLen = 512;
    net::ReportNet m(c);
    randomize(*m, 0.1);
    m->eval();
    QTemporaryDir dir;
    ModelFolder(dir.path().toStdString()).save(*m, &tok);
    ReportGenerator gen(dir.path().toStdString());
    std::vector<std::vector<float>> images;
    for (int k = 0; k < 5; ++k) {
      images.emplace_back(size_t(c.imageSize * c.imageSize));
      for (size_t i = 0; i < images.back().size(); ++i) images.back()[i] = float((i * size_t(k + 3)) % 17) / 17.0f;
    }
    GenerationOptions o = gen.defaultOptions();
    o.maxNewTokens = 16;
    o.repetitionPenalty = 1.2f;
    const std::vector<Draft> batch = gen.draftBatchFromPixels(images, o);
    QCOMPARE(batch.size(), images.size());
    for (size_t k = 0; k < images.size(); ++k) {
      const Draft alone = gen.draftFromPixels(images[k], o);
      QCOMPARE(batch[k].states, alone.states);
      QCOMPARE(batch[k].prompt, alone.prompt);
      QCOMPARE(batch[k].tokens, alone.tokens);
      QCOMPARE(batch[k].text, alone.text);
      QCOMPARE(batch[k].endedWithEos, alone.endedWithEos);
    }
    QVERIFY(gen.draftBatchFromPixels({}, o).empty());
    QVERIFY_THROWS_EXCEPTION(GeneratorError, gen.draftBatchFromPixels({images[0], std::vector<float>(3)}, o));
    o.beamSize = 2;
    QVERIFY_THROWS_EXCEPTION(GeneratorError, gen.draftBatchFromPixels(images, o));
  }

  void llamaCheckpointLoadsIntoBothPaths() {
    // A tiny random checkpoint in the Hugging Face layout, written here.
    QTemporaryDir dir;
    const int d = 32, layers = 2, heads = 4, kv = 2, hidden = 48, vocab = 70;
    const std::string cfg =
        "{\"model_type\": \"llama\", \"hidden_size\": 32, \"intermediate_size\": 48, \"num_attention_heads\": 4,"
        " \"num_key_value_heads\": 2, \"num_hidden_layers\": 2, \"vocab_size\": 70, \"rms_norm_eps\": 1e-6,"
        " \"rope_theta\": 10000.0, \"max_position_embeddings\": 256, \"tie_word_embeddings\": false,"
        " \"hidden_act\": \"silu\"}";
    const ModelFolder folder(dir.path().toStdString());
    QFile cf(QString::fromStdString(folder.configPath()));
    QVERIFY(cf.open(QIODevice::WriteOnly));
    cf.write(cfg.c_str());
    cf.close();
    SafetensorsWriter w;
    auto add = [&](const std::string& name, std::vector<int64_t> shape, bool norm) {
      torch::Tensor t = norm ? 1.0 + 0.1 * torch::randn(shape) : 0.1 * torch::randn(shape);
      t = t.contiguous();
      w.addFloat32(name, shape, t.data_ptr<float>());
    };
    const int hd = d / heads;
    add("model.embed_tokens.weight", {vocab, d}, false);
    for (int i = 0; i < layers; ++i) {
      const std::string p = "model.layers." + std::to_string(i) + ".";
      add(p + "input_layernorm.weight", {d}, true);
      add(p + "self_attn.q_proj.weight", {heads * hd, d}, false);
      add(p + "self_attn.k_proj.weight", {kv * hd, d}, false);
      add(p + "self_attn.v_proj.weight", {kv * hd, d}, false);
      add(p + "self_attn.o_proj.weight", {d, heads * hd}, false);
      add(p + "post_attention_layernorm.weight", {d}, true);
      add(p + "mlp.gate_proj.weight", {hidden, d}, false);
      add(p + "mlp.up_proj.weight", {hidden, d}, false);
      add(p + "mlp.down_proj.weight", {d, hidden}, false);
    }
    add("model.norm.weight", {d}, true);
    add("lm_head.weight", {vocab, d}, false);
    w.write(folder.weightsPath());

    net::DecoderLM lm = net::loadLlamaDecoder(dir.path().toStdString(), ModelConfig::tiny(vocab).lora, 256);
    lm->eval();
    QCOMPARE(lm->config.nKvHeads, kv);
    QCOMPARE(lm->config.hiddenDim, hidden);
    LlamaCheckpoint ck = loadLlamaCheckpoint(dir.path().toStdString(), 256);
    FastDecoder fast(ck.config, ck.weights, 1);
    torch::NoGradGuard g;
    torch::Tensor prefix = torch::randn({1, 5, d});
    std::vector<float> rows = toVector(prefix);
    DecoderState state = fast.newState();
    const float* logits = fast.prefill(state, rows.data(), 5);
    torch::Tensor ref = lm->forward(prefix)[0][4];
    QVERIFY2(maxDiff(logits, ref) < 1e-4, qPrintable(QString::number(maxDiff(logits, ref))));
    QVERIFY_THROWS_EXCEPTION(std::exception, net::loadLlamaDecoder("/nonexistent/llama", ModelConfig::tiny(vocab).lora));
  }

  void missingModelFolderIsNamed() {
    try {
      ReportGenerator gen("/nonexistent/model");
      QFAIL("no error");
    } catch (const GeneratorError& e) {
      QVERIFY2(QString(e.what()).contains("/nonexistent/model"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestInferenceParity)
#include "tst_inference_parity.moc"

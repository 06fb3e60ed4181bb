// Tests of loading a LLaMA-family checkpoint folder (Hugging Face layout) into the fast decoder.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>

#include "engine/core/json.h"
#include "engine/core/safetensors.h"
#include "engine/infer/model_loader.h"
#include "engine/model/llama_checkpoint.h"
#include "engine/model/model_folder.h"
#include "reference_decoder.h"

using namespace fedmrg::engine;
using namespace fedmrg::testing;

namespace {

Json hfConfig(const DecoderConfig& c) {
  Json j = Json::object();
  j["architectures"] = Json(Json::Array{Json("LlamaForCausalLM")});
  j["model_type"] = "llama";
  j["hidden_size"] = c.dim;
  j["intermediate_size"] = c.hiddenDim;
  j["num_attention_heads"] = c.nHeads;
  j["num_key_value_heads"] = c.nKvHeads;
  j["num_hidden_layers"] = c.nLayers;
  j["vocab_size"] = c.vocabSize;
  j["rms_norm_eps"] = c.normEps;
  j["rope_theta"] = c.ropeTheta;
  j["tie_word_embeddings"] = c.tieEmbeddings;
  j["max_position_embeddings"] = c.maxSeqLen;
  j["hidden_act"] = "silu";
  j["rope_scaling"] = nullptr;
  j["torch_dtype"] = "float32";
  return j;
}

void writeJson(const std::string& path, const Json& j) {
  std::ofstream out(path);
  out << j.dump(2);
}

std::vector<float> rows(int n, int dim) {
  std::mt19937_64 rng(5);
  std::normal_distribution<float> d(0.f, 1.f);
  std::vector<float> v(size_t(n) * size_t(dim));
  for (float& x : v) x = d(rng);
  return v;
}

// Logits of the loaded decoder and the naive reference on the original weights, after 4 prefix rows.
double logitGap(const DecoderConfig& loadedConfig, const DecoderWeights& loaded, const DecoderConfig& c,
                const DecoderWeights& original) {
  FastDecoder dec(loadedConfig, loaded, 2);
  const auto x = rows(4, c.dim);
  DecoderState s = dec.newState();
  const float* l = dec.prefill(s, x.data(), 4);
  std::vector<std::vector<float>> in;
  for (int r = 0; r < 4; ++r) in.emplace_back(x.begin() + r * c.dim, x.begin() + (r + 1) * c.dim);
  return maxAbsDiff(l, referenceLogits(c, original, in).back());
}

}  // namespace

class TestLlamaCheckpoint : public QObject {
  Q_OBJECT
 private slots:
  void loadsSingleFileCheckpoint() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const DecoderConfig c = tinyGqaConfig();
    const DecoderWeights w = DecoderWeights::random(c, 31, 0.2f);
    const ModelFolder folder(dir.path().toStdString());
    writeJson(folder.configPath(), hfConfig(c));
    SafetensorsWriter wr;
    w.addTo(c, wr);
    wr.setMetadata("format", "pt");
    wr.write(folder.weightsPath());

    QVERIFY(folder.isLlamaCheckpoint());
    const LlamaCheckpoint ck = loadLlamaCheckpoint(dir.path().toStdString());
    QCOMPARE(ck.config.dim, c.dim);
    QCOMPARE(ck.config.nKvHeads, c.nKvHeads);
    QCOMPARE(ck.config.hiddenDim, c.hiddenDim);
    QCOMPARE(ck.config.maxSeqLen, c.maxSeqLen);
    QVERIFY(logitGap(ck.config, ck.weights, c, w) < 1e-4);
    // loadDecoder recognizes the layout too.
    const LoadedDecoder viaLoader = loadDecoder(dir.path().toStdString());
    QVERIFY(viaLoader.description.find("LLaMA") != std::string::npos);
    QCOMPARE(viaLoader.weights.layers[1].down, w.layers[1].down);
  }

  void loadsShardedBf16TiedCheckpoint() {
    QTemporaryDir dir;
    DecoderConfig c = tinyGqaConfig();
    c.tieEmbeddings = true;
    c.nKvHeads = 1;
    DecoderWeights w = DecoderWeights::random(c, 32, 0.2f);
    // Store in bf16, split over two shards, and compare against the bf16-rounded weights.
    SafetensorsWriter all;
    w.addTo(c, all);
    const SafetensorsFile f = SafetensorsFile::fromBytes(all.serialize(), "mem");
    SafetensorsWriter shard[2];
    Json weightMap = Json::object();
    int i = 0;
    for (const std::string& name : f.names()) {
      const TensorView& t = f.at(name);
      std::vector<float> v = t.toFloat32();
      std::vector<uint16_t> bf(v.size());
      for (size_t k = 0; k < v.size(); ++k) bf[k] = floatToBf16(v[k]);
      const int s = (i++ % 2);
      shard[s].add(name, DType::BF16, t.shape, bf.data(), bf.size() * 2);
      weightMap[name] = s == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      for (size_t k = 0; k < v.size(); ++k) v[k] = bf16ToFloat(bf[k]);
      *w.find(name) = v;
    }
    shard[0].write(dir.filePath("model-00001-of-00002.safetensors").toStdString());
    shard[1].write(dir.filePath("model-00002-of-00002.safetensors").toStdString());
    Json index = Json::object();
    index["metadata"] = Json::object();
    index["weight_map"] = std::move(weightMap);
    const ModelFolder folder(dir.path().toStdString());
    writeJson(folder.shardIndexPath(), index);
    Json cfg = hfConfig(c);
    cfg.asObject().erase(std::remove_if(cfg.asObject().begin(), cfg.asObject().end(),
                                        [](const auto& kv) { return kv.first == "num_key_value_heads"; }),
                         cfg.asObject().end());
    cfg["num_key_value_heads"] = 1;
    writeJson(folder.configPath(), cfg);

    const LlamaCheckpoint ck = loadLlamaCheckpoint(dir.path().toStdString());
    QVERIFY(ck.config.tieEmbeddings);
    QVERIFY(ck.weights.lmHead.empty());
    QVERIFY(logitGap(ck.config, ck.weights, c, w) < 1e-4);
  }

  void configErrorsNameTheField_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("rope scaling") << "rope_scaling" << "{\"type\":\"llama3\",\"factor\":8}" << "rope_scaling";
    QTest::newRow("bias") << "attention_bias" << "true" << "attention_bias";
    QTest::newRow("activation") << "hidden_act" << "\"gelu\"" << "hidden_act 'gelu'";
    QTest::newRow("heads") << "num_attention_heads" << "5" << "num_attention_heads must divide hidden_size";
    QTest::newRow("kv heads") << "num_key_value_heads" << "3" << "num_key_value_heads must divide";
    QTest::newRow("not integer") << "hidden_size" << "31.5" << "'hidden_size' must be a positive integer";
  }
  void configErrorsNameTheField() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    Json j = hfConfig(tinyGqaConfig());
    j[field.toStdString()] = Json::parse(value.toStdString());
    try {
      llamaConfigFromJson(j, "ckpt/hf-config");
      QFAIL("no error");
    } catch (const DecoderError& e) {
      QVERIFY2(QString(e.what()).contains(expected), e.what());
      QVERIFY(QString(e.what()).startsWith("ckpt/hf-config"));
    }
    Json missing = hfConfig(tinyGqaConfig());
    auto& obj = missing.asObject();
    obj.erase(std::remove_if(obj.begin(), obj.end(), [](const auto& kv) { return kv.first == "vocab_size"; }),
              obj.end());
    QVERIFY_THROWS_EXCEPTION(DecoderError, llamaConfigFromJson(missing, "x"));
  }

  void maxSeqLenIsCapped() {
    DecoderConfig c = tinyGqaConfig();
    c.maxSeqLen = 131072;
    QCOMPARE(llamaConfigFromJson(hfConfig(c), "x", 2048).maxSeqLen, 2048);
    QCOMPARE(llamaConfigFromJson(hfConfig(c), "x", 0).maxSeqLen, 131072);
  }

  void missingTensorNamesFileAndTensor() {
    QTemporaryDir dir;
    const DecoderConfig c = tinyGqaConfig();
    const ModelFolder folder(dir.path().toStdString());
    writeJson(folder.configPath(), hfConfig(c));
    SafetensorsWriter wr;
    const std::vector<float> e(size_t(c.vocabSize * c.dim));
    wr.addFloat32("model.embed_tokens.weight", {c.vocabSize, c.dim}, e.data());
    wr.write(folder.weightsPath());
    try {
      loadLlamaCheckpoint(dir.path().toStdString());
      QFAIL("no error");
    } catch (const SafetensorsError& err) {
      QVERIFY2(QString(err.what()).contains(QString::fromStdString(folder.weightsPath()) +
                                            ": missing tensor 'model.layers.0.input_layernorm.weight'"),
               err.what());
    }
    QTemporaryDir empty;
    writeJson(ModelFolder(empty.path().toStdString()).configPath(), hfConfig(c));
    QVERIFY_THROWS_EXCEPTION(DecoderError, loadLlamaCheckpoint(empty.path().toStdString()));
  }
};

QTEST_APPLESS_MAIN(TestLlamaCheckpoint)
#include "tst_llama_checkpoint.moc"

// Tests of ModelConfig (the config of a model folder) and of the diagnosis-driven prompt text.
#include <QtTest>

#include "engine/model/model_config.h"
#include "engine/model/prompt_builder.h"

using namespace fedmrg::engine;

class TestModelConfig : public QObject {
  Q_OBJECT
 private slots:
  void roundTripThroughJson() {
    ModelConfig c = ModelConfig::tiny(300);
    c.losses.mutualBoosting = LossTerm{false, 0.25};
    c.lora.targets = {"q_proj", "v_proj"};
    c.prompt.instruction = "Describe.";
    c.generation.beamSize = 3;
    c.generation.repetitionPenalty = 1.2;
    c.generation.noRepeatNgramSize = 3;
    ModelConfig back = ModelConfig::fromJson(Json::parse(c.toJson().dump(2)));
    QCOMPARE(back.toJson(), c.toJson());
    QCOMPARE(back.decoder.vocabSize, 300);
    QCOMPARE(back.losses.mutualBoosting.enabled, false);
    QCOMPARE(back.losses.mutualBoosting.weight, 0.25);
    QCOMPARE(back.lora.targets.size(), size_t(2));
    QCOMPARE(back.generation.beamSize, 3);
    QCOMPARE(back.generation.repetitionPenalty, 1.2);
    QCOMPARE(back.generation.noRepeatNgramSize, 3);
  }
  void saveAndLoadFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("model-cfg.json").toStdString();
    ModelConfig c = ModelConfig::tiny(77);
    c.save(path);
    QCOMPARE(ModelConfig::load(path).toJson(), c.toJson());
  }
  void contractExampleParses() {
    const std::string text =
        "{\"format\": \"fedmrg-model\", \"version\": 1, \"image_size\": 224,"
        " \"vision\": {\"patch\": 16, \"dim\": 192, \"layers\": 4, \"heads\": 3, \"mlp_ratio\": 4},"
        " \"decoder\": {\"vocab_size\": 4000, \"dim\": 256, \"n_layers\": 6, \"n_heads\": 4, \"n_kv_heads\": 2,"
        " \"hidden_dim\": 688, \"max_seq_len\": 512, \"rope_theta\": 10000.0, \"norm_eps\": 1e-5,"
        " \"tie_embeddings\": false}}";
    ModelConfig c = ModelConfig::fromJson(Json::parse(text));
    QCOMPARE(c.decoder.headDim(), 64);
    QCOMPARE(c.patchGrid(), 14);
    QCOMPARE(c.decoder.nKvHeads, 2);
  }
  void badFieldsAreNamed_data() {
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("expected");
    QTest::newRow("heads") << "{\"decoder\": {\"n_heads\": 3}}" << "decoder.n_heads";
    QTest::newRow("kv heads") << "{\"decoder\": {\"n_kv_heads\": 3}}" << "decoder.n_kv_heads";
    QTest::newRow("type") << "{\"vision\": {\"dim\": \"big\"}}" << "vision.dim: must be an integer";
    QTest::newRow("fraction") << "{\"lora\": {\"rank\": 2.5}}" << "lora.rank: must be an integer";
    QTest::newRow("target") << "{\"lora\": {\"targets\": [\"qkv\"]}}" << "unknown projection 'qkv'";
    QTest::newRow("patch") << "{\"vision\": {\"patch\": 10}}" << "vision.patch: must divide image_size";
    QTest::newRow("switch") << "{\"losses\": {\"lm\": {\"enabled\": 1}}}" << "losses.lm.enabled";
    QTest::newRow("format") << "{\"format\": \"other\"}" << "format";
    QTest::newRow("section") << "{\"decoder\": 5}" << "decoder: must be an object";
    QTest::newRow("beam") << "{\"generation\": {\"beam_size\": 0}}" << "generation.beam_size: must be positive";
    QTest::newRow("ngram") << "{\"generation\": {\"no_repeat_ngram_size\": -1}}" << "generation.no_repeat_ngram_size";
  }
  void badFieldsAreNamed() {
    QFETCH(QString, patch);
    QFETCH(QString, expected);
    try {
      ModelConfig::fromJson(Json::parse(patch.toStdString()));
      QFAIL("no error");
    } catch (const ModelConfigError& e) {
      QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
  }
  void missingFileNamesPath() {
    try {
      ModelConfig::load("/nonexistent/model-cfg.json");
      QFAIL("no error");
    } catch (const std::exception& e) {
      QVERIFY2(QString(e.what()).contains("/nonexistent/model-cfg.json"), e.what());
    }
  }
  void promptListsNonBlankStates() {
    ObservationStates s{};
    s[size_t(observationIndex("cardiomegaly"))] = ObservationState::Positive;
    s[size_t(observationIndex("pleural_effusion"))] = ObservationState::Uncertain;
    s[size_t(observationIndex("edema"))] = ObservationState::Negative;
    QCOMPARE(diagnosisPrompt(s),
             std::string("cardiomegaly: positive; edema: negative; pleural effusion: uncertain"));
    QCOMPARE(diagnosisPrompt(ObservationStates{}), std::string("no labelled findings"));
    QCOMPARE(promptText(s, false, "Write."), std::string("Write.\n"));
    QVERIFY(promptText(s, true, "Write.").find("cardiomegaly: positive") != std::string::npos);
  }
  void argmaxPicksMostProbableState() {
    std::vector<float> p(56, 0.0f);
    for (int i = 0; i < 14; ++i) p[size_t(i * 4)] = 0.5f;
    p[2 * 4 + 1] = 0.9f;
    ObservationStates s = argmaxStates(p);
    QCOMPARE(int(s[2]), int(ObservationState::Positive));
    QCOMPARE(int(s[0]), int(ObservationState::Blank));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, argmaxStates(std::vector<float>(10)));
  }
};

QTEST_APPLESS_MAIN(TestModelConfig)
#include "tst_model_config.moc"

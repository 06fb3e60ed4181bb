// Tests of ModelFolder, the one owner of a model folder's layout: the file names, save then load, errors that name
// the missing or corrupt file, and telling a LLaMA-family checkpoint from a fedmrg model folder.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <set>

#include "engine/core/safetensors.h"
#include "engine/model/model_folder.h"
#include "engine/model/report_net.h"
#include "engine/text/bpe_tokenizer.h"

using namespace fedmrg::engine;
namespace fs = std::filesystem;

namespace {

BpeTokenizer tinyTokenizer() {
  BpeTrainOptions o;
  o.vocabSize = 300;
  o.minFrequency = 1;
  return BpeTokenizer::train({"FINDINGS: The heart size is normal.", "IMPRESSION: No acute disease."}, o);
}

// A tiny model whose every parameter, adapters included, is drawn from the seed (B != 0: the adapters do something).
net::ReportNet randomModel(int vocab, uint64_t seed) {
  torch::manual_seed(seed);
  net::ReportNet m(ModelConfig::tiny(vocab));
  torch::NoGradGuard g;
  for (auto& p : m->parameters()) p.normal_(0.0, 0.1);
  return m;
}

std::string fileName(const std::string& path) { return fs::path(path).filename().string(); }

void writeText(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Runs f, which must throw; returns the message.
template <typename F>
QString errorOf(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return QStringLiteral("<no error>");
}

}  // namespace

class TestModelFolder : public QObject {
  Q_OBJECT
 private slots:
  // The provenance file's statement, absent (the caller shows "unknown training data"), or refused with the
  // file's name when it is there but says nothing.
  void trainingDataComesFromTheProvenanceFile() {
    QTemporaryDir tmp;
    const ModelFolder f(tmp.path().toStdString());
    QCOMPARE(f.trainingData(), std::string());
    QCOMPARE(std::string(ModelFolder::kUnknownTrainingData), std::string("unknown training data"));
    std::ofstream(f.provenancePath()) << R"({"training_data": "synthetic images only"})";
    QCOMPARE(f.trainingData(), std::string("synthetic images only"));
    for (const char* bad : {"{}", R"({"training_data": ""})", R"({"training_data": 3})", "not json"}) {
      std::ofstream(f.provenancePath()) << bad;
      try {
        f.trainingData();
        QFAIL(bad);
      } catch (const ModelFolderError& e) {
        QVERIFY2(std::string(e.what()).find(f.provenancePath()) == 0, e.what());
      }
    }
  }

  void layoutKeepsEveryFileInsideTheFolderUnderItsOwnName() {
    const ModelFolder f("/models/m1");
    QCOMPARE(f.dir(), std::string("/models/m1"));
    std::set<std::string> names;
    for (const std::string& p : f.files()) {
      QCOMPARE(fs::path(p).parent_path().string(), std::string("/models/m1"));
      names.insert(fileName(p));
    }
    QCOMPARE(names.size(), f.files().size());  // no two parts share a file
    const std::vector<std::string> parts{f.configPath(),
                                         f.weightsPath(),
                                         f.adapterPath(AdapterKind::Generic),
                                         f.adapterPath(AdapterKind::Specialized),
                                         f.tokenizerPath(),
                                         f.chestGatePath(),
                                         f.provenancePath()};
    QCOMPARE(f.files(), parts);
    QVERIFY(f.shardIndexPath() != f.weightsPath() && fs::path(f.shardIndexPath()).parent_path() == "/models/m1");
    // Each adapter's file carries its name, so a reader can tell them apart.
    QVERIFY(fileName(f.adapterPath(AdapterKind::Generic)).find(adapterName(AdapterKind::Generic)) == 0);
    QVERIFY(fileName(f.adapterPath(AdapterKind::Specialized)).find(adapterName(AdapterKind::Specialized)) == 0);
  }

  void emptyAndMissingFoldersSayWhy() {
    QTemporaryDir dir;
    const ModelFolder empty(dir.path().toStdString());
    QCOMPARE(empty.kind(), ModelFolder::Kind::None);
    QVERIFY2(QString::fromStdString(empty.problem()).contains(QString::fromStdString(fileName(empty.configPath()))),
             empty.problem().c_str());
    const ModelFolder missing(dir.filePath("absent").toStdString());
    QVERIFY2(QString::fromStdString(missing.problem()).contains(dir.filePath("absent")), missing.problem().c_str());
    QVERIFY(!ModelFolder("").problem().empty());
    QVERIFY(errorOf([&] { empty.loadConfig(); }).contains(QString::fromStdString(empty.configPath())));
  }

  void saveThenLoadGivesTheSameModel() {
    QTemporaryDir dir;
    const ModelFolder f(dir.filePath("model").toStdString());
    const BpeTokenizer tok = tinyTokenizer();
    net::ReportNet m = randomModel(tok.vocabSize(), 3);
    m->config.lora.alpha = 12;  // not the default: the adapter metadata must carry it
    f.save(*m, &tok);
    QCOMPARE(f.kind(), ModelFolder::Kind::Fedmrg);
    QVERIFY(f.problem().empty());
    for (const std::string& p : f.files())  // the chest gate and provenance files are optional: save writes neither
      QVERIFY2(fs::exists(p) != (p == f.chestGatePath() || p == f.provenancePath()), p.c_str());

    const ModelConfig loaded = f.loadConfig();
    QCOMPARE(loaded.toJson().dump(), m->config.toJson().dump());
    net::ReportNet back(loaded);
    f.loadWeights(*back);
    auto want = m->named_parameters(true), got = back->named_parameters(true);
    QCOMPARE(got.size(), want.size());
    for (const auto& p : want) {
      const torch::Tensor* t = got.find(p.key());
      QVERIFY2(t, p.key().c_str());
      QVERIFY2(torch::equal(*t, p.value()), p.key().c_str());
    }
    const std::string text = "FINDINGS: The heart size is normal.";
    QCOMPARE(f.loadTokenizer().encode(text), tok.encode(text));
    for (AdapterKind a : kAdapterKinds) {
      QVERIFY(f.hasAdapter(a));
      const AdapterInfo info = f.adapterInfo(a, LoraConfig{});  // the file's metadata, not these defaults
      QCOMPARE(info.rank, m->config.lora.rank);
      QCOMPARE(info.alpha, 12.0);
    }
  }

  // A federated model: the top level is one site's complete model; another site's own parts (specialized adapter,
  // site head, text head) come from its folder, load over the top level for that site only, and leave the shared
  // tensors (base, generic adapter, generic head) as the top level has them.
  void perSitePartsLoadOverTheTopLevelForTheirSiteOnly() {
    QTemporaryDir dir;
    const BpeTokenizer tok = tinyTokenizer();
    const ModelFolder top(dir.filePath("federated").toStdString()), other(dir.filePath("site-b").toStdString());
    net::ReportNet a = randomModel(tok.vocabSize(), 6), b = randomModel(tok.vocabSize(), 7);
    top.save(*a, &tok);
    other.save(*b, &tok);
    QVERIFY(top.sites().empty() && !top.hasSite("site-b"));
    top.importSite(other, "site-b");
    QCOMPARE(top.sites(), std::vector<std::string>{"site-b"});
    QVERIFY(top.hasSite("site-b") && !top.hasSite("site-e") && !top.hasSite(""));
    QCOMPARE(top.adapterPath(AdapterKind::Specialized, "site-b"),
             (fs::path(top.sitesDir()) / "site-b" / "specialized.safetensors").string());
    QCOMPARE(top.adapterPath(AdapterKind::Specialized, "site-e"), top.adapterPath(AdapterKind::Specialized));
    QCOMPARE(top.adapterPath(AdapterKind::Generic, "site-b"), top.adapterPath(AdapterKind::Generic));

    net::ReportNet asB(top.loadConfig()), asE(top.loadConfig());
    top.loadWeights(*asB, "site-b");
    top.loadWeights(*asE, "site-e");  // no parts: the top level
    const auto pa = a->named_parameters(true), pb = b->named_parameters(true);
    const auto gotB = asB->named_parameters(true), gotE = asE->named_parameters(true);
    int siteTensors = 0;
    for (const auto& p : pa) {
      const std::string& n = p.key();
      const bool own = n.rfind("heads.site.", 0) == 0 || n.rfind("heads.text.", 0) == 0 ||
                       n.find(".specialized_lora_") != std::string::npos;
      siteTensors += own;
      QVERIFY2(torch::equal(*gotB.find(n), own ? *pb.find(n) : p.value()), n.c_str());
      QVERIFY2(torch::equal(*gotE.find(n), p.value()), n.c_str());
    }
    QVERIFY(siteTensors > 4);
    QVERIFY(errorOf([&] { top.siteDir("../x"); }).contains("not a site id"));
  }

  void aFolderWithoutAdaptersLoadsTheBaseAlone() {
    QTemporaryDir dir;
    const ModelFolder f(dir.path().toStdString());
    net::ReportNet m = randomModel(64, 4);
    f.save(*m);
    fs::remove(f.adapterPath(AdapterKind::Specialized));
    QVERIFY(!f.hasAdapter(AdapterKind::Specialized) && f.hasAdapter(AdapterKind::Generic));
    torch::manual_seed(5);
    net::ReportNet fresh(f.loadConfig());
    f.loadWeights(*fresh);
    for (const auto& l : fresh->decoder->loraLayers()) {
      QVERIFY(l->loraB[net::kSpecialized].abs().sum().item<double>() == 0);  // left as it was: no adapter
      QVERIFY(l->loraB[net::kGeneric].abs().sum().item<double>() > 0);       // read from the file
    }
  }

  void missingAndCorruptFilesAreNamed() {
    QTemporaryDir dir;
    const ModelFolder f(dir.path().toStdString());
    const BpeTokenizer tok = tinyTokenizer();
    net::ReportNet m = randomModel(tok.vocabSize(), 6);
    f.save(*m, &tok);
    net::ReportNet target(f.loadConfig());

    // A truncated adapter.
    fs::resize_file(f.adapterPath(AdapterKind::Generic), fs::file_size(f.adapterPath(AdapterKind::Generic)) - 16);
    QString e = errorOf([&] { f.loadWeights(*target); });
    QVERIFY2(e.contains(QString::fromStdString(fileName(f.adapterPath(AdapterKind::Generic)))), qPrintable(e));

    // Missing base weights.
    fs::remove(f.weightsPath());
    e = errorOf([&] { f.loadWeights(*target); });
    QVERIFY2(e.contains(QString::fromStdString(fileName(f.weightsPath()))), qPrintable(e));

    // Base weights that lack a tensor: the error names the file and the tensor.
    {
      SafetensorsWriter w;
      const float one = 1;
      w.addFloat32("unrelated", {1}, &one);
      w.write(f.weightsPath());
    }
    e = errorOf([&] { f.loadWeights(*target); });
    QVERIFY2(e.contains(QString::fromStdString(fileName(f.weightsPath()))) && e.contains("missing tensor"),
             qPrintable(e));

    // A corrupt tokenizer and a corrupt config.
    writeText(f.tokenizerPath(), "{\"format\": ");
    e = errorOf([&] { f.loadTokenizer(); });
    QVERIFY2(e.contains(QString::fromStdString(fileName(f.tokenizerPath()))), qPrintable(e));
    writeText(f.configPath(), "{\"decoder\": {\"n_heads\": 3}}");
    e = errorOf([&] { f.loadConfig(); });
    QVERIFY2(e.contains(QString::fromStdString(fileName(f.configPath()))) && e.contains("n_heads"), qPrintable(e));
    fs::remove(f.tokenizerPath());
    e = errorOf([&] { f.loadTokenizer(); });
    QVERIFY2(e.contains(QString::fromStdString(fileName(f.tokenizerPath()))), qPrintable(e));
  }

  void adapterMetadataOfTheWrongAdapterIsRefused() {
    QTemporaryDir dir;
    const ModelFolder f(dir.path().toStdString());
    net::ReportNet m = randomModel(64, 8);
    f.save(*m);
    fs::copy_file(f.adapterPath(AdapterKind::Generic), f.adapterPath(AdapterKind::Specialized),
                  fs::copy_options::overwrite_existing);
    const QString e = errorOf([&] { f.adapterInfo(AdapterKind::Specialized, m->config.lora); });
    QVERIFY2(e.contains(QString::fromStdString(fileName(f.adapterPath(AdapterKind::Specialized)))) &&
                 e.contains(adapterName(AdapterKind::Generic)),
             qPrintable(e));
  }

  void tellsALlamaCheckpointFromAFedmrgFolder() {
    QTemporaryDir dir;
    const ModelFolder f(dir.path().toStdString());
    writeText(f.configPath(),
              "{\"model_type\": \"llama\", \"hidden_size\": 64, \"intermediate_size\": 128, \"num_attention_heads\": 4,"
              " \"num_hidden_layers\": 2, \"vocab_size\": 100}");
    QCOMPARE(f.kind(), ModelFolder::Kind::LlamaCheckpoint);
    QVERIFY(f.isLlamaCheckpoint());
    ModelConfig::tiny(64).save(f.configPath());
    QCOMPARE(f.kind(), ModelFolder::Kind::Fedmrg);
    QVERIFY(!f.isLlamaCheckpoint());
    // An unreadable config is not taken for a checkpoint; loading it as ours names the file.
    writeText(f.configPath(), "not json");
    QCOMPARE(f.kind(), ModelFolder::Kind::Fedmrg);
    QVERIFY(errorOf([&] { f.loadConfig(); }).contains(QString::fromStdString(f.configPath())));
  }
};

QTEST_APPLESS_MAIN(TestModelFolder)
#include "tst_model_folder.moc"

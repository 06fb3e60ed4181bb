// Tests of the Trainer: overfitting, frozen base weights, checkpoint/resume, model folder, errors.
#include <QtTest>

#include <algorithm>
#include <cstring>
#include <random>

#include "engine/core/safetensors.h"
#include "engine/model/model_folder.h"
#include "engine/train/trainer.h"

using namespace fedmrg::engine;

namespace {
constexpr int kVocab = 64;

std::vector<TrainExample> examples(const ModelConfig& c, int n, int sites) {
  std::mt19937 rng(11);
  std::vector<TrainExample> out;
  for (int i = 0; i < n; ++i) {
    TrainExample e;
    e.image.resize(size_t(c.imageSize * c.imageSize));
    for (size_t k = 0; k < e.image.size(); ++k) e.image[k] = float((k * size_t(i + 3)) % 17) / 17.0f;
    for (auto& s : e.states) s = ObservationState(rng() % 4);
    e.promptIds = {1, 3 + i % 5, 4};
    for (int k = 0; k < 10 + i % 4; ++k) e.reportIds.push_back(int(5 + rng() % (kVocab - 5)));
    e.reportIds.push_back(2);
    e.site = i % sites;
    out.push_back(e);
  }
  return out;
}

// name -> raw bytes of every tensor of a safetensors file.
std::map<std::string, std::vector<uint8_t>> tensorBytes(const QString& path) {
  SafetensorsFile f = SafetensorsFile::open(path.toStdString());
  std::map<std::string, std::vector<uint8_t>> out;
  for (const std::string& n : f.names()) {
    const TensorView& v = f.at(n);
    out[n] = std::vector<uint8_t>(v.data, v.data + v.nbytes);
  }
  return out;
}

// The files of a model folder that a test saved into dir.
QString weightsIn(const QTemporaryDir& dir) {
  return QString::fromStdString(ModelFolder(dir.path().toStdString()).weightsPath());
}
QString adapterIn(const QTemporaryDir& dir, AdapterKind a) {
  return QString::fromStdString(ModelFolder(dir.path().toStdString()).adapterPath(a));
}

TrainOptions quick(int steps) {
  TrainOptions o;
  o.steps = steps;
  o.batchSize = 4;
  o.learningRate = 3e-3;
  o.warmupSteps = 2;
  o.numSites = 2;
  o.threads = 1;
  return o;
}
}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT
 private slots:
  void eightSamplesOverfit() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    Trainer t(c, 1);
    auto data = examples(c, 8, 2);
    TrainOptions o = quick(200);
    o.batchSize = 8;
    o.warmupSteps = 10;
    o.learningRate = 1e-2;
    TrainResult r = t.train(data, o);
    TrainLosses after = t.evaluate(data, o);
    QVERIFY2(r.first.lm > 3.0, qPrintable(QString::number(r.first.lm)));
    QVERIFY2(after.lm < 0.05, qPrintable(QString("LM loss %1 -> %2").arg(r.first.lm).arg(after.lm)));
    QCOMPARE(r.steps, 200);
  }

  void frozenBaseWeightsStayBitIdentical() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    c.lora.dropout = 0.1;
    Trainer t(c, 2);
    QTemporaryDir before, after;
    t.save(before.path().toStdString());
    TrainOptions o = quick(5);
    o.scope = TrainOptions::Scope::Adapters;
    t.train(examples(c, 6, 2), o);
    t.save(after.path().toStdString());
    auto a = tensorBytes(weightsIn(before));
    auto b = tensorBytes(weightsIn(after));
    QCOMPARE(a.size(), b.size());
    int headsChanged = 0;
    for (const auto& [name, bytes] : a) {
      if (name.rfind("heads.", 0) == 0) {
        headsChanged += bytes != b.at(name);
        continue;
      }
      QVERIFY2(bytes == b.at(name), name.c_str());
    }
    QVERIFY(headsChanged > 0);
    for (AdapterKind kind : kAdapterKinds) {
      auto ga = tensorBytes(adapterIn(before, kind)), gb = tensorBytes(adapterIn(after, kind));
      int changed = 0;
      for (const auto& [name, bytes] : ga) changed += bytes != gb.at(name);
      QVERIFY2(changed > 0, adapterName(kind));
    }
    SafetensorsFile g = SafetensorsFile::open(adapterIn(after, AdapterKind::Generic).toStdString());
    QCOMPARE(g.metadata().at("adapter"), std::string("generic"));
    QCOMPARE(g.metadata().at("rank"), std::to_string(c.lora.rank));
  }

  void resumeFromCheckpointMatchesStraightRun() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    c.lora.dropout = 0.1;
    auto data = examples(c, 6, 2);
    QTemporaryDir straightCkpt, resumedCkpt, straightOut, resumedOut;
    TrainOptions o = quick(6);
    o.accumulation = 2;
    o.checkpointDir = straightCkpt.path().toStdString();
    Trainer straight(c, 3);
    straight.train(data, o);
    straight.save(straightOut.path().toStdString());

    o.checkpointDir = resumedCkpt.path().toStdString();
    {
      Trainer first(c, 3);
      TrainResult r = first.train(data, o, [](const TrainProgress& p) { return p.step < 3; });
      QVERIFY(r.cancelled);
      QCOMPARE(r.steps, 3);
    }
    Trainer second(c, 99);  // different init: everything must come from the checkpoint
    TrainResult r = second.train(data, o);
    QCOMPARE(r.startStep, 3);
    second.save(resumedOut.path().toStdString());
    QVERIFY(tensorBytes(weightsIn(straightOut)) ==
            tensorBytes(weightsIn(resumedOut)));
  }

  // The FL benchmark's per-round state: a second train() call continues the same from a saved state (weights and
  // the site-prototype table, which the contrastive loss reads) as from the live trainer.
  void savedStateContinuesLikeTheLiveTrainer() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    auto data = examples(c, 6, 2);
    TrainOptions o = quick(3);
    QTemporaryDir dir, liveOut, restoredOut;
    const std::string state = dir.filePath("state.pt").toStdString();
    Trainer live(c, 3);
    live.train(data, o);
    live.saveState(state);
    QVERIFY(!QFileInfo::exists(dir.filePath("state.pt.tmp")));
    Trainer restored(c, 99);  // different init: everything must come from the state
    restored.loadState(state);
    QCOMPARE(restored.sitePrototype(1), live.sitePrototype(1));
    QVERIFY(!live.sitePrototype(1).empty());
    o.seed = 7;
    live.train(data, o);
    restored.train(data, o);
    live.save(liveOut.path().toStdString());
    restored.save(restoredOut.path().toStdString());
    QVERIFY(tensorBytes(adapterIn(liveOut, AdapterKind::Generic)) ==
            tensorBytes(adapterIn(restoredOut, AdapterKind::Generic)));
    QCOMPARE(restored.sitePrototype(0), live.sitePrototype(0));

    QFile damaged(dir.filePath("damaged.pt"));
    QVERIFY(damaged.open(QIODevice::WriteOnly) && damaged.write("not an archive") > 0);
    damaged.close();
    try {
      restored.loadState(damaged.fileName().toStdString());
      QFAIL("a damaged state was read");
    } catch (const TrainError& e) {
      QVERIFY2(QString(e.what()).contains("damaged.pt"), e.what());
    }
  }

  void modelFolderLoadsBack() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    Trainer t(c, 4);
    auto data = examples(c, 4, 1);
    TrainOptions o = quick(3);
    o.numSites = 1;
    t.train(data, o);
    QTemporaryDir dir;
    t.save(dir.path().toStdString());
    QVERIFY(QFile::exists(QString::fromStdString(ModelFolder(dir.path().toStdString()).configPath())));
    Trainer loaded = Trainer::fromFolder(dir.path().toStdString());
    QCOMPARE(loaded.config().toJson(), c.toJson());
    QCOMPARE(loaded.evaluate(data, o).lm, t.evaluate(data, o).lm);
    // A corrupted weights file gives an error naming it.
    QFile f(weightsIn(dir));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("garbage");
    f.close();
    try {
      Trainer::fromFolder(dir.path().toStdString());
      QFAIL("no error");
    } catch (const std::exception& e) {
      QVERIFY2(QString(e.what()).contains(weightsIn(dir)), e.what());
    }
  }

  void progressReportsEveryStepWithEta() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    Trainer t(c, 5);
    std::vector<TrainProgress> seen;
    t.train(examples(c, 4, 2), quick(4), [&](const TrainProgress& p) {
      seen.push_back(p);
      return true;
    });
    QCOMPARE(seen.size(), size_t(4));
    QCOMPARE(seen.back().step, 4);
    QCOMPARE(seen.back().etaSeconds, 0.0);
    QVERIFY(seen.front().learningRate < seen[1].learningRate);  // warmup
    QVERIFY(formatProgress(seen.front()).find("ETA") != std::string::npos);
    QCOMPARE(seen.front().losses.sitePrototype, 0.0);  // no prototype exists before the first batch
    QVERIFY(seen[1].losses.sitePrototype > 0);          // then both sites have one: the loss is active
    QVERIFY(!t.sitePrototype(1).empty());
  }

  void federatedTensorsRoundTrip() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    Trainer t(c, 7);
    HostTensors f = t.federatedTensors();
    QCOMPARE(f.size(), size_t(c.decoder.nLayers * 7 * 2 + 4));
    QVERIFY(f.count("model.layers.1.self_attn.q_proj.lora_B") == 1);
    QVERIFY(f.count("heads.generic.fc2.weight") == 1);
    QVERIFY(f.count("heads.site.fc2.weight") == 0);  // the site head never leaves the site
    for (auto& [name, h] : f)
      for (size_t i = 0; i < h.values.size(); ++i) h.values[i] = float(i % 7) * 0.01f;
    t.setFederatedTensors(f);
    HostTensors back = t.federatedTensors();
    for (const auto& [name, h] : f) QVERIFY2(back.at(name).values == h.values, name.c_str());
    HostTensors bad{{"model.layers.0.mlp.up_proj.lora_A", HostTensor{{2, 2}, std::vector<float>(4)}}};
    try {
      t.setFederatedTensors(bad);
      QFAIL("no error");
    } catch (const TrainError& e) {
      QVERIFY2(QString(e.what()).contains("up_proj.lora_A"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(TrainError, t.setFederatedTensors({{"heads.nope.weight", HostTensor{{1}, {0.f}}}}));
    // rank 4 on q (32->32), k, v (32->16), o (32->32), gate, up (32->64), down (64->32), 2 layers.
    auto counts = t.parameterCounts();
    QCOMPARE(counts.size(), size_t(7));
    QCOMPARE(counts[5], (std::pair<std::string, int64_t>{"generic adapter", 2 * 4 * (64 + 48 + 48 + 64 + 96 * 3)}));
    QCOMPARE(counts[6].second, counts[5].second);
    QCOMPARE(counts[1].second, int64_t(32 * 56 + 56));
    QVERIFY_THROWS_EXCEPTION(TrainError, t.setFederatedTensors({{"heads.generic.fc1.bias", HostTensor{{3}, {0.f}}}}));
  }

  // The FL benchmark's access by parameter name: the Adapters scope's tensors are the adapters and heads only;
  // values written come back; unknown names and wrong shapes are refused naming the tensor.
  void namedTensorsRoundTrip() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    Trainer t(c, 7);
    const HostTensors trainable = t.namedTensors(true), all = t.namedTensors(false);
    QVERIFY(trainable.size() < all.size());
    for (const auto& [name, h] : trainable)
      QVERIFY2(name.find("_lora_") != std::string::npos || name.rfind("heads.", 0) == 0, name.c_str());
    // The projector is not trained by the Adapters scope, but is there by name for FedMRG's shared set.
    auto projector = [](const auto& kv) { return kv.first.rfind("projector.", 0) == 0; };
    QVERIFY(std::any_of(all.begin(), all.end(), projector));
    QVERIFY(std::none_of(trainable.begin(), trainable.end(), projector));
    HostTensors some{*trainable.begin()};
    for (auto& [name, h] : some) std::fill(h.values.begin(), h.values.end(), 0.25f);
    t.setNamedTensors(some);
    QCOMPARE(t.namedTensors(true).at(some.begin()->first).values, some.begin()->second.values);
    try {
      t.setNamedTensors({{"heads.nope.weight", HostTensor{{1}, {0.f}}}});
      QFAIL("no error");
    } catch (const TrainError& e) {
      QVERIFY2(QString(e.what()).contains("heads.nope.weight"), e.what());
    }
    HostTensor wrong{{1}, {0.f}};
    QVERIFY_THROWS_EXCEPTION(TrainError, t.setNamedTensors({{some.begin()->first, wrong}}));
  }

  // FedProx: with a large proximal weight the trainable tensors stay much closer to where training started.
  void proximalTermHoldsTensorsNearTheStart() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    auto drift = [&](double mu) {
      Trainer t(c, 3);
      const HostTensors start = t.namedTensors(true);
      TrainOptions o = quick(6);
      o.scope = TrainOptions::Scope::Adapters;
      o.proximalMu = mu;
      t.train(examples(c, 8, 2), o);
      double sum = 0;
      for (const auto& [name, h] : t.namedTensors(true))
        for (size_t i = 0; i < h.values.size(); ++i) {
          const double d = double(h.values[i]) - start.at(name).values[i];
          sum += d * d;
        }
      return sum;
    };
    const double free = drift(0), held = drift(1000);
    QVERIFY2(free > 0 && held < 0.5 * free, qPrintable(QString("drift %1 without, %2 with").arg(free).arg(held)));
  }

  void badExamplesAreNamed() {
    ModelConfig c = ModelConfig::tiny(kVocab);
    Trainer t(c, 6);
    auto data = examples(c, 3, 1);
    data[2].image.resize(5);
    try {
      t.train(data, quick(1));
      QFAIL("no error");
    } catch (const TrainError& e) {
      QVERIFY2(QString(e.what()).contains("example 2: image has 5 values"), e.what());
    }
    data = examples(c, 3, 1);
    data[1].reportIds[0] = kVocab + 3;
    QVERIFY_THROWS_EXCEPTION(TrainError, t.train(data, quick(1)));
    QVERIFY_THROWS_EXCEPTION(TrainError, t.train({}, quick(1)));
  }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"

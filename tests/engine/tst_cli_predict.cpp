// fedmrg-cli predict end to end: a tiny FL-MRG-Synth set, a tiny model trained by pretrain, drafts and
// references written as JSONL, and evaluate scoring them; pretrain --init continues from a model folder; a
// federated model drafts each seen site with its own parts.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "cli_process.h"
#include "engine/model/model_folder.h"

namespace {

using clitest::cli;
using clitest::Run;

QList<QJsonObject> readJsonl(const QString& path) {
  QList<QJsonObject> out;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return out;
  while (!f.atEnd()) {
    const QByteArray line = f.readLine().trimmed();
    if (!line.isEmpty()) out.push_back(QJsonDocument::fromJson(line).object());
  }
  return out;
}

// Reference reports by study id, for the given sites and split, straight from the data set's files.
QHash<QString, QString> synthReports(const QString& data, const QStringList& sites, const QString& split) {
  QHash<QString, QString> out;
  for (const QString& site : sites)
    for (const QJsonObject& o : readJsonl(data + "/" + site + "/reports.jsonl"))
      if (o.value("split").toString() == split) out.insert(o.value("study_uid").toString(), o.value("report").toString());
  return out;
}

}  // namespace

class TestCliPredict : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString data_, model_;

 private slots:
  void initTestCase() {
#ifndef FEDMRG_HAVE_DCMTK
    QSKIP("fedmrg-cli synth and predict need DICOM support (DCMTK)");
#endif
    QVERIFY(dir_.isValid());
    data_ = dir_.filePath("synth");
    model_ = dir_.filePath("model");
    const QString failed = clitest::makeTinySynthModel(data_, model_, 10);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
  }

  void seenTestSplitMatchesTheDataSet() {
    const QString pred = dir_.filePath("pred.jsonl"), ref = dir_.filePath("ref.jsonl");
    Run r = cli({"predict", "--model", model_, "--data", data_, "--pred", pred, "--ref", ref, "--max-new", "12",
                 "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("not reviewed"), qPrintable(r.out));

    const QHash<QString, QString> expected = synthReports(data_, {"site-a", "site-b", "site-c", "site-d"}, "test");
    QVERIFY(!expected.isEmpty());
    const QList<QJsonObject> preds = readJsonl(pred), refs = readJsonl(ref);
    QCOMPARE(preds.size(), expected.size());
    QCOMPARE(refs.size(), expected.size());
    QSet<QString> ids;
    for (int i = 0; i < refs.size(); ++i) {
      const QString id = refs[i].value("id").toString();
      QCOMPARE(preds[i].value("id").toString(), id);  // same order, one line per study
      QVERIFY2(expected.contains(id), qPrintable(id));
      QCOMPARE(refs[i].value("report").toString(), expected.value(id));
      QVERIFY(preds[i].value("report").isString());
      ids.insert(id);
    }
    QCOMPARE(ids.size(), expected.size());  // no study twice

    const QString json = dir_.filePath("eval.json");
    Run e = cli({"evaluate", "--pred", pred, "--ref", ref, "--json", json, "--no-meteor"});
    QVERIFY2(e.code == 0, qPrintable(e.out));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY2(f.readAll().contains("bleu_4"), "evaluate --json holds no BLEU-4 figure");
  }

  // A federated model (per-site parts under sites/<id>/): predict drafts site-b's studies with site-b's own
  // specialized adapter and heads, and the sites without parts with the top-level model.
  void aFederatedModelDraftsEachSeenSiteWithItsOwnParts() {
    namespace fs = std::filesystem;
    const QString fed = dir_.filePath("federated");
    fs::copy(model_.toStdString(), fed.toStdString(), fs::copy_options::recursive);
    const fedmrg::engine::ModelFolder folder(fed.toStdString());
    folder.importSite(fedmrg::engine::ModelFolder(model_.toStdString()), "site-b");
    const QString pred = dir_.filePath("fed.jsonl");
    Run r = cli({"predict", "--model", fed, "--data", data_, "--pred", pred, "--sites", "site-a,site-b", "--limit", "2",
                 "--max-new", "8", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("model for site-b: fedmrg model folder + generic.safetensors + "
                            "sites/site-b/specialized.safetensors"),
             qPrintable(r.out));
    QVERIFY2(r.out.contains("model for the other sites: fedmrg model folder + generic.safetensors + "
                            "specialized.safetensors"),
             qPrintable(r.out));
    QCOMPARE(readJsonl(pred).size(), 4);
  }

  void heldOutSiteAndLimit() {
    const QString pred = dir_.filePath("held.jsonl"), states = dir_.filePath("states.jsonl");
    Run r = cli({"predict", "--model", model_, "--data", data_, "--pred", pred, "--sites", "heldout", "--limit", "3",
                 "--max-new", "8", "--threads", "1", "--states", states});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    const QList<QJsonObject> preds = readJsonl(pred);
    QCOMPARE(preds.size(), 3);
    const QHash<QString, QString> heldOut = synthReports(data_, {"site-e"}, "test");
    for (const QJsonObject& o : preds) QVERIFY(heldOut.contains(o.value("id").toString()));
    const QList<QJsonObject> st = readJsonl(states);
    QCOMPARE(st.size(), 3);
    const QJsonObject effusion = st[0].value("observations").toObject().value("pleural_effusion").toObject();
    QCOMPARE(effusion.value("probabilities").toArray().size(), 4);
    QVERIFY(!effusion.value("reference").toString().isEmpty());
    QCOMPARE(st[0].value("site").toString(), QString("site-e"));
  }

  void pretrainContinuesFromInit() {
    const QString next = dir_.filePath("next");
    Run r = cli({"pretrain", "--data", data_, "--out", next, "--init", model_, "--steps", "2", "--batch", "4", "--threads",
                 "1"});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    auto bytes = [](const QString& path) {
      QFile f(path);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const fedmrg::engine::ModelFolder from(model_.toStdString()), to(next.toStdString());
    auto file = [&](const std::string& path) { return bytes(QString::fromStdString(path)); };
    QCOMPARE(file(to.tokenizerPath()), file(from.tokenizerPath()));  // same tokens, not retrained
    QVERIFY(!file(to.weightsPath()).isEmpty());
    QVERIFY(file(to.weightsPath()) != file(from.weightsPath()));  // it trained

    Run clash = cli({"pretrain", "--data", data_, "--out", next, "--init", model_, "--vocab", "300"});
    QVERIFY(clash.code != 0);
    QVERIFY2(clash.out.contains("--init"), qPrintable(clash.out));
  }

  void badInputIsNamed() {
    Run site = cli({"predict", "--model", model_, "--data", data_, "--pred", dir_.filePath("x.jsonl"), "--sites",
                    "site-zz"});
    QVERIFY(site.code != 0);
    QVERIFY2(site.out.contains("site-zz"), qPrintable(site.out));

    Run split = cli({"predict", "--model", model_, "--data", data_, "--pred", dir_.filePath("x.jsonl"), "--split",
                     "nosuch"});
    QVERIFY(split.code != 0);
    QVERIFY2(split.out.contains("nosuch"), qPrintable(split.out));

    Run noModel = cli({"predict", "--model", dir_.filePath("missing"), "--data", data_, "--pred",
                       dir_.filePath("x.jsonl")});
    QVERIFY(noModel.code != 0);
    QVERIFY2(noModel.out.contains("missing"), qPrintable(noModel.out));
  }
};

QTEST_APPLESS_MAIN(TestCliPredict)
#include "tst_cli_predict.moc"

// The site's model versions: registering, switching and rolling back (audit-logged), the drafting folder of
// the active version, and the quality gate with real engine drafts of a tiny model on FL-MRG-Synth studies
// signed at the site: an equal adapter is accepted and drafts move to it, a damaged (noised) one is refused
// with its scores, and too few held-back reports follow the configured policy.
#include <torch/torch.h>  // LibTorch first: Qt's "slots" macro breaks its headers

#include "engine/model/report_net.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/draft_service.h"
#include "app/site/model_identity.h"
#include "app/site/model_versions.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "app/training_site.h"
#include "engine/model/model_folder.h"
#include "engine/synth/synth_generator.h"
#include "engine/text/bpe_tokenizer.h"
#include "engine/train/synth_examples.h"
#include "engine/train/trainer.h"

using namespace fedmrg::app;

namespace {

const std::string kPass = "site passphrase";

// A copy of `from`'s generic adapter, every factor changed by `change` (applied to the loaded model).
QString changedGenericAdapter(const QString& from, const QString& toDir,
                              const std::function<void(torch::Tensor&)>& change) {
  const fedmrg::engine::ModelFolder source(from.toStdString());
  auto net = fedmrg::engine::net::loadReportNet(source);
  {
    torch::NoGradGuard g;
    for (auto& [name, t] : fedmrg::engine::net::adapterTensors(*net, fedmrg::engine::net::kGeneric)) change(t);
  }
  fedmrg::engine::ModelFolder(toDir.toStdString()).save(*net);
  return QString::fromStdString(
      fedmrg::engine::ModelFolder(toDir.toStdString()).adapterPath(fedmrg::engine::AdapterKind::Generic));
}

int64_t countAudit(Site& site, const std::string& action) {
  auto st = site.store().prepare("SELECT COUNT(*) FROM audit_log WHERE action = ?");
  st.bind(1, action);
  st.step();
  return st.int64(0);
}

}  // namespace

class TestModelVersions : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString base_;
  std::unique_ptr<Site> site_;
  int64_t admin_ = 0, radiologist_ = 0;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), kPass, "Test site", "admin", "Admin", "admin-password");
    admin_ = 1;
    radiologist_ = UserDirectory(*site_, admin_).addUser("rad", "Dr Rad", Role::Radiologist, "radiologist-password");

    fedmrg::engine::SynthOptions o;
    o.outDir = dir_.filePath("synth").toStdString();
    o.studiesPerSite = 1;
    o.size = 64;
    o.threads = 1;
    fedmrg::engine::generateSynthDataset(o);
    QStringList dicoms;
    for (QDirIterator it(dir_.filePath("synth"), {"*.dcm"}, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
      dicoms << it.next();
    const ImportResult imported = DicomImporter(*site_, radiologist_).importFiles(dicoms);
    base_ = dir_.filePath("chest-model");
    fedmrg::testing::writeTrainedTinyModel(base_, dir_.filePath("synth"));
    QVERIFY(fedmrg::engine::ModelFolder(base_.toStdString()).hasAdapter(fedmrg::engine::AdapterKind::Generic));
    QVERIFY2(imported.studiesAdded >= 4, qPrintable(QString::number(imported.studiesAdded)));
  }

  void registersSwitchesAndRollsBack() {
    ModelVersions versions(*site_, admin_);
    QVERIFY(!versions.active());
    QVERIFY(versions.activeModelDir().isEmpty());
    const ModelVersion base = versions.ensureBase(base_);
    QCOMPARE(base.origin, std::string("base"));
    QCOMPARE(base.gate, GateState::Accepted);
    QCOMPARE(versions.active()->id, base.id);
    QCOMPARE(versions.ensureBase(base_).id, base.id);  // once
    QVERIFY(!base.genericDigest.empty());
    QVERIFY(QFileInfo::exists(
        dir_.filePath("site/model-versions/files/" + QString::fromStdString(base.genericDigest) + ".safetensors")));

    // The drafting folder is a complete model folder whose identity names the version.
    const QString baseDir = versions.activeModelDir();
    QVERIFY2(fedmrg::engine::ModelFolder(baseDir.toStdString()).problem().empty(), qPrintable(baseDir));
    QCOMPARE(identifyModel(baseDir).name, std::string("chest-model-v1"));

    const QString zeroed = changedGenericAdapter(base_, dir_.filePath("zeroed"), [](torch::Tensor& t) { t.zero_(); });
    const ModelVersion local = versions.registerAdapters(zeroed, {}, "local", "local training run 1");
    QCOMPARE(local.gate, GateState::Pending);
    QVERIFY(local.genericDigest != base.genericDigest);
    QCOMPARE(local.specializedDigest, base.specializedDigest);  // kept from the active version
    QCOMPARE(versions.active()->id, base.id);                   // registering does not switch

    versions.activate(local.id, "trying the local adapter");
    QCOMPARE(versions.active()->id, local.id);
    const QString localDir = versions.activeModelDir();
    QVERIFY(localDir != baseDir);
    QVERIFY(identifyModel(localDir).version != identifyModel(baseDir).version);
    QCOMPARE(versions.rollBack().id, base.id);
    QCOMPARE(versions.active()->id, base.id);
    QCOMPARE(versions.rollBack().id, local.id);  // a roll back is undone by rolling back again
    versions.activate(base.id, "back to the base");
    QCOMPARE(countAudit(*site_, "model version switched"), int64_t(3));  // base, local, base
    QCOMPARE(countAudit(*site_, "model version rolled back"), int64_t(2));
    QCOMPARE(versions.list().size(), size_t(2));

    // Bad input names the file and changes nothing.
    QFile junk(dir_.filePath("junk.safetensors"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a safetensors file");
    junk.close();
    try {
      versions.registerAdapters(junk.fileName(), {}, "local", "x");
      QFAIL("a damaged adapter was registered");
    } catch (const ModelVersionError& e) {
      QVERIFY2(QString(e.what()).contains("junk.safetensors"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(ModelVersionError,
                             versions.registerAdapters(dir_.filePath("missing.safetensors"), {}, "local", "x"));
    QVERIFY_THROWS_EXCEPTION(ModelVersionError, versions.registerAdapters(zeroed, {}, "elsewhere", "x"));
    QCOMPARE(versions.list().size(), size_t(2));
  }

  void gateAcceptsEqualAndRefusesWorse() {
    ModelVersions versions(*site_, admin_);
    const ModelVersion base = *versions.active();
    GateSettings s;
    s.heldBackEvery = 1;  // every signed report is held back: a handful of studies is enough to judge
    s.minHeldBack = 3;
    s.margin = 0.05;
    versions.setGateSettings(s);

    // The radiologist signs, for every study, what the active version drafts: the active version scores
    // CE-F1 1 on the held-back set, and a worse adapter can only lose.
    const HeldBackDrafter drafter = draftServiceDrafter(*site_);
    ReportService reports(*site_, radiologist_);
    auto st = site_->store().prepare("SELECT id FROM studies ORDER BY id");
    std::vector<int64_t> studies;
    while (st.step()) studies.push_back(st.int64(0));
    for (int64_t study : studies) {
      HeldBackReport r;
      r.studyId = study;
      r.imageFile = studyImagesFirst(study);
      const std::string text = drafter(versions.activeModelDir(), r);
      const ReportSections sections = splitReportText(text);
      reports.save(study, sections.findings.empty() ? "Drafted." : sections.findings, sections.impression, "");
      reports.sign(study, ReportStatus::Final, ChipsAgainstText::ConfirmedByUser);
    }
    QCOMPARE(versions.heldBackReports().size(), studies.size());
    const GateScore baseScore = versions.score(base.id, drafter);
    QCOMPARE(baseScore.reports, int(studies.size()));
    QCOMPARE(baseScore.ceF1, 1.0);

    // An equal adapter (the same tensors, written again) is accepted, and drafts move to it.
    const QString same = changedGenericAdapter(base_, dir_.filePath("same"), [](torch::Tensor&) {});
    const ModelVersion equal =
        versions.registerAdapters(same, {}, "federation", "federation round 1, global version 1");
    const GateDecision accepted = versions.gate(equal.id, drafter);
    QVERIFY2(accepted.accepted, accepted.reason.c_str());
    QCOMPARE(*accepted.candidateScore, 1.0);
    QCOMPARE(versions.active()->id, equal.id);
    QCOMPARE(versions.find(equal.id)->gate, GateState::Accepted);

    // A damaged adapter (large noise on every factor) drafts other findings: refused, the reason stored.
    const QString noised = changedGenericAdapter(base_, dir_.filePath("noised"), [](torch::Tensor& t) {
      torch::manual_seed(11);
      t.add_(torch::randn_like(t) * 3.0);
    });
    const ModelVersion worse =
        versions.registerAdapters(noised, {}, "federation", "federation round 2, global version 2");
    const GateDecision refused = versions.gate(worse.id, drafter);
    QVERIFY2(!refused.accepted, refused.reason.c_str());
    QVERIFY2(*refused.candidateScore < 1.0 - s.margin, refused.reason.c_str());
    QVERIFY2(refused.reason.find("refused: CE-F1") != std::string::npos &&
                 refused.reason.find("more than the margin 0.050") != std::string::npos,
             refused.reason.c_str());
    QCOMPARE(versions.active()->id, equal.id);  // drafts keep the accepted version
    const ModelVersion stored = *versions.find(worse.id);
    QCOMPARE(stored.gate, GateState::Refused);
    QCOMPARE(stored.gateReason, refused.reason);
    QVERIFY(stored.ceF1.has_value());
    QCOMPARE(countAudit(*site_, "model version gate"), int64_t(2));

    // The same damaged adapter, with a margin wide enough, passes: the margin is what decides.
    s.margin = 1.0;
    versions.setGateSettings(s);
    const ModelVersion again =
        versions.registerAdapters(noised, {}, "federation", "federation round 3, global version 3");
    QVERIFY(versions.gate(again.id, drafter).accepted);
    versions.rollBack();

    // Too few held-back reports: said, and the policy decides (default: keep the active version).
    s.margin = 0.05;
    s.minHeldBack = 100;
    versions.setGateSettings(s);
    const ModelVersion unchecked =
        versions.registerAdapters(same, {}, "federation", "federation round 4, global version 4");
    const GateDecision kept = versions.gate(unchecked.id, drafter);
    QVERIFY(!kept.accepted);
    QVERIFY2(kept.reason.find("not checked: only " + std::to_string(studies.size()) +
                              " held-back signed reports, fewer than 100") != std::string::npos,
             kept.reason.c_str());
    s.acceptWhenTooFew = true;
    versions.setGateSettings(s);
    QVERIFY(versions.gate(unchecked.id, drafter).accepted);

    // The workstation's draft service asks for the active version on every draft: a switch or a roll back
    // takes effect at the next draft, and the draft names the version that wrote it.
    auto service = makeDraftService([this] { return draftingModelDir(*site_, base_); }, site_->vault());
    const std::atomic<bool> cancel{false};
    DraftedReport d;
    QVERIFY(service->generate(studyImagesFirst(studies.front()), d, {}, cancel));
    QCOMPARE(d.model.name, "chest-model-v" + std::to_string(unchecked.id));
    const ModelVersion previous = versions.rollBack();
    QVERIFY(service->generate(studyImagesFirst(studies.front()), d, {}, cancel));
    QCOMPARE(d.model.name, "chest-model-v" + std::to_string(previous.id));

    s.heldBackEvery = 0;
    QVERIFY_THROWS_EXCEPTION(ModelVersionError, versions.setGateSettings(s));
  }

 private:
  QString studyImagesFirst(int64_t study) {
    auto st = site_->store().prepare(
        "SELECT i.file_path FROM images i JOIN series r ON i.series_id = r.id WHERE r.study_id = ? ORDER BY i.id");
    st.bind(1, study);
    return st.step() ? QDir(site_->dir()).absoluteFilePath(QString::fromStdString(st.text(0))) : QString();
  }
};

QTEST_GUILESS_MAIN(TestModelVersions)
#include "tst_model_versions.moc"

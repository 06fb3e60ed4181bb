#include "app/site/model_versions.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "app/site/draft_activity.h"
#include "app/site/draft_service.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "engine/core/safetensors.h"
#include "engine/labeler/labeler.h"
#include "engine/metrics/clinical_metrics.h"
#include "engine/model/model_folder.h"

namespace fedmrg::app {
namespace {

constexpr const char* kColumns =
    "id, base_dir, generic_digest, specialized_digest, origin, origin_detail, created_at, gate_state, gate_reason";

QString versionsDir(Site& site) { return QDir(site.dir()).filePath(QStringLiteral("model-versions")); }
QString adapterStoreDir(Site& site) { return QDir(versionsDir(site)).filePath(QStringLiteral("files")); }

GateState gateStateOf(const std::string& s) {
  if (s == "accepted") return GateState::Accepted;
  if (s == "refused") return GateState::Refused;
  return GateState::Pending;
}

std::string fileDigest(const QString& file) {
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly))
    throw ModelVersionError(file.toStdString() + ": cannot be read: " + f.errorString().toStdString());
  QCryptographicHash h(QCryptographicHash::Sha256);
  if (!h.addData(&f)) throw ModelVersionError(file.toStdString() + ": cannot be read");
  return h.result().toHex().toStdString();
}

std::string score3(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

std::optional<std::string> setting(Site& site, const std::string& key) {
  auto st = site.store().prepare("SELECT value FROM settings WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void putSetting(Site& site, const std::string& key, const std::string& value) {
  site.store().prepare("INSERT OR REPLACE INTO settings(key, value) VALUES(?, ?)").bind(1, key).bind(2, value).run();
}

// The adapter files a base model folder ships, which a version replaces with its own.
bool isAdapterFile(const QString& name) {
  for (auto kind : engine::kAdapterKinds)
    if (name == QFileInfo(QString::fromStdString(engine::ModelFolder("").adapterPath(kind))).fileName()) return true;
  return false;
}

}  // namespace

const char* gateStateName(GateState s) {
  switch (s) {
    case GateState::Accepted: return "accepted";
    case GateState::Refused: return "refused";
    case GateState::Pending: break;
  }
  return "pending";
}

std::string ModelVersion::label() const { return "v" + std::to_string(id) + " (" + originDetail + ")"; }

ModelVersions::ModelVersions(Site& site, int64_t userId) : site_(site), userId_(userId) {}

ModelVersion ModelVersions::read(int64_t id) {
  auto v = find(id);
  if (!v) throw ModelVersionError("no model version " + std::to_string(id));
  return *v;
}

std::optional<ModelVersion> ModelVersions::find(int64_t id) {
  auto st = site_.store().prepare(std::string("SELECT ") + kColumns + " FROM model_versions WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  ModelVersion v{st.int64(0), st.text(1),   st.text(2), st.text(3),
                 st.text(4),  st.text(5),   st.text(6), gateStateOf(st.text(7)),
                 st.text(8),  std::nullopt, 0};
  auto sc = site_.store().prepare(
      "SELECT ce_f1, reports FROM model_version_scores WHERE version_id = ? ORDER BY scored_at DESC LIMIT 1");
  sc.bind(1, id);
  if (sc.step()) {
    v.ceF1 = sc.real(0);
    v.scoredReports = int(sc.int64(1));
  }
  return v;
}

std::vector<ModelVersion> ModelVersions::list() {
  std::vector<int64_t> ids;
  auto st = site_.store().prepare("SELECT id FROM model_versions ORDER BY id");
  while (st.step()) ids.push_back(st.int64(0));
  std::vector<ModelVersion> out;
  for (int64_t id : ids) out.push_back(read(id));
  return out;
}

std::optional<ModelVersion> ModelVersions::active() {
  auto st = site_.store().prepare("SELECT version_id FROM model_activations ORDER BY id DESC LIMIT 1");
  if (!st.step()) return std::nullopt;
  return find(st.int64(0));
}

std::string ModelVersions::storeAdapter(const QString& file) {
  if (!QFileInfo(file).isFile()) throw ModelVersionError(file.toStdString() + ": no such adapter file");
  try {
    engine::SafetensorsFile::open(file.toStdString());  // a damaged or foreign file is refused before it is kept
  } catch (const std::exception& e) {
    throw ModelVersionError(file.toStdString() + ": not an adapter file: " + e.what());
  }
  const std::string digest = fileDigest(file);
  const QString dir = adapterStoreDir(site_);
  if (!QDir().mkpath(dir)) throw ModelVersionError(dir.toStdString() + ": cannot be created");
  const QString target = QDir(dir).filePath(QString::fromStdString(digest) + QStringLiteral(".safetensors"));
  if (!QFileInfo::exists(target)) {
    // Copied under a temporary name first, so that a crash never leaves a partial file under its digest.
    const QString partial = target + QStringLiteral(".part");
    QFile::remove(partial);
    if (!QFile::copy(file, partial) || !QFile::rename(partial, target))
      throw ModelVersionError(target.toStdString() + ": cannot store the adapter copied from " + file.toStdString());
    QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  }
  return digest;
}

ModelVersion ModelVersions::ensureBase(const QString& baseDir) {
  const std::string base = QFileInfo(baseDir).absoluteFilePath().toStdString();
  {
    auto st = site_.store().prepare("SELECT id FROM model_versions WHERE origin = 'base' AND base_dir = ?");
    st.bind(1, base);
    if (st.step()) {
      const int64_t id = st.int64(0);
      if (!active()) activate(id, "the base model");
      return read(id);
    }
  }
  const engine::ModelFolder folder(base);
  if (const std::string problem = folder.problem(); !problem.empty())
    throw ModelVersionError("the base model " + base + " cannot be used: " + problem);
  std::string digests[2];
  int i = 0;
  for (auto kind : engine::kAdapterKinds) {
    if (folder.hasAdapter(kind)) digests[i] = storeAdapter(QString::fromStdString(folder.adapterPath(kind)));
    ++i;
  }
  site_.store()
      .prepare(
          "INSERT INTO model_versions(base_dir, generic_digest, specialized_digest, origin, origin_detail, created_at, "
          "gate_state, gate_reason) VALUES(?, ?, ?, 'base', ?, ?, 'accepted', 'the installed base model')")
      .bind(1, base)
      .bind(2, digests[0])
      .bind(3, digests[1])
      .bind(4, "base model " + QFileInfo(baseDir).fileName().toStdString())
      .bind(5, nowUtc())
      .run();
  const int64_t id = site_.store().lastInsertId();
  site_.audit(userId_, "model version registered", 0, "v" + std::to_string(id) + " base model");
  if (!active()) activate(id, "the base model");
  return read(id);
}

ModelVersion ModelVersions::registerAdapters(const QString& genericFile, const QString& specializedFile,
                                             const std::string& origin, const std::string& originDetail) {
  if (origin != "local" && origin != "federation")
    throw ModelVersionError("a model version's origin is 'local' or 'federation', not '" + origin + "'");
  const auto current = active();
  if (!current) throw ModelVersionError("no base model is registered at this site: open a model first");
  const std::string generic = genericFile.isEmpty() ? current->genericDigest : storeAdapter(genericFile);
  const std::string specialized =
      specializedFile.isEmpty() ? current->specializedDigest : storeAdapter(specializedFile);
  site_.store()
      .prepare(
          "INSERT INTO model_versions(base_dir, generic_digest, specialized_digest, origin, origin_detail, created_at) "
          "VALUES(?, ?, ?, ?, ?, ?)")
      .bind(1, current->baseDir)
      .bind(2, generic)
      .bind(3, specialized)
      .bind(4, origin)
      .bind(5, originDetail)
      .bind(6, nowUtc())
      .run();
  const int64_t id = site_.store().lastInsertId();
  site_.audit(userId_, "model version registered", 0, "v" + std::to_string(id) + " " + originDetail);
  return read(id);
}

void ModelVersions::activate(int64_t id, const std::string& reason) {
  const ModelVersion v = read(id);
  modelDir(id);  // built before drafts are pointed at it: a version that cannot be laid out is never active
  recordActivation(id, reason);
  site_.audit(userId_, "model version switched", 0, v.label() + ": " + reason);
}

void ModelVersions::recordActivation(int64_t id, const std::string& reason) {
  auto st = site_.store().prepare("INSERT INTO model_activations(version_id, user_id, at, reason) VALUES(?, ?, ?, ?)");
  st.bind(1, id);
  if (userId_) st.bind(2, userId_);
  else st.bindNull(2);
  st.bind(3, nowUtc()).bind(4, reason).run();
}

ModelVersion ModelVersions::rollBack() {
  std::vector<int64_t> history;
  auto st = site_.store().prepare("SELECT version_id FROM model_activations ORDER BY id DESC");
  while (st.step()) history.push_back(st.int64(0));
  for (size_t i = 1; i < history.size(); ++i) {
    if (history[i] == history[0]) continue;
    const ModelVersion from = read(history[0]), to = read(history[i]);
    modelDir(to.id);
    recordActivation(to.id, "rolled back from v" + std::to_string(from.id));
    site_.audit(userId_, "model version rolled back", 0, "from " + from.label() + " to " + to.label());
    return to;
  }
  throw ModelVersionError("no earlier model version to roll back to");
}

QString ModelVersions::modelDir(int64_t id) {
  const ModelVersion v = read(id);
  const QDir base(QString::fromStdString(v.baseDir));
  const QString dir = QDir(versionsDir(site_)).filePath(base.dirName() + QStringLiteral("-v") + QString::number(id));
  if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral(".complete")))) return dir;
  // Laid out as links (the base weights are large and shared by every version), completed by a marker file
  // so that a crash half-way is laid out again.
  if (!QDir().mkpath(dir)) throw ModelVersionError(dir.toStdString() + ": cannot be created");
  for (const QFileInfo& f : base.entryInfoList(QDir::Files)) {
    if (isAdapterFile(f.fileName())) continue;
    const QString link = QDir(dir).filePath(f.fileName());
    QFile::remove(link);
    if (!QFile::link(f.absoluteFilePath(), link))
      throw ModelVersionError(link.toStdString() + ": cannot link the base model's " + f.fileName().toStdString());
  }
  const engine::ModelFolder folder(dir.toStdString());
  const std::string digests[2] = {v.genericDigest, v.specializedDigest};
  int i = 0;
  for (auto kind : engine::kAdapterKinds) {
    const QString link = QString::fromStdString(folder.adapterPath(kind));
    QFile::remove(link);
    if (!digests[i].empty()) {
      const QString stored = QDir(adapterStoreDir(site_)).filePath(QString::fromStdString(digests[i]) + ".safetensors");
      if (!QFileInfo::exists(stored)) throw ModelVersionError(stored.toStdString() + ": the stored adapter is missing");
      if (!QFile::link(stored, link)) throw ModelVersionError(link.toStdString() + ": cannot link the adapter");
    }
    ++i;
  }
  QFile marker(QDir(dir).filePath(QStringLiteral(".complete")));
  if (!marker.open(QIODevice::WriteOnly)) throw ModelVersionError(dir.toStdString() + ": cannot be completed");
  return dir;
}

QString ModelVersions::activeModelDir() {
  const auto v = active();
  return v ? modelDir(v->id) : QString();
}

GateSettings ModelVersions::gateSettings() {
  GateSettings s;
  if (auto v = setting(site_, "model_gate.margin")) s.margin = std::stod(*v);
  if (auto v = setting(site_, "model_gate.held_back_every")) s.heldBackEvery = std::stoi(*v);
  if (auto v = setting(site_, "model_gate.min_held_back")) s.minHeldBack = std::stoi(*v);
  if (auto v = setting(site_, "model_gate.accept_when_too_few")) s.acceptWhenTooFew = *v == "1";
  return s;
}

void ModelVersions::setGateSettings(const GateSettings& s) {
  if (!(s.margin >= 0 && s.margin <= 1)) throw ModelVersionError("the gate's margin must be between 0 and 1");
  if (s.heldBackEvery < 1) throw ModelVersionError("the held-back period must be 1 or more (every Nth signed report)");
  if (s.minHeldBack < 1) throw ModelVersionError("the gate's minimum number of held-back reports must be 1 or more");
  putSetting(site_, "model_gate.margin", std::to_string(s.margin));
  putSetting(site_, "model_gate.held_back_every", std::to_string(s.heldBackEvery));
  putSetting(site_, "model_gate.min_held_back", std::to_string(s.minHeldBack));
  putSetting(site_, "model_gate.accept_when_too_few", s.acceptWhenTooFew ? "1" : "0");
}

std::vector<HeldBackReport> ModelVersions::heldBackReports() {
  const GateSettings s = gateSettings();
  std::vector<HeldBackReport> out;
  auto st = site_.store().prepare(
      "SELECT r.id, r.study_id, r.findings, r.impression FROM reports r WHERE r.kind = 'report' AND r.status = 'final' "
      "AND r.version = (SELECT MAX(version) FROM reports q WHERE q.study_id = r.study_id AND q.kind = 'report') "
      "AND EXISTS (SELECT 1 FROM signoffs s WHERE s.report_id = r.id AND s.status = 'final') "
      "AND NOT EXISTS (SELECT 1 FROM training_queue q WHERE q.report_id = r.id AND q.state IN ('training', 'used')) "
      "ORDER BY r.id");
  while (st.step())
    if (isHeldBack(st.int64(0), s))
      out.push_back({st.int64(0), st.int64(1), QString(), st.text(2) + "\n\n" + st.text(3)});
  for (auto& r : out) {
    const auto images = studyImages(site_, r.studyId);
    if (!images.empty()) r.imageFile = images.front().file;
  }
  return out;
}

namespace {

std::string heldBackDigest(const std::vector<HeldBackReport>& reports) {
  QCryptographicHash h(QCryptographicHash::Sha256);
  for (const auto& r : reports) h.addData(QByteArray::number(qint64(r.reportId)) + ',');
  return h.result().toHex().toStdString();
}

}  // namespace

GateScore scoreHeldBack(const QString& modelDir, const std::vector<HeldBackReport>& reports,
                        const HeldBackDrafter& drafter) {
  static const engine::ReportLabeler labeler;
  std::vector<engine::ObservationStates> predicted, reference;
  GateScore out;
  for (const auto& r : reports) {
    std::string text;
    try {
      if (r.imageFile.isEmpty()) throw std::runtime_error("no image");
      text = drafter(modelDir, r);
    } catch (const GateStopped&) {
      throw;
    } catch (const std::exception&) {
      ++out.skipped;  // not scorable with any version: the same studies drop out of every version's score
      continue;
    }
    predicted.push_back(labeler.states(text));
    reference.push_back(labeler.states(r.text));
  }
  out.reports = int(predicted.size());
  out.ceF1 = predicted.empty() ? 0.0 : engine::clinicalEfficacy(predicted, reference).exampleBased.f1;
  return out;
}

GateScores scoreGate(const GatePlan& plan, const HeldBackDrafter& drafter) {
  GateScores out;
  if (plan.tooFew()) return out;
  out.active = plan.activeStored ? *plan.activeStored : scoreHeldBack(plan.activeDir, plan.reports, drafter);
  if (out.active->reports < plan.settings.minHeldBack) return out;  // the rest could not be drafted
  out.candidate =
      plan.candidateStored ? *plan.candidateStored : scoreHeldBack(plan.candidateDir, plan.reports, drafter);
  return out;
}

std::optional<GateScore> ModelVersions::storedScore(int64_t id, const std::string& setDigest, int heldBack) {
  auto st =
      site_.store().prepare("SELECT ce_f1, reports FROM model_version_scores WHERE version_id = ? AND heldback_digest = ?");
  st.bind(1, id).bind(2, setDigest);
  if (!st.step()) return std::nullopt;
  return GateScore{st.real(0), int(st.int64(1)), heldBack - int(st.int64(1))};
}

void ModelVersions::storeScore(int64_t id, const std::string& setDigest, const GateScore& score) {
  site_.store()
      .prepare(
          "INSERT OR REPLACE INTO model_version_scores(version_id, heldback_digest, reports, ce_f1, scored_at) "
          "VALUES(?, ?, ?, ?, ?)")
      .bind(1, id)
      .bind(2, setDigest)
      .bind(3, int64_t(score.reports))
      .bind(4, score.ceF1)
      .bind(5, nowUtc())
      .run();
}

GateScore ModelVersions::score(int64_t id, const HeldBackDrafter& drafter) {
  const auto reports = heldBackReports();
  const std::string setDigest = heldBackDigest(reports);
  if (auto stored = storedScore(id, setDigest, int(reports.size()))) return *stored;
  const GateScore out = scoreHeldBack(modelDir(id), reports, drafter ? drafter : draftServiceDrafter(site_));
  storeScore(id, setDigest, out);
  return out;
}

GatePlan ModelVersions::planGate(int64_t id) {
  const ModelVersion candidate = read(id);
  const auto current = active();
  if (!current) throw ModelVersionError("no active model version to compare v" + std::to_string(id) + " with");
  if (current->id == id) throw ModelVersionError(candidate.label() + " is already the active version");
  GatePlan p;
  p.candidate = id;
  p.active = current->id;
  p.candidateLabel = candidate.label();
  p.activeLabel = current->label();
  p.candidateDir = modelDir(id);
  p.activeDir = modelDir(current->id);
  p.settings = gateSettings();
  p.reports = heldBackReports();
  p.setDigest = heldBackDigest(p.reports);
  p.activeStored = storedScore(p.active, p.setDigest, int(p.reports.size()));
  p.candidateStored = storedScore(id, p.setDigest, int(p.reports.size()));
  return p;
}

GateDecision ModelVersions::decideGate(const GatePlan& plan, const GateScores& scores) {
  if (scores.active && !plan.activeStored) storeScore(plan.active, plan.setDigest, *scores.active);
  if (scores.candidate && !plan.candidateStored) storeScore(plan.candidate, plan.setDigest, *scores.candidate);
  const GateSettings& s = plan.settings;
  GateDecision d;
  d.heldBack = scores.active ? scores.active->reports : int(plan.reports.size());
  if (!scores.candidate) {
    d.accepted = s.acceptWhenTooFew;
    d.reason = "not checked: only " + std::to_string(d.heldBack) +
               (d.heldBack == 1 ? " held-back signed report" : " held-back signed reports") + ", fewer than " +
               std::to_string(s.minHeldBack) + "; " +
               (s.acceptWhenTooFew ? std::string("accepted by the site's policy")
                                   : std::string("the active version ") + plan.activeLabel +
                                         " stays (an administrator may switch by hand)");
  } else {
    d.activeScore = scores.active->ceF1;
    d.candidateScore = scores.candidate->ceF1;
    const double drop = scores.active->ceF1 - scores.candidate->ceF1;
    d.accepted = drop <= s.margin + 1e-12;
    d.reason = std::string(d.accepted ? "accepted" : "refused") + ": CE-F1 " + score3(scores.candidate->ceF1) +
               " on " + std::to_string(scores.candidate->reports) + " held-back signed reports against " +
               score3(scores.active->ceF1) + " for the active " + plan.activeLabel +
               (d.accepted ? " (within the margin " + score3(s.margin) + ")"
                           : ", lower by " + score3(drop) + ", more than the margin " + score3(s.margin));
  }
  const auto current = active();
  const bool switchedMeanwhile = !current || current->id != plan.active;
  if (d.accepted && switchedMeanwhile)
    d.reason += "; not made active: the active version was changed while the gate ran";
  site_.store()
      .prepare("UPDATE model_versions SET gate_state = ?, gate_reason = ? WHERE id = ?")
      .bind(1, d.accepted ? "accepted" : "refused")
      .bind(2, d.reason)
      .bind(3, plan.candidate)
      .run();
  site_.audit(userId_, "model version gate", 0, plan.candidateLabel + " " + d.reason);
  if (d.accepted && !switchedMeanwhile) activate(plan.candidate, "quality gate: " + d.reason);
  return d;
}

GateDecision ModelVersions::gate(int64_t id, const HeldBackDrafter& drafter) {
  const GatePlan plan = planGate(id);
  return decideGate(plan, scoreGate(plan, drafter ? drafter : draftServiceDrafter(site_)));
}

QString draftingModelDir(Site& site, const QString& chosenDir) {
  const std::string chosen = QFileInfo(chosenDir).absoluteFilePath().toStdString();
  if (!engine::ModelFolder(chosen).problem().empty()) return chosenDir;
  try {
    ModelVersions versions(site, 0);
    versions.ensureBase(chosenDir);
    const auto active = versions.active();
    return active && active->baseDir == chosen ? versions.modelDir(active->id) : chosenDir;
  } catch (const std::exception&) {
    return chosenDir;  // a version that cannot be laid out: draft with the chosen folder as it is
  }
}

HeldBackDrafter draftServiceDrafter(Site& site) { return draftServiceDrafter(site.vault(), nullptr, nullptr); }

HeldBackDrafter draftServiceDrafter(std::shared_ptr<const ImageVault> vault, const std::atomic<bool>* stop,
                                    std::shared_ptr<DraftActivity> yieldTo) {
  // One service per model folder, so that each version's model loads once for the whole held-back set.
  auto services = std::make_shared<std::map<QString, std::shared_ptr<DraftService>>>();
  auto never = std::make_shared<const std::atomic<bool>>(false);
  return [services, vault, stop, yieldTo, never](const QString& modelDir, const HeldBackReport& r) {
    const std::atomic<bool>& cancel = stop ? *stop : *never;
    if (yieldTo) yieldTo->waitWhileActive(cancel);  // the radiologist's draft first
    if (cancel) throw GateStopped();
    auto& service = (*services)[modelDir];
    if (!service) service = makeDraftService(modelDir, vault);
    DraftedReport out;
    if (!service->generate(r.imageFile, out, {}, cancel)) throw GateStopped();
    return out.findings + "\n\n" + out.impression;
  };
}

}  // namespace fedmrg::app

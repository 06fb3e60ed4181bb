#pragma once
// The site's model versions (docs/workstation.md, "Model versions"): the base model and each adapter version
// (generic and specialized LoRA files kept under the site folder by content digest) with its origin, date and
// held-back scores; which version drafts; switching and rolling back (audit-logged); and the quality gate that
// scores a candidate generic adapter on the site's held-back signed reports before drafts use it.
//
// Drafting reads an ordinary model folder: activeModelDir() builds <site>/model-versions/<name>-v<id>/ with links
// to the base folder's files and to the version's stored adapters, so the engine needs no notion of versions.
#include <QString>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::app {

class DraftActivity;
class ImageVault;
class Site;

class ModelVersionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class GateState { Pending, Accepted, Refused };
const char* gateStateName(GateState s);  // "pending", "accepted", "refused"

struct ModelVersion {
  int64_t id = 0;
  std::string baseDir;
  std::string genericDigest, specializedDigest;  // hex SHA-256 of the stored adapter; empty: none
  std::string origin;                            // "base", "local", "federation"
  std::string originDetail;                      // "local training, run <run id>", "federation round 7, global version 7"
  std::string createdAt;
  GateState gate = GateState::Pending;
  std::string gateReason;
  std::optional<double> ceF1;  // the latest held-back score, when scored
  int scoredReports = 0;
  // "v3 (federation round 7, global version 7)"
  std::string label() const;
};

// The quality gate's settings, kept in the site's settings table (keys "model_gate.*").
struct GateSettings {
  double margin = 0.02;   // refuse a candidate whose CE-F1 is lower than the active one's by more than this
  int heldBackEvery = 5;  // a signed final report is held back when its report id is a multiple of this
  int minHeldBack = 20;   // fewer held-back reports than this: the gate cannot judge, see `whenTooFew`
  // What the gate does with too few held-back reports: false (the default) keeps the active version and says
  // why (an administrator may still switch by hand); true accepts the candidate, marked as not checked.
  bool acceptWhenTooFew = false;
};

// One held-back signed report: the study's first image and the signed text.
struct HeldBackReport {
  int64_t reportId = 0, studyId = 0;
  QString imageFile;
  std::string text;  // findings and impression as signed
};

// The outcome of scoring a version on the held-back set.
struct GateScore {
  double ceF1 = 0;
  int reports = 0;  // drafted and scored
  int skipped = 0;  // held back but not scorable (no image, not a chest radiograph)
};

// The outcome of the gate for one candidate.
struct GateDecision {
  bool accepted = false;
  std::string reason;  // always set: the scores and the margin, or why the gate could not judge
  std::optional<double> candidateScore, activeScore;
  int heldBack = 0;
};

// Thrown by a drafter to end the gate without a decision (the program is closing): unlike any other exception,
// which skips the one study, it leaves the candidate pending.
class GateStopped : public std::runtime_error {
 public:
  GateStopped() : std::runtime_error("the quality gate was stopped") {}
};

// Drafts one held-back study with the model folder `modelDir` and returns the report text (findings and
// impression); throws to skip the study (e.g. NotChestRadiographError). The default drafts with DraftService;
// tests give the same, and the background trainer may give one that reuses its loaded generator.
using HeldBackDrafter = std::function<std::string(const QString& modelDir, const HeldBackReport& report)>;

// The gate's work in three parts, so that the drafting (minutes on a laptop) can run off the thread that owns
// the store (the background trainer gates each run's version on its worker): planGate() and decideGate() read
// and write the store, scoreGate() only drafts and scores.
struct GatePlan {
  int64_t candidate = 0, active = 0;
  std::string candidateLabel, activeLabel;
  QString candidateDir, activeDir;  // the versions' model folders, laid out
  GateSettings settings;
  std::vector<HeldBackReport> reports;
  std::string setDigest;  // names the held-back set: a stored score is reused only for the same set
  std::optional<GateScore> candidateStored, activeStored;
  // Fewer held-back reports than the minimum: nothing to draft, the decision follows the settings' policy.
  bool tooFew() const { return int(reports.size()) < settings.minHeldBack; }
};
struct GateScores {
  std::optional<GateScore> candidate, active;  // none: not scored (too few reports)
};

// Drafts the held-back reports with `modelDir` and scores the drafts against the signed texts (CE-F1). Touches
// no store: any thread.
GateScore scoreHeldBack(const QString& modelDir, const std::vector<HeldBackReport>& reports,
                        const HeldBackDrafter& drafter);
// The plan's missing scores: the active version's, then (when it scored enough reports) the candidate's.
GateScores scoreGate(const GatePlan& plan, const HeldBackDrafter& drafter);

class ModelVersions {
 public:
  // `userId` is who acts (0: the system, e.g. the federation loop registering a round's version).
  ModelVersions(Site& site, int64_t userId);

  // The base model: the version of `baseDir` as installed (with the adapters its folder ships, if any). Made on
  // first call, and made active when nothing is active yet. Throws ModelVersionError naming the folder.
  ModelVersion ensureBase(const QString& baseDir);

  // Registers adapter files (either may be empty: the active version's adapter of that kind is kept) as a new
  // version on the active version's base, copying them into the site folder by digest. Pending until the gate
  // (or an administrator's switch) decides. Throws ModelVersionError naming the file.
  ModelVersion registerAdapters(const QString& genericFile, const QString& specializedFile, const std::string& origin,
                                const std::string& originDetail);

  std::vector<ModelVersion> list();  // oldest first, with their latest scores
  std::optional<ModelVersion> find(int64_t id);
  std::optional<ModelVersion> active();

  // Makes `id` the drafting version (audit "model version switched"); `reason` is kept with the switch.
  void activate(int64_t id, const std::string& reason);
  // Returns to the version active before the current one (audit "model version rolled back"). Throws when there
  // is nothing to roll back to.
  ModelVersion rollBack();

  // The model folder that drafts use: the active version's, built when missing. Empty when no version exists.
  QString activeModelDir();
  // The folder of version `id` (built when missing).
  QString modelDir(int64_t id);

  // The held-back set: signed final reports (the newest final version of each study) whose report id is a
  // multiple of settings.heldBackEvery, by id. The background trainer must skip these (isHeldBack).
  // Reports that a training run has claimed or used are never in it, even after heldBackEvery changed.
  std::vector<HeldBackReport> heldBackReports();
  static bool isHeldBack(int64_t reportId, const GateSettings& settings) {
    return settings.heldBackEvery > 0 && reportId % settings.heldBackEvery == 0;
  }

  GateSettings gateSettings();
  void setGateSettings(const GateSettings& settings);  // throws ModelVersionError on a value out of range

  // Scores version `id` on the held-back set (reusing a stored score for the same set) with CE-F1: the labeler's
  // observations of each draft against those of the signed text, example-based F1.
  GateScore score(int64_t id, const HeldBackDrafter& drafter = {});

  // The quality gate for candidate `id`: scores it and the active version; accepts and activates it when its
  // CE-F1 is not lower than the active one's by more than the margin, refuses it otherwise. The decision and its
  // reason are stored with the version (and audited).
  GateDecision gate(int64_t id, const HeldBackDrafter& drafter = {});
  // gate() in parts (GatePlan). decideGate() activates the candidate only while the plan's active version is
  // still the active one: an administrator's switch made meanwhile is kept.
  GatePlan planGate(int64_t id);
  GateDecision decideGate(const GatePlan& plan, const GateScores& scores);

 private:
  ModelVersion read(int64_t id);
  std::string storeAdapter(const QString& file);
  void storeScore(int64_t id, const std::string& setDigest, const GateScore& score);
  std::optional<GateScore> storedScore(int64_t id, const std::string& setDigest, int heldBack);
  void recordActivation(int64_t id, const std::string& reason);
  Site& site_;
  int64_t userId_;
};

// The folder drafts use when the workstation chose `chosenDir` (model_location.h): the active version's folder
// when its base is `chosenDir` (registering `chosenDir` as the base model on first use), else `chosenDir` itself
// (another base than the versions were made on, or no usable model there: the draft service says why).
QString draftingModelDir(Site& site, const QString& chosenDir);

// The default drafter: DraftService on the site's image vault.
HeldBackDrafter draftServiceDrafter(Site& site);
// The same on `vault`, for a gate off the store's thread: with `stop`, a set flag ends the gate (GateStopped);
// with `yieldTo`, each study waits while a radiologist's draft runs there.
HeldBackDrafter draftServiceDrafter(std::shared_ptr<const ImageVault> vault, const std::atomic<bool>* stop,
                                    std::shared_ptr<DraftActivity> yieldTo);

}  // namespace fedmrg::app

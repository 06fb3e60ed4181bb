// The in-memory backend of CoordinatorState: the reference behaviour the durable backends must match
// (tests/coordinator run one conformance suite over every backend).
#include <algorithm>
#include <map>
#include <mutex>

#include "coordinator/coordinator_state.h"

namespace fedmrg::coordinator {

const char* roundPhaseName(RoundPhase p) {
  switch (p) {
    case RoundPhase::Open: return "open";
    case RoundPhase::Aggregating: return "aggregating";
    case RoundPhase::Closed: return "closed";
    case RoundPhase::Failed: return "failed";
  }
  return "open";
}

std::optional<RoundPhase> parseRoundPhase(const std::string& name) {
  for (RoundPhase p : {RoundPhase::Open, RoundPhase::Aggregating, RoundPhase::Closed, RoundPhase::Failed})
    if (name == roundPhaseName(p)) return p;
  return std::nullopt;
}

namespace {

class MemoryState : public CoordinatorState {
 public:
  std::string describe() const override { return "memory"; }

  void putSite(const SiteRecord& site) override {
    std::lock_guard lock(mutex_);
    sites_[site.siteId] = site;
  }
  std::optional<SiteRecord> site(const std::string& siteId) override {
    std::lock_guard lock(mutex_);
    const auto it = sites_.find(siteId);
    return it == sites_.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<SiteRecord> sites() override {
    std::lock_guard lock(mutex_);
    std::vector<SiteRecord> out;
    for (const auto& [id, s] : sites_) out.push_back(s);
    return out;
  }

  void putRound(const RoundRecord& round) override {
    std::lock_guard lock(mutex_);
    rounds_[round.round] = round;
  }
  std::optional<RoundRecord> round(uint64_t round) override {
    std::lock_guard lock(mutex_);
    const auto it = rounds_.find(round);
    return it == rounds_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<RoundRecord> latestRound() override {
    std::lock_guard lock(mutex_);
    return rounds_.empty() ? std::nullopt : std::optional(rounds_.rbegin()->second);
  }

  bool recordUpload(const UploadRecord& upload) override {
    std::lock_guard lock(mutex_);
    for (const auto& u : uploads_)
      if ((u.round == upload.round && u.siteId == upload.siteId) || u.idempotencyKey == upload.idempotencyKey)
        return false;
    uploads_.push_back(upload);
    return true;
  }
  std::optional<UploadRecord> uploadByKey(const std::string& key) override {
    std::lock_guard lock(mutex_);
    for (const auto& u : uploads_)
      if (u.idempotencyKey == key) return u;
    return std::nullopt;
  }
  std::vector<UploadRecord> uploads(uint64_t round) override {
    std::lock_guard lock(mutex_);
    std::vector<UploadRecord> out;
    for (const auto& u : uploads_)
      if (u.round == round) out.push_back(u);
    std::stable_sort(out.begin(), out.end(), [](const UploadRecord& a, const UploadRecord& b) {
      return a.receivedAtMs != b.receivedAtMs ? a.receivedAtMs < b.receivedAtMs : a.siteId < b.siteId;
    });
    return out;
  }

  void publishGlobal(const GlobalVersion& version, const RoundRecord& closedRound) override {
    std::lock_guard lock(mutex_);
    if (globals_.count(version.version))
      throw StateError("memory: global version " + std::to_string(version.version) + " is already published");
    globals_[version.version] = version;
    RoundRecord closed = closedRound;
    closed.phase = RoundPhase::Closed;
    rounds_[closed.round] = closed;
  }
  std::optional<GlobalVersion> latestGlobal() override {
    std::lock_guard lock(mutex_);
    return globals_.empty() ? std::nullopt : std::optional(globals_.rbegin()->second);
  }
  std::optional<GlobalVersion> global(uint64_t version) override {
    std::lock_guard lock(mutex_);
    const auto it = globals_.find(version);
    return it == globals_.end() ? std::nullopt : std::optional(it->second);
  }

  void putValue(const std::string& key, const std::string& value) override {
    std::lock_guard lock(mutex_);
    values_[key] = value;
  }
  std::optional<std::string> value(const std::string& key) override {
    std::lock_guard lock(mutex_);
    const auto it = values_.find(key);
    return it == values_.end() ? std::nullopt : std::optional(it->second);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, SiteRecord> sites_;
  std::map<uint64_t, RoundRecord> rounds_;
  std::vector<UploadRecord> uploads_;
  std::map<uint64_t, GlobalVersion> globals_;
  std::map<std::string, std::string> values_;
};

}  // namespace

std::unique_ptr<CoordinatorState> openMemoryState() { return std::make_unique<MemoryState>(); }

}  // namespace fedmrg::coordinator

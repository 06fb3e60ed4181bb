#include "coordinator/round_journal_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace fedmrg::coordinator {

namespace {

enum Kind : uint8_t { kSite = 1, kRound = 2, kUpload = 3, kPublish = 4, kValue = 5 };

struct Writer {
  std::string b;
  void u64(uint64_t v) { b.append(reinterpret_cast<const char*>(&v), 8); }
  void str(const std::string& s) {
    u64(s.size());
    b += s;
  }
};

struct Reader {
  const std::string& b;
  size_t off = 0;
  uint64_t u64() {
    if (b.size() - off < 8) throw StateError("journal record too short");
    uint64_t v;
    std::memcpy(&v, b.data() + off, 8);
    off += 8;
    return v;
  }
  std::string str() {
    const uint64_t n = u64();
    if (b.size() - off < n) throw StateError("journal record too short");
    std::string s = b.substr(off, n);
    off += n;
    return s;
  }
};

void putRoundRec(Writer& w, const RoundRecord& r) {
  w.u64(r.round);
  w.u64(uint64_t(r.phase));
  w.u64(r.baseVersion);
  w.u64(uint64_t(r.openedAtMs));
  w.u64(uint64_t(r.deadlineMs));
  w.str(r.task);
  w.str(r.note);
}

RoundRecord getRoundRec(Reader& r) {
  RoundRecord x;
  x.round = r.u64();
  x.phase = RoundPhase(r.u64());
  x.baseVersion = r.u64();
  x.openedAtMs = int64_t(r.u64());
  x.deadlineMs = int64_t(r.u64());
  x.task = r.str();
  x.note = r.str();
  return x;
}

class JournalState final : public CoordinatorState {
 public:
  explicit JournalState(std::string path) : path_(std::move(path)), mem_(openMemoryState()) {
    replay();
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) throw StateError("journal:" + path_ + ": cannot open for writing");
  }
  ~JournalState() override {
    if (fd_ >= 0) ::close(fd_);
  }
  std::string describe() const override { return "journal:" + path_; }

  void putSite(const SiteRecord& s) override {
    Writer w;
    w.str(s.siteId);
    w.str(s.certFingerprint);
    w.u64(s.revoked);
    w.u64(uint64_t(s.joinedAtMs));
    w.u64(uint64_t(s.lastSeenMs));
    append(kSite, w);
    mem_->putSite(s);
  }
  std::optional<SiteRecord> site(const std::string& id) override { return mem_->site(id); }
  std::vector<SiteRecord> sites() override { return mem_->sites(); }
  void putRound(const RoundRecord& r) override {
    Writer w;
    putRoundRec(w, r);
    append(kRound, w);
    mem_->putRound(r);
  }
  std::optional<RoundRecord> round(uint64_t r) override { return mem_->round(r); }
  std::optional<RoundRecord> latestRound() override { return mem_->latestRound(); }
  bool recordUpload(const UploadRecord& u) override {
    if (!mem_->recordUpload(u)) return false;
    Writer w;
    w.u64(u.round);
    w.str(u.siteId);
    w.str(u.idempotencyKey);
    w.str(u.blobDigest);
    w.u64(u.sampleCount);
    w.u64(u.wireBytes);
    w.u64(uint64_t(u.receivedAtMs));
    append(kUpload, w);
    return true;
  }
  std::optional<UploadRecord> uploadByKey(const std::string& k) override { return mem_->uploadByKey(k); }
  std::vector<UploadRecord> uploads(uint64_t r) override { return mem_->uploads(r); }
  void publishGlobal(const GlobalVersion& g, const RoundRecord& closed) override {
    Writer w;
    w.u64(g.version);
    w.u64(g.round);
    w.str(g.digestHex);
    w.str(g.blobDigest);
    w.u64(uint64_t(g.createdAtMs));
    putRoundRec(w, closed);
    append(kPublish, w);
    mem_->publishGlobal(g, closed);
  }
  std::optional<GlobalVersion> latestGlobal() override { return mem_->latestGlobal(); }
  std::optional<GlobalVersion> global(uint64_t v) override { return mem_->global(v); }
  void putValue(const std::string& k, const std::string& v) override {
    Writer w;
    w.str(k);
    w.str(v);
    append(kValue, w);
    mem_->putValue(k, v);
  }
  std::optional<std::string> value(const std::string& k) override { return mem_->value(k); }

 private:
  // One record: kind, body length, body; written with one write() and flushed before returning.
  void append(Kind kind, const Writer& body) {
    Writer rec;
    rec.b.push_back(char(kind));
    rec.str(body.b);
    if (::write(fd_, rec.b.data(), rec.b.size()) != ssize_t(rec.b.size()) || ::fdatasync(fd_) != 0)
      throw StateError("journal:" + path_ + ": cannot write (disk full?)");
  }

  void replay() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return;
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string all = ss.str();
    Reader top{all};
    while (all.size() - top.off >= 9) {
      const Kind kind = Kind(all[top.off++]);
      std::string body;
      try {
        body = top.str();
      } catch (const StateError&) {
        break;  // the torn last record of a SIGKILL
      }
      Reader r{body};
      switch (kind) {
        case kSite: {
          SiteRecord s;
          s.siteId = r.str();
          s.certFingerprint = r.str();
          s.revoked = r.u64() != 0;
          s.joinedAtMs = int64_t(r.u64());
          s.lastSeenMs = int64_t(r.u64());
          mem_->putSite(s);
          break;
        }
        case kRound: mem_->putRound(getRoundRec(r)); break;
        case kUpload: {
          UploadRecord u;
          u.round = r.u64();
          u.siteId = r.str();
          u.idempotencyKey = r.str();
          u.blobDigest = r.str();
          u.sampleCount = r.u64();
          u.wireBytes = r.u64();
          u.receivedAtMs = int64_t(r.u64());
          mem_->recordUpload(u);
          break;
        }
        case kPublish: {
          GlobalVersion g;
          g.version = r.u64();
          g.round = r.u64();
          g.digestHex = r.str();
          g.blobDigest = r.str();
          g.createdAtMs = int64_t(r.u64());
          mem_->publishGlobal(g, getRoundRec(r));
          break;
        }
        case kValue: {
          const std::string k = r.str();
          mem_->putValue(k, r.str());
          break;
        }
        default: throw StateError("journal:" + path_ + ": an unknown record kind (damaged file)");
      }
    }
  }

  std::string path_;
  std::unique_ptr<CoordinatorState> mem_;
  int fd_ = -1;
};

}  // namespace

std::unique_ptr<CoordinatorState> openJournalState(const std::string& path) {
  return std::make_unique<JournalState>(path);
}

}  // namespace fedmrg::coordinator

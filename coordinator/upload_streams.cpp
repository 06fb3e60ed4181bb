#include "coordinator/upload_streams.h"

#include <sstream>

namespace fedmrg::coordinator {

UploadStreams::UploadStreams(UploadLimits limits, uint64_t largestUpload)
    : limits_(limits), bytesPerRound_(limits.siteBytesPerRound ? limits.siteBytesPerRound : 4 * largestUpload) {}

uint64_t UploadStreams::open(const std::string& siteId, uint64_t round, int64_t nowMs, std::function<void()> cancel,
                             std::string& refusal) {
  std::lock_guard lock(mutex_);
  SiteRound& s = sites_[siteId];
  if (s.round != round) {
    // A new round: the quotas start again; the streams still open keep counting against the site.
    s.round = round;
    s.bytes = 0;
    s.attempts = 0;
  }
  if (s.open >= limits_.streamsPerSite) {
    refusal = "quota max_streams_per_site: this site already has " + std::to_string(s.open) +
              " uploads streaming (at most " + std::to_string(limits_.streamsPerSite) + " at once); retry later";
    return 0;
  }
  if (s.attempts >= limits_.siteAttemptsPerRound) {
    refusal = "quota site_upload_attempts_per_round: this site opened " + std::to_string(s.attempts) +
              " uploads in round " + std::to_string(round) + " (at most " +
              std::to_string(limits_.siteAttemptsPerRound) + ")";
    return 0;
  }
  if (s.bytes >= bytesPerRound_) {
    refusal = "quota site_upload_bytes_per_round: this site already sent " + std::to_string(s.bytes) +
              " bytes in round " + std::to_string(round) + " (at most " + std::to_string(bytesPerRound_) + ")";
    return 0;
  }
  ++s.attempts;
  ++s.open;
  const uint64_t id = next_++;
  streams_[id] = Stream{siteId, nowMs, std::move(cancel), false};
  return id;
}

bool UploadStreams::received(uint64_t id, uint64_t bytes, int64_t nowMs, std::string& refusal) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(id);
  if (it == streams_.end()) return false;
  it->second.lastMs = nowMs;
  SiteRound& s = sites_[it->second.siteId];
  s.bytes += bytes;
  if (s.bytes <= bytesPerRound_) return true;
  refusal = "quota site_upload_bytes_per_round: this site sent more than " + std::to_string(bytesPerRound_) +
            " bytes in round " + std::to_string(s.round);
  return false;
}

bool UploadStreams::idleCancelled(uint64_t id, std::string& reason) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(id);
  if (it == streams_.end() || !it->second.idle) return false;
  std::ostringstream s;
  s << "the upload sent nothing for " << double(limits_.idleTimeoutMs) / 1000.0
    << " s (stream_idle_seconds) and was dropped";
  reason = s.str();
  return true;
}

void UploadStreams::readDone(uint64_t id) {
  std::lock_guard lock(mutex_);
  if (auto it = streams_.find(id); it != streams_.end()) it->second.reading = false;
}

void UploadStreams::close(uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  --sites_[it->second.siteId].open;
  streams_.erase(it);
}

int UploadStreams::cancelIdle(int64_t nowMs) {
  std::lock_guard lock(mutex_);
  int n = 0;
  // Under the lock: close() takes it too, so a stream's cancel action never outlives the call it cancels.
  for (auto& [id, s] : streams_)
    if (s.reading && !s.idle && nowMs - s.lastMs > limits_.idleTimeoutMs) {
      s.idle = true;
      if (s.cancel) s.cancel();
      ++n;
    }
  return n;
}

}  // namespace fedmrg::coordinator

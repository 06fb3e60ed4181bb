#pragma once
// Per-site accounting of UploadUpdate streams (docs/federation.md, "Quotas and stream limits"): how many
// streams a site has open, how many it opened and how many wire bytes it sent in the current round, and
// when each stream last received something. Free of gRPC: the service opens a stream here before it reads,
// counts each chunk, and its timer calls cancelIdle(), which runs the cancel action the stream gave (the
// service's is ServerContext::TryCancel, which ends the blocked read).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "coordinator/coordinator_config.h"

namespace fedmrg::coordinator {

class UploadStreams {
 public:
  // `largestUpload`: the model's largest valid upload, from which a zero byte quota takes its default.
  UploadStreams(UploadLimits limits, uint64_t largestUpload);

  // Opens a stream of `siteId` in `round`: its id (> 0), or 0 with `refusal` naming the quota it would pass.
  uint64_t open(const std::string& siteId, uint64_t round, int64_t nowMs, std::function<void()> cancel,
                std::string& refusal);
  // Counts `bytes` more received on stream `id`; false with `refusal` once the site's bytes in the round
  // pass its quota.
  bool received(uint64_t id, uint64_t bytes, int64_t nowMs, std::string& refusal);
  // Whether cancelIdle() cancelled stream `id`, and the reason to answer with.
  bool idleCancelled(uint64_t id, std::string& reason);
  // The stream has ended (everything read): no longer watched for idleness while its upload is checked.
  void readDone(uint64_t id);
  void close(uint64_t id);
  // Cancels every stream that received nothing for longer than the idle timeout; returns how many.
  int cancelIdle(int64_t nowMs);

  uint64_t siteBytesPerRound() const { return bytesPerRound_; }

 private:
  struct Stream {
    std::string siteId;
    int64_t lastMs = 0;
    std::function<void()> cancel;
    bool idle = false;
    bool reading = true;
  };
  struct SiteRound {
    uint64_t round = 0;
    uint64_t bytes = 0;
    int attempts = 0;
    int open = 0;
  };
  UploadLimits limits_;
  uint64_t bytesPerRound_;
  std::mutex mutex_;
  uint64_t next_ = 1;
  std::map<uint64_t, Stream> streams_;
  std::map<std::string, SiteRound> sites_;  // one entry per site that ever uploaded: bounded by the registry
};

}  // namespace fedmrg::coordinator

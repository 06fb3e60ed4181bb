#pragma once
// A federation run inside one process (the FL benchmark's default transport): each round, every site's
// change goes through the same code the gRPC path runs (GlobalModel's encoding with error feedback, the
// payload streamed into chunks and reassembled, decoded, aggregated by RoundAggregator, the aggregate
// encoded as the broadcast and applied), without sockets. Byte counts are the serialized chunk messages'
// sizes (wirePayloadBytes), as both ends of the wire count them.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "federation/error_feedback.h"
#include "federation/global_model.h"
#include "federation/round_aggregator.h"

namespace fedmrg::federation {

struct InProcessRound {
  std::vector<uint64_t> upBytes;               // per site: its upload's bytes on the wire
  uint64_t broadcastBytes = 0;                 // the broadcast each site downloads
  std::map<std::string, std::string> refused;  // site -> reason (the round goes on without it)
  Payload broadcast;                           // as applied: replay() rebuilds the global model from these
};

class InProcessFederation {
 public:
  // siteIds: the sites in the order of round()'s changes.
  InProcessFederation(std::vector<FederatedTensorSpec> specs, CodecPlan plan, AggregationSettings aggregation,
                      std::vector<std::string> siteIds);

  const GlobalModel& global() const { return global_; }
  // One round (number global().version() + 1): changes[s] is site s's change of every federated tensor since
  // global().tensors() (rows x cols), weights[s] its sample count. The stochastic rounding follows the seeds of
  // round_seeds.h from the plan's seed, as the coordinator and the site processes do. Throws std::runtime_error
  // when no upload was accepted.
  InProcessRound round(const std::vector<std::map<std::string, Matrix>>& changes, const std::vector<double>& weights);

  // Resuming an interrupted run: the global model is rebuilt by applying the rounds' broadcasts in order (as the
  // coordinator does after a restart), and each site's error-feedback residuals are put back.
  void replay(const Payload& broadcast) { global_.apply(broadcast); }
  const ErrorFeedback& feedback(size_t site) const { return feedback_.at(site); }
  void restoreFeedback(size_t site, ErrorFeedback residuals) { feedback_.at(site) = std::move(residuals); }

 private:
  GlobalModel global_;
  AggregationSettings aggregation_;
  std::vector<std::string> siteIds_;
  std::vector<ErrorFeedback> feedback_;  // each site's residuals, kept at the site
};

// Every byte of a payload of dense fp32 frames of these tensors, e.g. the site prototypes FedMRG shares.
uint64_t denseWireBytes(const std::string& siteId, const std::map<std::string, std::vector<float>>& vectors);

}  // namespace fedmrg::federation

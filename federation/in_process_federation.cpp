#include "federation/in_process_federation.h"

#include <stdexcept>

#include "federation/payload_stream.h"
#include "federation/round_seeds.h"
#include "fedmrg/federation/v1/federation.pb.h"

namespace fedmrg::federation {
namespace {

// The payload as the receiver gets it: streamed into chunk messages and reassembled, digest checked.
Payload overTheWire(const Payload& p) {
  PayloadAssembler assembler(uint64_t(1) << 33);
  std::string why;
  streamPayload(p, kDefaultChunkBytes, [&](const v1::PayloadChunk& c) {
    if (assembler.add(c)) return true;
    why = assembler.error();
    return false;
  });
  if (why.empty() && !assembler.finish()) why = assembler.error();
  if (!why.empty()) throw std::runtime_error("in-process federation: a payload did not survive the wire: " + why);
  return assembler.take();
}

}  // namespace

InProcessFederation::InProcessFederation(std::vector<FederatedTensorSpec> specs, CodecPlan plan,
                                         AggregationSettings aggregation, std::vector<std::string> siteIds)
    : global_(std::move(specs), plan),
      aggregation_(aggregation),
      siteIds_(std::move(siteIds)),
      feedback_(siteIds_.size()) {}

InProcessRound InProcessFederation::round(const std::vector<std::map<std::string, Matrix>>& changes,
                                          const std::vector<double>& weights) {
  if (changes.size() != siteIds_.size() || weights.size() != siteIds_.size())
    throw std::invalid_argument("in-process federation: one change and one weight per site");
  InProcessRound out;
  const uint64_t round = global_.version() + 1, seed = global_.plan().seed;
  RoundAggregator aggregator(global_.aggregateShapes(), aggregation_);
  for (size_t s = 0; s < siteIds_.size(); ++s) {
    Payload upload = global_.encodeChange(changes[s], feedback_[s], uploadRoundingSeed(seed, round, siteIds_[s]));
    upload.siteId = siteIds_[s];
    upload.round = round;
    upload.sampleCount = uint64_t(weights[s]);
    out.upBytes.push_back(wirePayloadBytes(upload, kDefaultChunkBytes));
    std::map<std::string, Matrix> decoded;
    std::string why = global_.decodeUpdate(overTheWire(upload), decoded);
    if (why.empty()) why = aggregator.add(siteIds_[s], decoded, weights[s]);
    if (!why.empty()) out.refused[siteIds_[s]] = why;
  }
  AggregationResult result = aggregator.finish();
  for (const auto& [site, why] : result.refused) out.refused[site] = why;
  // Error feedback: an accepted upload commits its residual; a refused one keeps its whole change for next time.
  for (size_t s = 0; s < siteIds_.size(); ++s) {
    if (out.refused.count(siteIds_[s])) feedback_[s].rollback();
    else feedback_[s].commit();
  }
  if (result.accepted == 0) throw std::runtime_error("in-process federation: no upload was accepted this round");
  Payload broadcast = global_.encodeAggregate(result.aggregate, broadcastRoundingSeed(seed, round));
  broadcast.siteId = "coordinator";
  broadcast.round = round;
  broadcast.sampleCount = uint64_t(result.totalWeight);
  out.broadcastBytes = wirePayloadBytes(broadcast, kDefaultChunkBytes);
  out.broadcast = overTheWire(broadcast);
  global_.apply(out.broadcast);
  return out;
}

uint64_t denseWireBytes(const std::string& siteId, const std::map<std::string, std::vector<float>>& vectors) {
  Payload p;
  p.siteId = siteId;
  CodecSettings dense;
  for (const auto& [name, v] : vectors) p.tensors.push_back(encodeDense(name, {int64_t(v.size())}, v, dense));
  return wirePayloadBytes(p, kDefaultChunkBytes);
}

}  // namespace fedmrg::federation

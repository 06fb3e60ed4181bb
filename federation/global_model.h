#pragma once
// The federated tensors as both ends of a round hold them (docs/federation.md, "Rounds"): the accumulated
// global change since the base model, the shared low-rank bases of the current version, and the rules that
// turn a site's change into an upload, an upload into an update the aggregator takes, and an aggregate into
// the broadcast of the next version. The coordinator and every site run this same code on the same
// broadcast bytes, so they end on the same tensors and the same bases (digests prove it).
//
// Basis chain: the broadcast of version v is encoded on the bases of version v - 1. Version 0 (and every
// multiple of refreshEvery) starts from seeded bases of its epoch; otherwise version v's basis is one
// power-iteration step from version v - 1's broadcast factor (lowrank_basis.h, nextBasis).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "federation/error_feedback.h"
#include "federation/lowrank_basis.h"
#include "federation/payload.h"
#include "federation/tensor_codec.h"

namespace fedmrg::federation {

struct FederatedTensorSpec {
  std::string name;
  std::vector<int64_t> shape;
  int64_t rows() const { return shape.size() >= 2 ? shape[0] : 1; }
  int64_t cols() const;
};

struct CodecPlan {
  bool lowRank = false;    // FedMRG; FedAvg, FedProx and FedAvg-LoRA send dense fp32
  CodecSettings settings;  // rank, int8, zstd
  uint64_t seed = 1;       // the consortium's basis seed
  uint32_t refreshEvery = 10;
};

class GlobalModel {
 public:
  GlobalModel(std::vector<FederatedTensorSpec> specs, CodecPlan plan);

  uint64_t version() const { return version_; }
  const std::vector<FederatedTensorSpec>& specs() const { return specs_; }
  const CodecPlan& plan() const { return plan_; }
  // The accumulated global change of each tensor (rows x cols).
  const std::map<std::string, Matrix>& tensors() const { return tensors_; }
  // The basis a tensor's change is projected on in the round based on version(); null when it goes dense.
  const SharedBasis* basis(const std::string& name) const;
  uint64_t epoch() const { return plan_.refreshEvery ? version_ / plan_.refreshEvery : 0; }
  // SHA-256 of the accumulated tensors (names and float bytes in name order), lower-case hex.
  std::string digestHex() const;

  // Applies the broadcast of version() + 1 (throws CodecError naming the tensor when it does not fit).
  void apply(const Payload& broadcast);

  // Site side: the upload payload for `change` (new tensors minus tensors()), with error feedback for the
  // low-rank tensors staged in `feedback` (commit or roll back on the coordinator's answer).
  Payload encodeChange(const std::map<std::string, Matrix>& change, ErrorFeedback& feedback,
                       uint64_t roundingSeed) const;

  // Coordinator side: decodes an upload into the matrices the aggregator takes (factors or dense changes).
  // Returns the reason it is refused (a missing, unknown or misshapen tensor, a wrong dtype or encoding,
  // a damaged frame, NaN/Inf), empty when it fits.
  std::string decodeUpdate(const Payload& upload, std::map<std::string, Matrix>& out) const;
  // The shape the aggregator expects for each tensor: the factor's or the dense one.
  std::map<std::string, std::pair<int64_t, int64_t>> aggregateShapes() const;
  // Coordinator side: the broadcast of version() + 1 from the round's aggregate.
  Payload encodeAggregate(const std::map<std::string, Matrix>& aggregate, uint64_t roundingSeed) const;

 private:
  void resetBases();
  std::vector<FederatedTensorSpec> specs_;
  CodecPlan plan_;
  uint64_t version_ = 0;
  std::map<std::string, Matrix> tensors_;
  std::map<std::string, SharedBasis> bases_;
};

}  // namespace fedmrg::federation

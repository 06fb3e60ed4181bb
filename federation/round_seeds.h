#pragma once
// The seeds of a federated round, one rule for every transport (docs/benchmark-fl.md, "Transports"): the
// benchmark's in-process rounds, the coordinator and the site processes all call these, so that the same
// consortium seed gives the same training, the same rounding and so the same global model bit for bit.
// The rounding seeds are not secrets: stochastic rounding needs unbiased, not unpredictable, noise.
#include <cstdint>
#include <string>

#include "federation/codec_random.h"

namespace fedmrg::federation {

// The seed of a site's local training in a round (data order and dropout): from the run's seed, the round and
// the site's row of the prototype table.
inline uint64_t siteTrainingSeed(uint64_t runSeed, uint64_t round, int siteRow) {
  return runSeed * 1000003ull + round * 101 + uint64_t(siteRow);
}

// The stochastic rounding of a site's low-rank upload: from the consortium's codec seed, the round and the
// site's id (not from its random idempotency key, so that a retried or replayed round encodes the same bytes).
inline uint64_t uploadRoundingSeed(uint64_t consortiumSeed, uint64_t round, const std::string& siteId) {
  return (consortiumSeed * 7919 + round) ^ stableHash("upload/" + siteId);
}

// The stochastic rounding of the coordinator's broadcast of a round.
inline uint64_t broadcastRoundingSeed(uint64_t consortiumSeed, uint64_t round) {
  return (consortiumSeed * 7919 + round) ^ 0xb40adca57ull;
}

}  // namespace fedmrg::federation

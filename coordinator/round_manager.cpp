#include "coordinator/round_manager.h"

#include <cmath>
#include <random>
#include <set>
#include <sstream>

#include "coordinator/spilled_update.h"
#include "federation/codec_random.h"
#include "federation/round_aggregator.h"
#include "federation/round_seeds.h"
#include "fedmrg/federation/v1/federation.pb.h"

namespace fedmrg::coordinator {

namespace v1 = federation::v1;
using federation::Payload;

std::string loggableSiteId(const std::string& siteId) {
  if (siteId.empty() || siteId.size() > 64) return "<invalid>";
  for (unsigned char c : siteId)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') return "<invalid>";
  return siteId;
}

namespace {

Outcome refuse(Refusal r, std::string why) { return {r, std::move(why)}; }

std::string hexOf(const std::array<uint8_t, 32>& d) { return federation::toHex(d); }

// A log value: quoted when it has spaces, with quotes and control characters replaced. Only text the
// coordinator wrote itself reaches here (reasons name tensors of the model, never a client's field).
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || (unsigned char)c < 0x20) ? '\'' : c;
  return out + "\"";
}

}  // namespace

struct RoundManager::Impl {
  std::unique_ptr<CoordinatorState> state;
  RoundBlobs blobs;
  federation::GlobalModel model;
  RoundSettings settings;
  Clock clock;
  Logger log;
  std::mutex mutex;

  std::optional<RoundRecord> round;  // the latest round
  std::unique_ptr<federation::RoundAggregator> aggregator;
  std::shared_ptr<const SpillShapes> spillShapes;  // the open round's, shared by its held uploads
  std::set<std::string> uploaded;  // sites with an accepted upload in the open round
  uint64_t bytesUp = 0, bytesDown = 0, refusals = 0, roundsClosed = 0;
  uint64_t dpSecret = 0;

  Impl(std::unique_ptr<CoordinatorState> s, std::string folder, std::vector<federation::FederatedTensorSpec> tensors,
       federation::CodecPlan codec, RoundSettings rs, Clock c, Logger l)
      : state(std::move(s)),
        blobs(std::move(folder)),
        model(std::move(tensors), codec),
        settings(std::move(rs)),
        clock(std::move(c)),
        log(std::move(l)) {}

  void event(const std::string& name, const std::string& fields) {
    log("event=" + name + (fields.empty() ? "" : " " + fields));
  }

  bool isDone() const { return model.version() >= uint64_t(settings.maxRounds); }

  size_t joinedSites() {
    size_t n = 0;
    for (const auto& s : state->sites()) n += s.revoked ? 0 : 1;
    return n;
  }

  // An upload as the aggregator reads it: from its spilled file, one tensor at a time (its memory grows
  // with the model, not with the sites).
  std::shared_ptr<const federation::UpdateSource> spilled(const std::string& blobDigest) {
    if (!spillShapes) spillShapes = std::make_shared<const SpillShapes>(model.aggregateShapes());
    return std::make_shared<SpilledUpdate>(blobs.path(blobDigest), blobDigest, spillShapes);
  }

  void newAggregator(uint64_t r) {
    federation::AggregationSettings a = settings.aggregation;
    a.dpSeed = federation::stableHash(std::to_string(dpSecret) + "/" + std::to_string(r));
    aggregator = std::make_unique<federation::RoundAggregator>(model.aggregateShapes(), a);
    spillShapes.reset();  // the round's shapes follow the bases of the version it starts from
    uploaded.clear();
  }

  void restore() {
    if (auto v = state->value("dp-secret")) {
      dpSecret = std::stoull(*v);
    } else {
      std::random_device rd;
      dpSecret = (uint64_t(rd()) << 32) ^ rd();
      state->putValue("dp-secret", std::to_string(dpSecret));
    }
    for (uint64_t v = 1;; ++v) {
      auto g = state->global(v);
      if (!g) break;
      model.apply(blobs.get(g->blobDigest));
      ++roundsClosed;
    }
    round = state->latestRound();
    if (!round) return;
    for (uint64_t r = 1; r <= round->round; ++r)
      for (const auto& u : state->uploads(r)) bytesUp += u.wireBytes;
    if (round->phase != RoundPhase::Open && round->phase != RoundPhase::Aggregating) return;
    newAggregator(round->round);
    for (const auto& u : state->uploads(round->round)) {
      aggregator->add(u.siteId, spilled(u.blobDigest), double(u.sampleCount));
      uploaded.insert(u.siteId);
    }
    event("round_resumed", "round=" + std::to_string(round->round) + " phase=" + roundPhaseName(round->phase) +
                               " uploads=" + std::to_string(uploaded.size()) +
                               " version=" + std::to_string(model.version()));
    if (round->phase == RoundPhase::Aggregating) closeRound("resumed while aggregating");
  }

  std::string taskBytes(uint64_t r, int64_t deadline) {
    v1::TaskReply t;
    t.set_kind(v1::TaskReply::TRAIN);
    t.set_round(r);
    t.set_base_version(model.version());
    if (auto g = state->latestGlobal()) t.set_base_digest(g->digestHex);
    t.set_strategy(federation::strategyName(settings.strategy));
    t.set_proximal_mu(settings.proximalMu);
    for (const auto& s : model.specs()) {
      v1::TensorSpec* ts = t.add_tensors();
      ts->set_name(s.name);
      for (int64_t d : s.shape) ts->add_shape(d);
      if (const federation::SharedBasis* b = model.basis(s.name)) {
        ts->set_low_rank(true);
        const auto d = b->digest();
        ts->set_basis_sha256(d.data(), d.size());
      }
    }
    v1::CodecParameters* c = t.mutable_codec();
    const auto& plan = model.plan();
    c->set_low_rank(plan.lowRank);
    c->set_rank(uint32_t(plan.settings.rank));
    c->set_seed(plan.seed);
    c->set_refresh_every(plan.refreshEvery);
    c->set_epoch(model.epoch());
    c->set_int8_factors(plan.settings.int8Factors);
    c->set_zstd(plan.settings.zstd);
    t.set_deadline_unix_ms(deadline);
    return t.SerializeAsString();
  }

  void openRound() {
    const uint64_t r = round ? round->round + 1 : 1;
    const int64_t now = clock();
    RoundRecord rec{r, RoundPhase::Open, model.version(), now, now + settings.deadlineMs, "", ""};
    rec.task = taskBytes(r, rec.deadlineMs);
    state->putRound(rec);
    round = rec;
    newAggregator(r);
    event("round_opened", "round=" + std::to_string(r) + " base_version=" + std::to_string(model.version()) +
                              " deadline_ms=" + std::to_string(settings.deadlineMs));
  }

  void failRound(const std::string& note) {
    round->phase = RoundPhase::Failed;
    round->note = note;
    state->putRound(*round);
    aggregator.reset();
    event("round_failed", "round=" + std::to_string(round->round) + " reason=" + quoted(note));
  }

  void closeRound(const std::string& why) {
    round->phase = RoundPhase::Aggregating;
    state->putRound(*round);
    federation::AggregationResult result = aggregator->finish();
    for (const auto& [site, reason] : result.refused)
      event("update_refused_at_aggregation",
            "round=" + std::to_string(round->round) + " site=" + loggableSiteId(site) + " reason=" + quoted(reason));
    if (result.accepted < settings.minSites) {
      failRound("only " + std::to_string(result.accepted) + " updates were accepted; the round needs " +
                std::to_string(settings.minSites));
      return;
    }
    Payload broadcast =
        model.encodeAggregate(result.aggregate, federation::broadcastRoundingSeed(model.plan().seed, round->round));
    broadcast.round = round->round;
    broadcast.sampleCount = uint64_t(result.totalWeight);
    GlobalVersion g;
    g.version = model.version() + 1;
    g.round = round->round;
    g.digestHex = hexOf(federation::payloadDigest(broadcast));
    g.blobDigest = blobs.put(broadcast);
    g.createdAtMs = clock();
    RoundRecord closed = *round;
    closed.phase = RoundPhase::Closed;
    state->publishGlobal(g, closed);
    model.apply(broadcast);
    round = closed;
    aggregator.reset();
    ++roundsClosed;
    std::ostringstream f;
    f << "round=" << g.round << " version=" << g.version << " sites=" << result.accepted << " why=" << quoted(why)
      << " digest=" << g.digestHex << " model_digest=" << model.digestHex();
    if (result.dpEpsilon) f << " dp_epsilon=" << *result.dpEpsilon;
    event("round_closed", f.str());
  }

  void tick() {
    const int64_t now = clock();
    if (!round || round->phase == RoundPhase::Closed || round->phase == RoundPhase::Failed) {
      if (!isDone() && joinedSites() >= size_t(settings.minSites)) openRound();
      return;
    }
    if (round->phase != RoundPhase::Open) return;
    const size_t need = std::max<size_t>(size_t(settings.minSites),
                                         size_t(std::ceil(settings.fraction * double(joinedSites()) - 1e-9)));
    if (uploaded.size() >= need) {
      closeRound("enough sites uploaded");
      // The next round opens at once, so a site polling right after its download finds it. (After a
      // failure, one tick shows the failed round to GetStatus before the next opens.)
      if (round->phase == RoundPhase::Closed && !isDone() && joinedSites() >= size_t(settings.minSites)) openRound();
    } else if (now >= round->deadlineMs) {
      if (uploaded.size() >= size_t(settings.minSites)) {
        size_t dropped = 0;
        for (const auto& s : state->sites()) dropped += (!s.revoked && !uploaded.count(s.siteId)) ? 1 : 0;
        event("stragglers_dropped", "round=" + std::to_string(round->round) + " count=" + std::to_string(dropped));
        closeRound("deadline");
      } else {
        failRound("only " + std::to_string(uploaded.size()) + " sites uploaded by the deadline; the round needs " +
                  std::to_string(settings.minSites));
      }
    }
  }

  std::string nameFor(const std::string& siteId) {
    return loggableSiteId(siteId) != "<invalid>" && state->site(siteId) ? siteId : "<unknown>";
  }

  Outcome known(const std::string& siteId) {
    auto s = state->site(siteId);
    if (!s) return refuse(Refusal::PermissionDenied, "unknown site: it has not joined this federation");
    if (s->revoked) return refuse(Refusal::PermissionDenied, "this site's certificate is revoked");
    const int64_t now = clock();
    if (now - s->lastSeenMs > 2000) {  // throttled: a poll is not worth a write each time
      s->lastSeenMs = now;
      state->putSite(*s);
    }
    return {};
  }

  UploadAck refused(Outcome o, const std::string& siteId) {
    ++refusals;
    event("upload_refused", "site=" + nameFor(siteId) + " reason=" + quoted(o.reason));
    UploadAck a;
    a.outcome = std::move(o);
    return a;
  }
};

RoundManager::RoundManager(std::unique_ptr<CoordinatorState> state, std::string blobFolder,
                           std::vector<federation::FederatedTensorSpec> tensors, federation::CodecPlan codec,
                           RoundSettings settings, Clock clock, Logger log)
    : impl_(std::make_unique<Impl>(std::move(state), std::move(blobFolder), std::move(tensors), codec,
                                   std::move(settings), std::move(clock), std::move(log))) {
  impl_->restore();
}

RoundManager::~RoundManager() = default;

Outcome RoundManager::join(const std::string& siteId, const std::string& certFingerprint) {
  std::lock_guard lock(impl_->mutex);
  if (loggableSiteId(siteId) == "<invalid>")
    return refuse(Refusal::InvalidArgument, "a site id is 1 to 64 letters, digits, '.', '_' or '-'");
  const auto& allowed = impl_->settings.allowedSites;
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), siteId) == allowed.end()) {
    ++impl_->refusals;
    impl_->event("join_refused", "site=<unknown> reason=\"not in allowed_sites\"");
    return refuse(Refusal::PermissionDenied, "this site is not a member of the federation (allowed_sites)");
  }
  auto existing = impl_->state->site(siteId);
  if (existing && existing->revoked) return refuse(Refusal::PermissionDenied, "this site's certificate is revoked");
  if (existing && !existing->certFingerprint.empty() && existing->certFingerprint != certFingerprint)
    return refuse(Refusal::PermissionDenied, "this site joined with another certificate");
  const int64_t now = impl_->clock();
  SiteRecord rec = existing ? *existing : SiteRecord{siteId, certFingerprint, false, now, now};
  rec.lastSeenMs = now;
  impl_->state->putSite(rec);
  if (!existing) impl_->event("site_joined", "site=" + siteId);
  // A join can only open a round (it raises the uploads an open one needs, never closes it); the timer's
  // tick handles an open round. Skipping it keeps a join O(1) instead of a scan of every site.
  if (!impl_->round || impl_->round->phase != RoundPhase::Open) impl_->tick();
  return {};
}

Outcome RoundManager::task(const std::string& siteId, v1::TaskReply& reply) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  if (Outcome o = m.known(siteId); !o.ok()) return o;
  reply.Clear();
  reply.set_strategy(federation::strategyName(m.settings.strategy));
  reply.set_base_version(m.model.version());
  if (m.isDone()) {
    // With the tensors and codec of the current model, so that a site that comes back after the last round
    // (restarted, or slow to start) can still download the versions it lacks and end on the final model.
    reply.ParseFromString(m.taskBytes(0, 0));
    reply.set_kind(v1::TaskReply::DONE);
    reply.set_round(0);
    reply.set_deadline_unix_ms(0);
    reply.set_note("the federation has published all " + std::to_string(m.settings.maxRounds) + " versions");
    return {};
  }
  if (!m.round || m.round->phase != RoundPhase::Open) {
    reply.set_kind(v1::TaskReply::WAIT);
    reply.set_note("no round is open: waiting for " + std::to_string(m.settings.minSites) + " sites to join");
    return {};
  }
  if (m.uploaded.count(siteId)) {
    reply.set_kind(v1::TaskReply::WAIT);
    reply.set_round(m.round->round);
    reply.set_note("this site's update for round " + std::to_string(m.round->round) + " is in; waiting for the others");
    return {};
  }
  if (!reply.ParseFromString(m.round->task)) return refuse(Refusal::Internal, "the stored task is damaged");
  return {};
}

Outcome RoundManager::heartbeat(const std::string& siteId, uint64_t& round, std::string& phase) {
  std::lock_guard lock(impl_->mutex);
  if (Outcome o = impl_->known(siteId); !o.ok()) return o;
  round = impl_->round ? impl_->round->round : 0;
  phase = impl_->round ? roundPhaseName(impl_->round->phase) : "waiting";
  return {};
}

UploadAck RoundManager::upload(const std::string& siteId, Payload payload, const std::string& payloadDigestHex,
                               const UploadTrailerInfo& trailer, uint64_t wireBytes) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  if (Outcome o = m.known(siteId); !o.ok()) return m.refused(o, siteId);
  if (trailer.idempotencyKey.empty() || trailer.idempotencyKey.size() > 128)
    return m.refused(
        refuse(Refusal::InvalidArgument, "the upload's trailer needs an idempotency key of 1 to 128 bytes"), siteId);
  if (auto first = m.state->uploadByKey(trailer.idempotencyKey)) {
    if (first->siteId != siteId)
      return m.refused(refuse(Refusal::PermissionDenied, "this idempotency key belongs to another site's upload"),
                       siteId);
    UploadAck a;
    a.round = first->round;
    a.idempotencyKey = first->idempotencyKey;
    a.duplicate = true;
    a.digestHex = hexOf(federation::payloadDigest(m.blobs.get(first->blobDigest)));
    m.event("upload_duplicate", "site=" + siteId + " round=" + std::to_string(first->round));
    return a;
  }
  if (trailer.sha256.size() != 32 || federation::toHex([&] {
                                       federation::Sha256 d{};
                                       std::copy(trailer.sha256.begin(), trailer.sha256.end(), d.begin());
                                       return d;
                                     }()) != payloadDigestHex)
    return m.refused(
        refuse(Refusal::DataLoss, "digest mismatch: the trailer's digest is not the digest of the data received"),
        siteId);
  if (trailer.sampleCount == 0 || trailer.sampleCount != payload.sampleCount)
    return m.refused(
        refuse(Refusal::InvalidArgument, "the sample count must be positive and equal in header and trailer"), siteId);
  if (!m.round || m.round->phase != RoundPhase::Open)
    return m.refused(refuse(Refusal::FailedPrecondition, "no round is open for uploads now"), siteId);
  const uint64_t r = m.round->round;
  if (payload.round != r)
    return m.refused(
        refuse(Refusal::FailedPrecondition, "wrong round: the update is for round " + std::to_string(payload.round) +
                                                " but round " + std::to_string(r) + " is open"),
        siteId);
  if (payload.baseVersion != m.round->baseVersion)
    return m.refused(
        refuse(Refusal::FailedPrecondition,
               "wrong base version: the update was computed from version " + std::to_string(payload.baseVersion) +
                   " but round " + std::to_string(r) + " starts from version " + std::to_string(m.round->baseVersion)),
        siteId);
  if (m.uploaded.count(siteId))
    return m.refused(
        refuse(Refusal::AlreadyExists, "this site already has an accepted update in round " + std::to_string(r)),
        siteId);
  {
    // Checked whole here, then dropped: the aggregator reads the spilled file again, tensor by tensor.
    std::map<std::string, federation::Matrix> update;
    if (std::string why = m.model.decodeUpdate(payload, update); !why.empty())
      return m.refused(refuse(Refusal::InvalidArgument, why), siteId);
    const double bound = m.settings.aggregation.fixedNormBound;
    if (const double norm = federation::RoundAggregator::updateNorm(update); bound > 0 && norm > bound) {
      std::ostringstream s;
      s << "the update's norm " << norm << " is above the bound " << bound;
      return m.refused(refuse(Refusal::InvalidArgument, s.str()), siteId);
    }
  }
  // On disk and in the state before the acknowledgement: a SIGKILL after this loses nothing acknowledged.
  UploadRecord rec{r, siteId, trailer.idempotencyKey, "", payload.sampleCount, wireBytes, m.clock()};
  try {
    rec.blobDigest = m.blobs.put(payload);
    if (!m.state->recordUpload(rec))
      return m.refused(
          refuse(Refusal::AlreadyExists, "this site already has an accepted update in round " + std::to_string(r)),
          siteId);
  } catch (const std::exception& e) {
    m.event("upload_store_failed", "site=" + siteId + " reason=" + quoted(e.what()));
    return m.refused(refuse(Refusal::Internal, "the coordinator could not store the update; retry later"), siteId);
  }
  payload.tensors.clear();
  std::string why;
  try {
    why = m.aggregator->add(siteId, m.spilled(rec.blobDigest), double(payload.sampleCount));
  } catch (const std::exception& e) {
    why = e.what();  // the file just written cannot be read back: the upload stays recorded, out of the sum
  }
  if (!why.empty()) m.event("update_refused_at_aggregation", "site=" + siteId + " reason=" + quoted(why));
  m.uploaded.insert(siteId);
  m.bytesUp += wireBytes;
  m.event("upload_accepted", "site=" + siteId + " round=" + std::to_string(r) + " bytes=" + std::to_string(wireBytes) +
                                 " samples=" + std::to_string(payload.sampleCount));
  UploadAck a;
  a.round = r;
  a.digestHex = payloadDigestHex;
  a.idempotencyKey = trailer.idempotencyKey;
  m.tick();
  return a;
}

Outcome RoundManager::global(const std::string& siteId, uint64_t version, Payload& out) {
  std::lock_guard lock(impl_->mutex);
  if (Outcome o = impl_->known(siteId); !o.ok()) return o;
  auto g = version ? impl_->state->global(version) : std::nullopt;
  if (!g)
    return refuse(Refusal::NotFound, "version " + std::to_string(version) + " has not been published (the latest is " +
                                         std::to_string(impl_->model.version()) + ")");
  try {
    out = impl_->blobs.get(g->blobDigest);
  } catch (const std::exception& e) {
    impl_->event("blob_unreadable", "version=" + std::to_string(version) + " reason=" + quoted(e.what()));
    return refuse(Refusal::Internal, "the coordinator cannot read version " + std::to_string(version));
  }
  return {};
}

void RoundManager::countDownloadBytes(uint64_t bytes) {
  std::lock_guard lock(impl_->mutex);
  impl_->bytesDown += bytes;
}

void RoundManager::countRefusal() {
  std::lock_guard lock(impl_->mutex);
  ++impl_->refusals;
}

void RoundManager::status(v1::StatusReply& reply, bool withSites) {
  std::lock_guard lock(impl_->mutex);
  Impl& m = *impl_;
  reply.Clear();
  reply.set_round(m.round ? m.round->round : 0);
  reply.set_phase(m.round ? roundPhaseName(m.round->phase) : "waiting");
  reply.set_global_version(m.model.version());
  if (auto g = m.state->latestGlobal()) reply.set_global_digest(g->digestHex);
  reply.set_model_digest(m.model.digestHex());
  for (const auto& s : withSites ? m.state->sites() : std::vector<SiteRecord>{}) {
    v1::SiteStatus* ss = reply.add_sites();
    ss->set_site_id(s.siteId);
    ss->set_uploaded(m.round && m.round->phase == RoundPhase::Open && m.uploaded.count(s.siteId));
    ss->set_last_seen_unix_ms(s.lastSeenMs);
  }
  reply.set_bytes_up(m.bytesUp);
  reply.set_bytes_down(m.bytesDown);
  reply.set_rounds_closed(m.roundsClosed);
  reply.set_refusals(m.refusals);
  reply.set_strategy(federation::strategyName(m.settings.strategy));
  reply.set_central_dp(m.settings.aggregation.dpClipNorm > 0 && m.settings.aggregation.dpNoiseMultiplier > 0);
}

void RoundManager::tick() {
  std::lock_guard lock(impl_->mutex);
  impl_->tick();
}

bool RoundManager::done() {
  std::lock_guard lock(impl_->mutex);
  return impl_->isDone();
}

std::string RoundManager::logName(const std::string& siteId) {
  std::lock_guard lock(impl_->mutex);
  return impl_->nameFor(siteId);
}

uint64_t RoundManager::maxUploadBytes() const {
  uint64_t n = 0;
  for (const auto& s : impl_->model.specs()) n += federation::maxFrameBytes(s.shape);
  return n;
}

}  // namespace fedmrg::coordinator

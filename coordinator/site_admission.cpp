#include "coordinator/site_admission.h"

#include <grpcpp/support/status.h>
#include <sys/stat.h>

namespace fedmrg::coordinator {

namespace {

Admission refuse(AdmissionRefusal why, const std::string& siteId, const std::string& reason) {
  return {why, reason, siteId};
}

// A fingerprint shortened for messages: enough to tell two certificates apart.
std::string shortPrint(const std::string& fingerprint) {
  return fingerprint.empty() ? "none" : fingerprint.substr(0, 16) + "...";
}

// Changes when the file is replaced or rewritten; -1 when it cannot be read.
int64_t fileStamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec + int64_t(st.st_size) * 7 + int64_t(st.st_ino);
}

}  // namespace

grpc::Status admissionStatus(const Admission& a) {
  if (a.admitted()) return grpc::Status::OK;
  const auto code = a.refusal == AdmissionRefusal::NoIdentity ? grpc::StatusCode::UNAUTHENTICATED
                                                              : grpc::StatusCode::PERMISSION_DENIED;
  return grpc::Status(code, a.reason);
}

SiteAdmission::SiteAdmission(CoordinatorState& state, Options options) : state_(state), options_(std::move(options)) {
  if (options_.crlFile.empty()) return;
  crl_ = RevocationList::load(options_.crlFile, options_.caCertFile);
  crlStamp_ = fileStamp(options_.crlFile);
}

void SiteAdmission::refreshCrl() {
  if (options_.crlFile.empty()) return;
  const int64_t stamp = fileStamp(options_.crlFile);
  std::lock_guard<std::mutex> lock(mutex_);
  if (stamp == crlStamp_) return;
  try {
    crl_ = RevocationList::load(options_.crlFile, options_.caCertFile);
    crlProblem_.clear();
  } catch (const RevocationError& e) {
    crlProblem_ = std::string(e.what()) + " (the previous revocation list stays in force)";
  }
  crlStamp_ = stamp;
}

std::string SiteAdmission::crlProblem() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return crlProblem_;
}

Admission SiteAdmission::join(const std::optional<federation::PeerIdentity>& peer, int64_t nowMs) {
  return check(peer, true, nowMs);
}

Admission SiteAdmission::admit(const std::optional<federation::PeerIdentity>& peer) { return check(peer, false, 0); }

void SiteAdmission::registerSite(const federation::PeerIdentity& peer, int64_t nowMs) {
  SiteRecord record;
  if (auto existing = state_.site(peer.siteId)) record = *existing;
  else record.joinedAtMs = nowMs;
  record.siteId = peer.siteId;
  record.certFingerprint = peer.certFingerprint;
  record.revoked = false;
  record.certNotBefore = peer.certNotBefore;
  record.lastSeenMs = nowMs;
  state_.putSite(record);
}

Admission SiteAdmission::check(const std::optional<federation::PeerIdentity>& peer, bool joining, int64_t nowMs) {
  if (!peer || peer->siteId.empty())
    return refuse(AdmissionRefusal::NoIdentity, "", "the call carries no verified client certificate");
  const std::string& id = peer->siteId;
  if (peer->fromCertificate) {
    refreshCrl();
    std::lock_guard<std::mutex> lock(mutex_);
    if (crl_.isRevoked(peer->certSerial))
      return refuse(AdmissionRefusal::Revoked, id,
                    "site '" + id + "': its certificate (serial " + peer->certSerial + ") is revoked");
  }
  const std::optional<SiteRecord> record = state_.site(id);
  if (!record) {
    if (joining && options_.enrolOnJoin) {
      registerSite(*peer, nowMs);
      return {AdmissionRefusal::None, "", id};
    }
    return refuse(AdmissionRefusal::UnknownSite, id, "unknown site '" + id + "': it has not joined this federation");
  }
  if (record->revoked) return refuse(AdmissionRefusal::Revoked, id, "site '" + id + "' is revoked");
  if (record->certFingerprint != peer->certFingerprint && peer->fromCertificate &&
      peer->certNotBefore > record->certNotBefore) {
    // A renewal: the CA verified it and the CRL does not list it, it names the same site and it is newer
    // than the registered one. The site keeps its record (joined time, uploads); the pin moves to it, so
    // from now on the older certificate is refused as superseded, even before it is revoked.
    SiteRecord renewed = *record;
    renewed.certFingerprint = peer->certFingerprint;
    renewed.certNotBefore = peer->certNotBefore;
    state_.putSite(renewed);
    return {AdmissionRefusal::None, "", id};
  }
  if (record->certFingerprint != peer->certFingerprint && peer->fromCertificate &&
      peer->certNotBefore < record->certNotBefore)
    return refuse(AdmissionRefusal::FingerprintMismatch, id,
                  "site '" + id + "': its certificate (fingerprint " + shortPrint(peer->certFingerprint) +
                      ") was superseded by a renewed certificate; use the renewed one");
  if (record->certFingerprint != peer->certFingerprint) {
    const std::string how = peer->fromCertificate
                                ? "its certificate (fingerprint " + shortPrint(peer->certFingerprint) + ")"
                                : "a call without a certificate";
    return refuse(AdmissionRefusal::FingerprintMismatch, id,
                  "site '" + id + "': " + how + " differs from the registered certificate (fingerprint " +
                      shortPrint(record->certFingerprint) + "); an administrator must register the new one");
  }
  return {AdmissionRefusal::None, "", id};
}

}  // namespace fedmrg::coordinator

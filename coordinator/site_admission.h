#pragma once
// Whether a caller may talk to the coordinator, decided on every call from its verified identity
// (federation::peerIdentity), the registered sites in the CoordinatorState and the CA's revocation list.
// A refusal carries the reason the site shows to its admin; the round goes on without it.
//
// Registration: a site's first Join with a certificate from the consortium CA registers its site id and
// the certificate's fingerprint and notBefore (when enrolOnJoin). From then on that certificate is pinned.
// A renewal (`certs issue-site` for an existing site: same CA, same site id, a later notBefore) is the same
// site: the pin moves to it on its first call and the older certificate is refused as superseded (revoke
// it too). Another certificate that is not newer is refused until an administrator registers it.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "coordinator/coordinator_state.h"
#include "coordinator/revocation_list.h"
#include "federation/peer_identity.h"

namespace grpc {
class Status;
}

namespace fedmrg::coordinator {

enum class AdmissionRefusal {
  None,
  NoIdentity,           // no verified client certificate (or, in insecure loopback mode, no site id)
  Revoked,              // the certificate is on the CRL, or the site's record is marked revoked
  UnknownSite,          // not registered (calls other than Join)
  FingerprintMismatch,  // registered with another certificate
};

struct Admission {
  AdmissionRefusal refusal = AdmissionRefusal::None;
  std::string reason;  // empty when admitted
  std::string siteId;
  bool admitted() const { return refusal == AdmissionRefusal::None; }
};

// The gRPC status for a decision: OK, UNAUTHENTICATED (no identity) or PERMISSION_DENIED, with the reason.
grpc::Status admissionStatus(const Admission& admission);

class SiteAdmission {
 public:
  struct Options {
    std::string crlFile;     // empty: no CRL (only SiteRecord.revoked counts)
    std::string caCertFile;  // the CA that must have signed the CRL
    bool enrolOnJoin = true;
  };
  // Loads the CRL now; throws RevocationError when it is given but bad (the coordinator must not start on
  // a revocation list it cannot read).
  SiteAdmission(CoordinatorState& state, Options options);

  // Join: as admit(), but an unknown site is registered (enrolOnJoin) with this certificate's fingerprint.
  Admission join(const std::optional<federation::PeerIdentity>& peer, int64_t nowMs);
  // Every other call.
  Admission admit(const std::optional<federation::PeerIdentity>& peer);

  // Registers or re-registers a site with this identity's fingerprint, clearing `revoked` (an admin's act).
  void registerSite(const federation::PeerIdentity& peer, int64_t nowMs);

  // The CRL file is read again whenever its modification time or size changes, so `certs revoke` takes
  // effect on the next call. A reload that fails keeps the previous list; this says why (empty when fine).
  std::string crlProblem() const;

 private:
  Admission check(const std::optional<federation::PeerIdentity>& peer, bool joining, int64_t nowMs);
  void refreshCrl();

  CoordinatorState& state_;
  Options options_;
  mutable std::mutex mutex_;
  RevocationList crl_;
  int64_t crlStamp_ = -1;
  std::string crlProblem_;
};

}  // namespace fedmrg::coordinator

#pragma once
// Who is calling the coordinator. With mutual TLS the site is its verified client certificate: the
// certificate's common name and the SHA-256 fingerprint of its DER encoding, never a field of a message.
// A coordinator started in insecure loopback mode (tests and development only) has no certificates; there
// the request metadata "fedmrg-site-id" names the site.
#include <cstdint>
#include <optional>
#include <string>

struct asn1_string_st;  // OpenSSL's ASN1_INTEGER

namespace grpc {
class ServerContextBase;  // both the synchronous ServerContext and the CallbackServerContext
}

namespace fedmrg::federation {

struct PeerIdentity {
  std::string siteId;
  std::string certFingerprint;  // lower-case hex; empty in insecure mode
  bool fromCertificate = false;
  std::string certSerial;  // the certificate's serial number, lower-case hex (what a CRL lists); last, so
                           // that {siteId, fingerprint, fromCertificate} still initializes the others
  int64_t certNotBefore = 0;  // Unix seconds; orders a site's renewed certificates (site_admission.h)
};

// The metadata key that names the site in insecure loopback mode.
inline constexpr const char* kInsecureSiteIdMetadata = "fedmrg-site-id";

// The caller's identity, or nullopt when the call carries none (no verified certificate; in insecure mode,
// no or an empty "fedmrg-site-id").
std::optional<PeerIdentity> peerIdentity(const grpc::ServerContextBase& context, bool insecureLoopback);

// SHA-256 of a PEM certificate's DER bytes, lower-case hex; empty when the PEM does not parse.
std::string certificateFingerprint(const std::string& pem);
// A PEM certificate's serial number, lower-case hex without leading zeros; empty when the PEM does not parse.
std::string certificateSerial(const std::string& pem);
// A PEM certificate's notBefore in Unix seconds; 0 when the PEM does not parse.
int64_t certificateNotBefore(const std::string& pem);
// An ASN.1 integer (a serial number) as lower-case hex without leading zeros ("0" for zero).
std::string serialHex(const asn1_string_st* serial);

}  // namespace fedmrg::federation

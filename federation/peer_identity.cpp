#include "federation/peer_identity.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/grpcpp.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace fedmrg::federation {

std::string certificateFingerprint(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  if (!bio) return {};
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!cert) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const int ok = X509_digest(cert, EVP_sha256(), digest, &length);
  X509_free(cert);
  if (ok != 1) return {};
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::optional<PeerIdentity> peerIdentity(const grpc::ServerContext& context, bool insecureLoopback) {
  const auto auth = context.auth_context();
  if (auth && auth->IsPeerAuthenticated()) {
    const auto names = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
    const auto pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
    if (names.empty() || pems.empty()) return std::nullopt;
    PeerIdentity id;
    id.siteId.assign(names.front().data(), names.front().size());
    id.certFingerprint = certificateFingerprint(std::string(pems.front().data(), pems.front().size()));
    id.fromCertificate = true;
    if (id.siteId.empty() || id.certFingerprint.empty()) return std::nullopt;
    return id;
  }
  if (!insecureLoopback) return std::nullopt;
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(kInsecureSiteIdMetadata);
  if (it == metadata.end() || it->second.empty()) return std::nullopt;
  PeerIdentity id;
  id.siteId.assign(it->second.data(), it->second.size());
  return id;
}

}  // namespace fedmrg::federation

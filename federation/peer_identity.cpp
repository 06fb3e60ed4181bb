#include "federation/peer_identity.h"

#include <cctype>
#include <ctime>

#include <grpc/grpc_security_constants.h>
#include <grpcpp/grpcpp.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace fedmrg::federation {

namespace {

X509* parsePem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  if (!bio) return nullptr;
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

}  // namespace

std::string serialHex(const ASN1_INTEGER* serial) {
  BIGNUM* bn = serial ? ASN1_INTEGER_to_BN(serial, nullptr) : nullptr;
  if (!bn) return {};
  char* hex = BN_bn2hex(bn);
  BN_free(bn);
  if (!hex) return {};
  std::string out(hex);
  OPENSSL_free(hex);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string certificateSerial(const std::string& pem) {
  X509* cert = parsePem(pem);
  if (!cert) return {};
  std::string out = serialHex(X509_get0_serialNumber(cert));
  X509_free(cert);
  return out;
}

std::string certificateFingerprint(const std::string& pem) {
  X509* cert = parsePem(pem);
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

int64_t certificateNotBefore(const std::string& pem) {
  X509* cert = parsePem(pem);
  if (!cert) return 0;
  std::tm tm{};
  const bool ok = ASN1_TIME_to_tm(X509_get0_notBefore(cert), &tm) == 1;
  X509_free(cert);
  return ok ? int64_t(timegm(&tm)) : 0;
}

std::optional<PeerIdentity> peerIdentity(const grpc::ServerContextBase& context, bool insecureLoopback) {
  const auto auth = context.auth_context();
  if (auth && auth->IsPeerAuthenticated()) {
    const auto names = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
    const auto pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
    if (names.empty() || pems.empty()) return std::nullopt;
    PeerIdentity id;
    id.siteId.assign(names.front().data(), names.front().size());
    const std::string pem(pems.front().data(), pems.front().size());
    id.certFingerprint = certificateFingerprint(pem);
    id.certSerial = certificateSerial(pem);
    id.certNotBefore = certificateNotBefore(pem);
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

#pragma once
// The consortium's certificate authority, kept in one folder (docs/federation.md, "Security"):
//   ca.pem, ca.key          the CA's self-signed certificate and private key (mode 0600)
//   coordinator/cert.pem, key.pem, ca.pem    the coordinator's server certificate (SAN = its hosts)
//   sites/<id>/cert.pem, key.pem, ca.pem     a site's client certificate (CN = site id), the folder to
//                                            hand to that site
//   index.tsv               every certificate issued: serial, kind, name, fingerprint, validity, status
//   crl.pem                 the revoked serials, signed by the CA; the coordinator refuses those peers
// Private keys are written once with mode 0600 and never printed. Everything fails with CaError naming
// the file and the reason; a failed step leaves the files it found as they were.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::coordinator {

class CaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class KeyType { EcP256, Rsa3072 };

// When a certificate is valid: from `startUnix` (0 = now) for `days` days. Tests set a start in the past
// or the future to make expired and not-yet-valid certificates.
struct Validity {
  int64_t startUnix = 0;
  int days = 365;
};

struct CertificateRecord {
  std::string serial;       // lower-case hex, as federation::certificateSerial gives it
  std::string kind;         // "ca", "coordinator" or "site"
  std::string name;         // the common name: the site id, the coordinator's first host, the CA's name
  std::string fingerprint;  // SHA-256 of the DER certificate, lower-case hex
  int64_t notBefore = 0;    // Unix seconds
  int64_t notAfter = 0;
  bool revoked = false;
  int64_t revokedAt = 0;
};

struct IssuedCertificate {
  CertificateRecord record;
  std::string certFile;  // PEM certificate
  std::string keyFile;   // PEM private key, mode 0600
  std::string caFile;    // a copy of the CA certificate beside them
};

class CertificateAuthority {
 public:
  // Creates a CA in `dir` (made with mode 0700 when missing); refuses a folder that already has ca.pem.
  static CertificateAuthority create(const std::string& dir, const std::string& name, Validity validity = {0, 3650},
                                     KeyType keyType = KeyType::EcP256);
  // Opens the CA in `dir`: its certificate, key (which must match and be 0600) and index.
  static CertificateAuthority open(const std::string& dir);

  CertificateAuthority(CertificateAuthority&&) noexcept;
  CertificateAuthority& operator=(CertificateAuthority&&) noexcept;
  ~CertificateAuthority();

  // The coordinator's server certificate (serverAuth) with every host as a subject alternative name (an IP
  // address or a DNS name). Replaces the files of the previous one; the old certificate stays in the index.
  IssuedCertificate issueCoordinator(const std::vector<std::string>& hosts, Validity validity = {});
  // A site's client certificate (clientAuth, CN = siteId). For a site that already has one it is a renewal:
  // valid from at least a second after the site's latest certificate, so that the coordinator takes it for
  // the same site and pins it in place of the older one; the older one stays valid until revoked
  // (revoke(serial)), which the site's administrator does once the renewed one is installed.
  IssuedCertificate issueSite(const std::string& siteId, Validity validity = {}, KeyType keyType = KeyType::EcP256);
  // Revokes by serial (hex) or, when no serial matches, every live certificate of that site id; rewrites
  // crl.pem. Returns what it revoked; throws when nothing matched.
  std::vector<CertificateRecord> revoke(const std::string& serialOrSiteId);
  // Writes crl.pem again (valid for `days`); revoke() calls it.
  void writeCrl(int days = 30);

  std::vector<CertificateRecord> list() const;  // the index, in issue order
  std::string dir() const;
  std::string caCertFile() const;
  std::string crlFile() const;

 private:
  struct State;
  explicit CertificateAuthority(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

// A site id or host usable as a common name and a folder name: 1 to 64 of [A-Za-z0-9._-], not starting
// with '.' or '-'. Empty when valid, else the reason.
std::string nameProblem(const std::string& name);

}  // namespace fedmrg::coordinator

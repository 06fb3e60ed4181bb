#include "coordinator/certificate_authority.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "federation/peer_identity.h"

namespace fedmrg::coordinator {

namespace fs = std::filesystem;

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
void freeBio(BIO* b) { BIO_free(b); }
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, freeBio>>;

constexpr const char* kIndexHeader =
    "# fedmrg certificate index v1: serial kind name fingerprint notBefore notAfter status revokedAt";

// The last OpenSSL error as text, for the messages that name a failed step.
std::string sslReason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

[[noreturn]] void fail(const std::string& what) { throw CaError(what); }

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string() + ": cannot read (" + std::strerror(errno) + ")");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes through a temporary file and a rename, so a crash never leaves half a file; `mode` is set before
// any byte is written (a key is never readable by others, even for a moment).
void writeFile(const fs::path& path, const std::string& bytes, mode_t mode) {
  const fs::path tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) fail(tmp.string() + ": cannot create (" + std::strerror(errno) + ")");
  ::fchmod(fd, mode);  // the umask may have narrowed it; never widened beyond `mode`
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(tmp.string() + ": cannot write (" + why + ")");
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) fail(tmp.string() + ": cannot write (" + std::strerror(errno) + ")");
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail(path.string() + ": cannot replace (" + std::strerror(errno) + ")");
}

// Creates `dir` and any missing parent, each readable by its owner only.
void makeDir(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> missing;
  for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) missing.push_back(p);
  if (missing.empty()) return;
  fs::create_directories(dir, ec);
  if (ec) fail(dir.string() + ": cannot create the folder (" + ec.message() + ")");
  for (const auto& p : missing) ::chmod(p.c_str(), 0700);
}

std::string certPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) fail("cannot encode a certificate: " + sslReason());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, size_t(n));
}

std::string keyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    fail("cannot encode a private key: " + sslReason());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, size_t(n));
}

KeyPtr newKey(KeyType type) {
  KeyPtr key(type == KeyType::Rsa3072 ? EVP_RSA_gen(3072) : EVP_EC_gen("P-256"));
  if (!key) fail("cannot generate a key: " + sslReason());
  return key;
}

int64_t toUnix(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return int64_t(timegm(&tm));
}

void addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) fail("cannot add the extension " + std::string(OBJ_nid2sn(nid)) + "=" + value + ": " + sslReason());
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A fresh random 127-bit serial, never one the index already has.
void setRandomSerial(X509* cert, const std::set<std::string>& used) {
  for (;;) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) fail("cannot draw a serial number: " + sslReason());
    bytes[0] &= 0x7f;  // positive
    bytes[0] |= 0x40;  // and always 16 bytes long
    BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
    ASN1_INTEGER* serial = bn ? BN_to_ASN1_INTEGER(bn, nullptr) : nullptr;
    BN_free(bn);
    if (!serial) fail("cannot set a serial number: " + sslReason());
    const bool fresh = !used.count(federation::serialHex(serial));
    if (fresh) X509_set_serialNumber(cert, serial);
    ASN1_INTEGER_free(serial);
    if (fresh) return;
  }
}

X509Ptr newCertificate(const std::string& commonName, EVP_PKEY* subjectKey, const Validity& validity,
                       const std::set<std::string>& usedSerials) {
  X509Ptr cert(X509_new());
  if (!cert) fail("cannot make a certificate: " + sslReason());
  X509_set_version(cert.get(), 2);  // v3
  setRandomSerial(cert.get(), usedSerials);
  const time_t start = validity.startUnix ? time_t(validity.startUnix) : std::time(nullptr);
  if (validity.days <= 0) fail("a validity of " + std::to_string(validity.days) + " days: it must be at least 1");
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), start);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), start + time_t(validity.days) * 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("FedMRG consortium"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(commonName.c_str()), -1,
                             -1, 0);
  X509_set_pubkey(cert.get(), subjectKey);
  return cert;
}

CertificateRecord recordOf(X509* cert, const std::string& kind, const std::string& name) {
  const std::string pem = certPem(cert);
  CertificateRecord r;
  r.serial = federation::certificateSerial(pem);
  r.kind = kind;
  r.name = name;
  r.fingerprint = federation::certificateFingerprint(pem);
  r.notBefore = toUnix(X509_get0_notBefore(cert));
  r.notAfter = toUnix(X509_get0_notAfter(cert));
  return r;
}

std::vector<CertificateRecord> parseIndex(const fs::path& path) {
  std::vector<CertificateRecord> out;
  std::error_code ec;
  if (!fs::exists(path, ec)) return out;
  std::istringstream in(readFile(path));
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string field;
    while (std::getline(ls, field, '\t')) f.push_back(field);
    const auto bad = [&](const std::string& why) { fail(path.string() + ":" + std::to_string(lineNo) + ": " + why); };
    if (f.size() != 8) bad("expected 8 tab-separated fields, found " + std::to_string(f.size()));
    CertificateRecord r;
    r.serial = f[0];
    r.kind = f[1];
    r.name = f[2];
    r.fingerprint = f[3];
    if (r.kind != "ca" && r.kind != "coordinator" && r.kind != "site") bad("unknown kind '" + r.kind + "'");
    if (f[6] != "valid" && f[6] != "revoked") bad("status must be 'valid' or 'revoked'");
    try {
      r.notBefore = std::stoll(f[4]);
      r.notAfter = std::stoll(f[5]);
      r.revokedAt = std::stoll(f[7]);
    } catch (const std::exception&) {
      bad("a time is not a number");
    }
    r.revoked = f[6] == "revoked";
    out.push_back(r);
  }
  return out;
}

std::string formatIndex(const std::vector<CertificateRecord>& records) {
  std::string s = std::string(kIndexHeader) + "\n";
  for (const auto& r : records) {
    s += r.serial + "\t" + r.kind + "\t" + r.name + "\t" + r.fingerprint + "\t" + std::to_string(r.notBefore) + "\t" +
         std::to_string(r.notAfter) + "\t" + (r.revoked ? "revoked" : "valid") + "\t" + std::to_string(r.revokedAt) +
         "\n";
  }
  return s;
}

bool isIpAddress(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string hostProblem(const std::string& host) {
  if (isIpAddress(host)) return {};
  if (host.empty() || host.size() > 253) return "a host name must have 1 to 253 characters";
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'))
      return std::string("'") + c + "' is not allowed in a host name (letters, digits, '-', '.')";
  if (host.front() == '-' || host.front() == '.') return "a host name cannot start with '-' or '.'";
  return {};
}

}  // namespace

std::string nameProblem(const std::string& name) {
  if (name.empty() || name.size() > 64) return "a name must have 1 to 64 characters";
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'))
      return std::string("'") + c + "' is not allowed (letters, digits, '.', '_', '-')";
  if (name.front() == '.' || name.front() == '-') return "a name cannot start with '.' or '-'";
  return {};
}

struct CertificateAuthority::State {
  fs::path dir;
  X509Ptr caCert;
  KeyPtr caKey;
  std::vector<CertificateRecord> index;

  fs::path indexFile() const { return dir / "index.tsv"; }
  std::set<std::string> serials() const {
    std::set<std::string> s;
    for (const auto& r : index) s.insert(r.serial);
    return s;
  }
  void saveIndex() const { writeFile(indexFile(), formatIndex(index), 0644); }

  // Signs `cert` with the CA, writes cert, key and the CA's certificate into `folder`, and records it.
  IssuedCertificate finish(X509* cert, EVP_PKEY* key, const fs::path& folder, const std::string& kind,
                           const std::string& name) {
    if (X509_sign(cert, caKey.get(), EVP_sha256()) <= 0) fail("cannot sign the certificate: " + sslReason());
    makeDir(folder);
    IssuedCertificate out;
    out.certFile = (folder / "cert.pem").string();
    out.keyFile = (folder / "key.pem").string();
    out.caFile = (folder / "ca.pem").string();
    writeFile(out.keyFile, keyPem(key), 0600);
    writeFile(out.certFile, certPem(cert), 0644);
    writeFile(out.caFile, certPem(caCert.get()), 0644);
    out.record = recordOf(cert, kind, name);
    index.push_back(out.record);
    saveIndex();
    return out;
  }
};

CertificateAuthority::CertificateAuthority(std::unique_ptr<State> state) : s_(std::move(state)) {}
CertificateAuthority::CertificateAuthority(CertificateAuthority&&) noexcept = default;
CertificateAuthority& CertificateAuthority::operator=(CertificateAuthority&&) noexcept = default;
CertificateAuthority::~CertificateAuthority() = default;

std::string CertificateAuthority::dir() const { return s_->dir.string(); }
std::string CertificateAuthority::caCertFile() const { return (s_->dir / "ca.pem").string(); }
std::string CertificateAuthority::crlFile() const { return (s_->dir / "crl.pem").string(); }
std::vector<CertificateRecord> CertificateAuthority::list() const { return s_->index; }

CertificateAuthority CertificateAuthority::create(const std::string& dirText, const std::string& name,
                                                  Validity validity, KeyType keyType) {
  if (const std::string why = nameProblem(name); !why.empty()) fail("CA name '" + name + "': " + why);
  auto s = std::make_unique<State>();
  s->dir = dirText;
  std::error_code ec;
  if (fs::exists(s->dir / "ca.pem", ec) || fs::exists(s->dir / "ca.key", ec))
    fail((s->dir / "ca.pem").string() + ": a CA already exists in this folder; refusing to replace it");
  makeDir(s->dir);
  s->caKey = newKey(keyType);
  s->caCert = newCertificate(name, s->caKey.get(), validity, {});
  X509* ca = s->caCert.get();
  X509_set_issuer_name(ca, X509_get_subject_name(ca));
  addExtension(ca, ca, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  addExtension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign");
  addExtension(ca, ca, NID_subject_key_identifier, "hash");
  if (X509_sign(ca, s->caKey.get(), EVP_sha256()) <= 0) fail("cannot sign the CA certificate: " + sslReason());
  writeFile(s->dir / "ca.key", keyPem(s->caKey.get()), 0600);
  writeFile(s->dir / "ca.pem", certPem(ca), 0644);
  s->index.push_back(recordOf(ca, "ca", name));
  s->saveIndex();
  CertificateAuthority authority(std::move(s));
  authority.writeCrl();
  return authority;
}

CertificateAuthority CertificateAuthority::open(const std::string& dirText) {
  auto s = std::make_unique<State>();
  s->dir = dirText;
  const fs::path certFile = s->dir / "ca.pem", keyFile = s->dir / "ca.key";
  std::error_code ec;
  if (!fs::exists(certFile, ec)) fail(certFile.string() + ": missing (create the CA with 'certs init')");
  const std::string pem = readFile(certFile);
  BioPtr certBio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  s->caCert.reset(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
  if (!s->caCert) fail(certFile.string() + ": not a PEM certificate");
  struct stat st {};
  if (::stat(keyFile.c_str(), &st) != 0) fail(keyFile.string() + ": missing (" + std::strerror(errno) + ")");
  if (st.st_mode & 077) fail(keyFile.string() + ": the private key is readable by other users; run chmod 600 on it");
  const std::string keyText = readFile(keyFile);
  BioPtr keyBio(BIO_new_mem_buf(keyText.data(), int(keyText.size())));
  s->caKey.reset(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
  if (!s->caKey) fail(keyFile.string() + ": not a PEM private key");
  if (X509_check_private_key(s->caCert.get(), s->caKey.get()) != 1)
    fail(keyFile.string() + ": the key does not match " + certFile.string());
  ERR_clear_error();
  s->index = parseIndex(s->indexFile());
  return CertificateAuthority(std::move(s));
}

IssuedCertificate CertificateAuthority::issueCoordinator(const std::vector<std::string>& hosts, Validity validity) {
  if (hosts.empty()) fail("the coordinator certificate needs at least one host name or IP address");
  std::string san;
  for (const auto& h : hosts) {
    if (const std::string why = hostProblem(h); !why.empty()) fail("host '" + h + "': " + why);
    san += (san.empty() ? "" : ",") + std::string(isIpAddress(h) ? "IP:" : "DNS:") + h;
  }
  KeyPtr key = newKey(KeyType::EcP256);
  X509Ptr cert = newCertificate(hosts.front(), key.get(), validity, s_->serials());
  X509_set_issuer_name(cert.get(), X509_get_subject_name(s_->caCert.get()));
  addExtension(cert.get(), s_->caCert.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(cert.get(), s_->caCert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  addExtension(cert.get(), s_->caCert.get(), NID_ext_key_usage, "serverAuth");
  addExtension(cert.get(), s_->caCert.get(), NID_subject_alt_name, san);
  addExtension(cert.get(), s_->caCert.get(), NID_authority_key_identifier, "keyid:always");
  return s_->finish(cert.get(), key.get(), s_->dir / "coordinator", "coordinator", hosts.front());
}

IssuedCertificate CertificateAuthority::issueSite(const std::string& siteId, Validity validity, KeyType keyType) {
  if (const std::string why = nameProblem(siteId); !why.empty()) fail("site id '" + siteId + "': " + why);
  const int64_t now = int64_t(std::time(nullptr));
  // A renewal when the site holds a certificate: the coordinator tells it from the older one by its later
  // notBefore (site_admission.h), so it starts at least a second after every earlier one of the site.
  // (Renewed within the second of the previous one, it becomes valid up to a second later.)
  if (!validity.startUnix) {
    int64_t start = now;
    for (const auto& r : s_->index)
      if (r.kind == "site" && r.name == siteId) start = std::max(start, r.notBefore + 1);
    if (start != now) validity.startUnix = start;
  }
  KeyPtr key = newKey(keyType);
  X509Ptr cert = newCertificate(siteId, key.get(), validity, s_->serials());
  X509_set_issuer_name(cert.get(), X509_get_subject_name(s_->caCert.get()));
  addExtension(cert.get(), s_->caCert.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(cert.get(), s_->caCert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  addExtension(cert.get(), s_->caCert.get(), NID_ext_key_usage, "clientAuth");
  addExtension(cert.get(), s_->caCert.get(), NID_authority_key_identifier, "keyid:always");
  return s_->finish(cert.get(), key.get(), s_->dir / "sites" / siteId, "site", siteId);
}

std::vector<CertificateRecord> CertificateAuthority::revoke(const std::string& serialOrSiteId) {
  std::string wanted = serialOrSiteId;
  for (char& c : wanted) c = char(std::tolower(static_cast<unsigned char>(c)));
  std::vector<CertificateRecord*> hits;
  for (auto& r : s_->index)
    if (r.kind != "ca" && r.serial == wanted) hits.push_back(&r);
  if (hits.empty())
    for (auto& r : s_->index)
      if (r.kind == "site" && r.name == serialOrSiteId && !r.revoked) hits.push_back(&r);
  if (hits.empty())
    fail("no certificate with serial or live site id '" + serialOrSiteId + "' in " + s_->indexFile().string());
  const int64_t now = int64_t(std::time(nullptr));
  std::vector<CertificateRecord> out;
  for (auto* r : hits) {
    if (!r->revoked) {
      r->revoked = true;
      r->revokedAt = now;
    }
    out.push_back(*r);
  }
  s_->saveIndex();
  writeCrl();
  return out;
}

void CertificateAuthority::writeCrl(int days) {
  CrlPtr crl(X509_CRL_new());
  if (!crl) fail("cannot make a CRL: " + sslReason());
  X509_CRL_set_version(crl.get(), 1);  // v2
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(s_->caCert.get()));
  const time_t now = std::time(nullptr);
  ASN1_TIME* last = ASN1_TIME_set(nullptr, now);
  ASN1_TIME* next = ASN1_TIME_set(nullptr, now + time_t(days) * 86400);
  X509_CRL_set1_lastUpdate(crl.get(), last);
  X509_CRL_set1_nextUpdate(crl.get(), next);
  ASN1_TIME_free(last);
  ASN1_TIME_free(next);
  for (const auto& r : s_->index) {
    if (!r.revoked) continue;
    BIGNUM* bn = nullptr;
    if (BN_hex2bn(&bn, r.serial.c_str()) == 0)
      fail(s_->indexFile().string() + ": serial '" + r.serial + "' is not hex");
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_TIME* when = ASN1_TIME_set(nullptr, time_t(r.revokedAt));
    X509_REVOKED_set_serialNumber(entry, serial);
    X509_REVOKED_set_revocationDate(entry, when);
    ASN1_INTEGER_free(serial);
    ASN1_TIME_free(when);
    X509_CRL_add0_revoked(crl.get(), entry);
  }
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), s_->caKey.get(), EVP_sha256()) <= 0) fail("cannot sign the CRL: " + sslReason());
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_CRL(bio.get(), crl.get()) != 1) fail("cannot encode the CRL: " + sslReason());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  writeFile(crlFile(), std::string(data, size_t(n)), 0644);
}

}  // namespace fedmrg::coordinator

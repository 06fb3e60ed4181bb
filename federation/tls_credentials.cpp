#include "federation/tls_credentials.h"

#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace fedmrg::federation {

namespace {

[[noreturn]] void fail(const std::string& file, const std::string& why) { throw TlsConfigError(file + ": " + why); }

// Present, readable, and holding a PEM block of `label` ("CERTIFICATE", "PRIVATE KEY"); the text.
std::string readPemFile(const std::string& path, const char* what, const char* label) {
  if (path.empty()) throw TlsConfigError(std::string("no ") + what + " file given");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail(path, std::string(what) + " file missing (" + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode)) fail(path, std::string(what) + " file is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string(what) + " file unreadable (" + std::strerror(errno) + ")");
  std::ostringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  if (text.find("-----BEGIN ") == std::string::npos || text.find(label) == std::string::npos)
    fail(path, std::string("not PEM: expected a ") + what + " between '-----BEGIN ...' lines");
  return text;
}

X509* parseCert(const std::string& pem, const std::string& path, const char* what) {
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  ERR_clear_error();
  if (!cert) fail(path, std::string("not PEM: the ") + what + " does not parse as an X.509 certificate");
  return cert;
}

std::string dateText(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return "?";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

// Checks the certificate against the CA at `nowUnix`, for `role`; names the failing file and the reason.
void verifyChain(X509* ca, X509* cert, const TlsFiles& files, TlsRole role, int64_t nowUnix) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX_init(ctx, store, cert, nullptr);
  X509_STORE_CTX_set_purpose(ctx, role == TlsRole::Server ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT);
  if (nowUnix) X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), time_t(nowUnix));
  const bool ok = X509_verify_cert(ctx) == 1;
  const int error = X509_STORE_CTX_get_error(ctx);
  const int depth = X509_STORE_CTX_get_error_depth(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  ERR_clear_error();
  if (ok) return;
  // Depth 0 is the certificate itself; anything above is the CA.
  const std::string& file = depth == 0 ? files.certFile : files.caCertFile;
  X509* bad = depth == 0 ? cert : ca;
  switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED: fail(file, "the certificate expired on " + dateText(X509_get0_notAfter(bad)));
    case X509_V_ERR_CERT_NOT_YET_VALID:
      fail(file, "the certificate is not valid before " + dateText(X509_get0_notBefore(bad)));
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      fail(files.certFile, "the certificate is not signed by the consortium CA of " + files.caCertFile);
    case X509_V_ERR_INVALID_PURPOSE:
      fail(files.certFile,
           std::string("the certificate is not meant for a TLS ") +
               (role == TlsRole::Server ? "server (no serverAuth usage)" : "client (no clientAuth usage)"));
    default: fail(file, std::string("the certificate does not verify: ") + X509_verify_cert_error_string(error));
  }
}

// The host part of a listen address or channel target, without scheme, brackets or port.
std::string hostOf(std::string a) {
  for (const char* scheme : {"ipv4:", "ipv6:", "dns:"}) {
    if (a.rfind(scheme, 0) == 0) {
      a = a.substr(std::strlen(scheme));
      break;
    }
  }
  if (a.rfind("//", 0) == 0) {  // "dns://authority/host:port"
    const size_t slash = a.find('/', 2);
    a = slash == std::string::npos ? std::string() : a.substr(slash + 1);
  }
  if (!a.empty() && a.front() == '[') {
    const size_t close = a.find(']');
    return close == std::string::npos ? std::string() : a.substr(1, close - 1);
  }
  const size_t colons = size_t(std::count(a.begin(), a.end(), ':'));
  if (colons > 1) return a;  // a bare IPv6 address without a port
  return colons == 1 ? a.substr(0, a.find(':')) : a;
}

}  // namespace

TlsMaterial loadTlsMaterial(const TlsFiles& files, TlsRole role, int64_t nowUnix) {
  TlsMaterial m;
  m.caPem = readPemFile(files.caCertFile, "CA certificate", "CERTIFICATE");
  m.certPem = readPemFile(files.certFile, "certificate", "CERTIFICATE");
  struct stat st {};
  if (::stat(files.keyFile.c_str(), &st) == 0 && (st.st_mode & 077)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
    fail(files.keyFile, std::string("the private key is readable by other users (mode ") + mode +
                            "); run chmod 600 on it, and consider it exposed if others could log in");
  }
  m.keyPem = readPemFile(files.keyFile, "private key", "PRIVATE KEY");

  X509* ca = parseCert(m.caPem, files.caCertFile, "CA certificate");
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  try {
    cert = parseCert(m.certPem, files.certFile, "certificate");
    BIO* bio = BIO_new_mem_buf(m.keyPem.data(), int(m.keyPem.size()));
    key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    ERR_clear_error();
    if (!key) fail(files.keyFile, "not PEM: the private key does not parse (or is encrypted with a passphrase)");
    if (X509_check_private_key(cert, key) != 1) {
      ERR_clear_error();
      fail(files.keyFile, "the key does not match the certificate " + files.certFile);
    }
    verifyChain(ca, cert, files, role, nowUnix);
  } catch (...) {
    EVP_PKEY_free(key);
    X509_free(cert);
    X509_free(ca);
    throw;
  }
  EVP_PKEY_free(key);
  X509_free(cert);
  X509_free(ca);
  return m;
}

std::shared_ptr<grpc::ServerCredentials> mutualTlsServerCredentials(const TlsFiles& files) {
  const TlsMaterial m = loadTlsMaterial(files, TlsRole::Server);
  grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = m.caPem;
  options.pem_key_cert_pairs.push_back({m.keyPem, m.certPem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> mutualTlsChannelCredentials(const TlsFiles& files) {
  const TlsMaterial m = loadTlsMaterial(files, TlsRole::Client);
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = m.caPem;
  options.pem_private_key = m.keyPem;
  options.pem_cert_chain = m.certPem;
  return grpc::SslCredentials(options);
}

grpc::ChannelArguments coordinatorNameArguments(const std::string& coordinatorName) {
  grpc::ChannelArguments args;
  if (!coordinatorName.empty()) args.SetSslTargetNameOverride(coordinatorName);
  return args;
}

bool isLoopbackAddress(const std::string& address) {
  if (address.rfind("unix:", 0) == 0 || address.rfind("unix-abstract:", 0) == 0) return true;  // never leaves the host
  std::string host = hostOf(address);
  for (char& c : host) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

std::string plaintextRefusal(const std::string& address, bool insecureFlag) {
  if (!insecureFlag)
    return "plaintext on '" + address + "' refused: give the TLS files, or the explicit insecure-loopback flag";
  if (!isLoopbackAddress(address))
    return "plaintext on '" + address +
           "' refused: it is not a loopback address (127.0.0.1, ::1, localhost), so other machines could "
           "reach it; use mutual TLS";
  return {};
}

std::shared_ptr<grpc::ServerCredentials> insecureLoopbackServerCredentials(const std::string& listenAddress,
                                                                           bool insecureFlag) {
  if (const std::string why = plaintextRefusal(listenAddress, insecureFlag); !why.empty()) throw TlsConfigError(why);
  return grpc::InsecureServerCredentials();
}

std::shared_ptr<grpc::ChannelCredentials> insecureLoopbackChannelCredentials(const std::string& target,
                                                                             bool insecureFlag) {
  if (const std::string why = plaintextRefusal(target, insecureFlag); !why.empty()) throw TlsConfigError(why);
  return grpc::InsecureChannelCredentials();
}

namespace {

void refuseAmbiguity(const TlsFiles& files, bool insecureLoopback) {
  if (insecureLoopback && !(files.caCertFile.empty() && files.certFile.empty() && files.keyFile.empty()))
    throw TlsConfigError("both TLS files and the insecure-loopback flag were given; choose one");
}

}  // namespace

std::shared_ptr<grpc::ServerCredentials> coordinatorCredentials(const std::string& listenAddress, const TlsFiles& files,
                                                                bool insecureLoopback) {
  refuseAmbiguity(files, insecureLoopback);
  return insecureLoopback ? insecureLoopbackServerCredentials(listenAddress, true) : mutualTlsServerCredentials(files);
}

std::shared_ptr<grpc::ChannelCredentials> siteCredentials(const std::string& target, const TlsFiles& files,
                                                          bool insecureLoopback) {
  refuseAmbiguity(files, insecureLoopback);
  return insecureLoopback ? insecureLoopbackChannelCredentials(target, true) : mutualTlsChannelCredentials(files);
}

}  // namespace fedmrg::federation

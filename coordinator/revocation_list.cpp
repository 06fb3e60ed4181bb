#include "coordinator/revocation_list.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "federation/peer_identity.h"

namespace fedmrg::coordinator {

namespace {

std::string readPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RevocationError(path + ": cannot read (" + std::strerror(errno) + ")");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

RevocationList RevocationList::load(const std::string& crlFile, const std::string& caCertFile) {
  const std::string crlText = readPem(crlFile), caText = readPem(caCertFile);
  BIO* bio = BIO_new_mem_buf(crlText.data(), int(crlText.size()));
  X509_CRL* crl = bio ? PEM_read_bio_X509_CRL(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  bio = BIO_new_mem_buf(caText.data(), int(caText.size()));
  X509* ca = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  ERR_clear_error();
  std::string problem;
  if (!crl) problem = crlFile + ": not a PEM certificate revocation list";
  else if (!ca) problem = caCertFile + ": not a PEM certificate";
  else if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca)) != 0)
    problem = crlFile + ": not issued by the consortium CA of " + caCertFile;
  else if (X509_CRL_verify(crl, X509_get0_pubkey(ca)) != 1)
    problem = crlFile + ": its signature does not verify with the CA of " + caCertFile;
  RevocationList out;
  if (problem.empty()) {
    const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i)
      out.serials_.insert(federation::serialHex(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
    struct tm tm {};
    if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl); next && ASN1_TIME_to_tm(next, &tm) == 1)
      out.nextUpdate_ = int64_t(timegm(&tm));
  }
  X509_CRL_free(crl);
  X509_free(ca);
  ERR_clear_error();
  if (!problem.empty()) throw RevocationError(problem);
  return out;
}

}  // namespace fedmrg::coordinator

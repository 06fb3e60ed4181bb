#include "app/programs/coordinator_certs.h"

#include <ctime>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "coordinator/certificate_authority.h"

using fedmrg::coordinator::CaError;
using fedmrg::coordinator::CertificateAuthority;
using fedmrg::coordinator::CertificateRecord;
using fedmrg::coordinator::IssuedCertificate;
using fedmrg::coordinator::KeyType;
using fedmrg::coordinator::Validity;

namespace {

const char* kUsage =
    "usage: fedmrg-coordinator certs COMMAND --dir DIR [options]\n\n"
    "The consortium's certificate authority, kept in DIR (its private key ca.key never leaves it).\n\n"
    "commands:\n"
    "  init               create the CA: --name NAME [--days N (3650)] [--key ec|rsa (ec: P-256; rsa: 3072)]\n"
    "  issue-coordinator  the coordinator's server certificate: --host HOST (repeatable: every DNS name or IP\n"
    "                     address sites will connect to) [--days N (365)]; written to DIR/coordinator/\n"
    "  issue-site         a site's client certificate, CN = the site id: --site ID [--days N (365)]\n"
    "                     [--key ec|rsa]; written to DIR/sites/ID/ (cert.pem, key.pem, ca.pem: hand that\n"
    "                     folder to the site over a secure channel). For a site that has one: a renewal,\n"
    "                     taken by the coordinator for the same site; then revoke the old one by --serial\n"
    "  revoke             --site ID (all its live certificates) or --serial HEX (one); rewrites DIR/crl.pem,\n"
    "                     which the coordinator re-reads on the next call\n"
    "  list               every certificate issued, with its serial, status, expiry and fingerprint\n";

int usageError(const std::string& why) {
  std::cerr << "fedmrg-coordinator certs: " << why << " (see 'fedmrg-coordinator certs --help')\n";
  return 2;
}

std::string dateOf(int64_t unix) {
  const time_t t = time_t(unix);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

void printIssued(const char* what, const IssuedCertificate& c) {
  std::cout << "issued " << what << " '" << c.record.name << "': serial " << c.record.serial << ", valid until "
            << dateOf(c.record.notAfter) << "\n"
            << "  fingerprint (SHA-256): " << c.record.fingerprint << "\n"
            << "  certificate:    " << c.certFile << "\n"
            << "  private key:    " << c.keyFile << " (mode 0600; never send it by e-mail)\n"
            << "  CA certificate: " << c.caFile << "\n";
}

struct Args {
  std::string command;
  std::map<std::string, std::vector<std::string>> values;
  std::string one(const std::string& key) const {
    const auto it = values.find(key);
    return it == values.end() ? std::string() : it->second.back();
  }
};

}  // namespace

int runCertsCommand(int argc, char** argv) {
  if (argc < 2) return usageError("no command given");
  Args args;
  args.command = argv[1];
  if (args.command == "--help" || args.command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  const std::map<std::string, std::vector<std::string>> allowed = {
      {"init", {"--dir", "--name", "--days", "--key"}},
      {"issue-coordinator", {"--dir", "--host", "--days"}},
      {"issue-site", {"--dir", "--site", "--days", "--key"}},
      {"revoke", {"--dir", "--site", "--serial"}},
      {"list", {"--dir"}},
  };
  const auto known = allowed.find(args.command);
  if (known == allowed.end()) return usageError("unknown command '" + args.command + "'");
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    bool ok = false;
    for (const auto& o : known->second) ok = ok || o == a;
    if (!ok) return usageError("'" + a + "' is not an option of '" + args.command + "'");
    if (i + 1 >= argc) return usageError(a + " needs a value");
    args.values[a].push_back(argv[++i]);
  }
  const std::string dir = args.one("--dir");
  if (dir.empty()) return usageError("--dir DIR is required");

  int days = args.command == "init" ? 3650 : 365;
  if (const std::string d = args.one("--days"); !d.empty()) {
    size_t used = 0;
    try {
      days = std::stoi(d, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != d.size() || days < 1 || days > 36500)
      return usageError("--days must be a whole number from 1 to 36500");
  }
  KeyType keyType = KeyType::EcP256;
  if (const std::string k = args.one("--key"); !k.empty()) {
    if (k == "rsa") keyType = KeyType::Rsa3072;
    else if (k != "ec") return usageError("--key must be 'ec' or 'rsa'");
  }

  // What each command needs, checked before the CA is opened.
  if (args.command == "init" && args.one("--name").empty()) return usageError("init needs --name NAME");
  if (args.command == "issue-coordinator" && !args.values.count("--host"))
    return usageError("issue-coordinator needs --host HOST");
  if (args.command == "issue-site" && args.one("--site").empty()) return usageError("issue-site needs --site ID");
  if (args.command == "revoke" && args.one("--site").empty() == args.one("--serial").empty())
    return usageError("revoke needs either --site ID or --serial HEX");

  try {
    if (args.command == "init") {
      const std::string name = args.one("--name");
      auto ca = CertificateAuthority::create(dir, name, Validity{0, days}, keyType);
      const CertificateRecord r = ca.list().front();
      std::cout << "created the consortium CA '" << name << "' in " << ca.dir() << ", valid until "
                << dateOf(r.notAfter) << "\n"
                << "  fingerprint (SHA-256): " << r.fingerprint << "\n"
                << "  CA certificate: " << ca.caCertFile() << "\n"
                << "  revocation list: " << ca.crlFile() << "\n";
      return 0;
    }
    auto ca = CertificateAuthority::open(dir);
    if (args.command == "issue-coordinator") {
      printIssued("the coordinator certificate for", ca.issueCoordinator(args.values["--host"], Validity{0, days}));
    } else if (args.command == "issue-site") {
      const std::string site = args.one("--site");
      std::vector<std::string> previous;  // the site's live certificates: this issue renews them
      const int64_t now = int64_t(std::time(nullptr));
      for (const auto& r : ca.list())
        if (r.kind == "site" && r.name == site && !r.revoked && r.notAfter > now) previous.push_back(r.serial);
      const IssuedCertificate issued = ca.issueSite(site, Validity{0, days}, keyType);
      printIssued(previous.empty() ? "the site certificate for" : "a renewed site certificate for", issued);
      for (const auto& serial : previous)
        std::cout << "  renews serial " << serial << ": the coordinator takes the renewed certificate for the same "
                  << "site; once the site uses it, revoke the old one:\n"
                  << "    fedmrg-coordinator certs revoke --dir " << dir << " --serial " << serial << "\n";
    } else if (args.command == "revoke") {
      const std::string site = args.one("--site"), serial = args.one("--serial");
      for (const auto& r : ca.revoke(site.empty() ? serial : site))
        std::cout << "revoked " << r.kind << " '" << r.name << "' serial " << r.serial << "\n";
      std::cout << "revocation list: " << ca.crlFile() << "\n";
    } else {
      std::cout << "serial\tkind\tname\tstatus\tvalid until\tfingerprint (SHA-256)\n";
      const int64_t now = int64_t(std::time(nullptr));
      for (const auto& r : ca.list()) {
        const char* status = r.revoked ? "revoked" : (r.notAfter <= now ? "expired" : "valid");
        std::cout << r.serial << "\t" << r.kind << "\t" << r.name << "\t" << status << "\t" << dateOf(r.notAfter)
                  << "\t" << r.fingerprint << "\n";
      }
    }
  } catch (const CaError& e) {
    std::cerr << "fedmrg-coordinator certs " << args.command << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

#pragma once
// The site administrator's federation settings (docs/workstation.md, "Federation panel"): the coordinator's
// address, the site's TLS files (checked on import, kept in <site>/federation/ with mode 0600), joining and
// leaving, whether the site takes part in every round or approves each one, the hours it may train and sync, a
// bandwidth cap and whether it requires central differential privacy; the test of the connection (a real
// GetStatus over mutual TLS) and the status the panel shows (rounds with their bytes, model versions' scores).
// Kept in the site store (migration 013); every change is audit-logged.
#include <QString>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/site/user_directory.h"

namespace fedmrg::app {

class Site;

// A setting or file that cannot be used; what() names the field or file and the reason.
class FederationSettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Who may change the federation: administrators. Kept in one function so that the role model can change in
// one place (users with a set of roles). Empty when `user` may; otherwise the refusal, naming the role.
std::string federationAdminRefusal(Site& site, const User& user);

enum class Participation { EveryRound, ApproveEach };

struct FederationSettings {
  std::string coordinator;  // host:port
  bool joined = false;
  Participation participation = Participation::ApproveEach;
  int windowStart = 0, windowEnd = 24;  // local hours [start, end) the site may train and sync; start > end wraps
  int bandwidthKbps = 0;                // upload and download cap; 0: none
  bool requireDp = false;               // take part only in rounds with central DP
};

// What an imported certificate says, for the panel.
struct CertificateSummary {
  std::string subject;        // the site id (the certificate's common name)
  int64_t notAfter = 0;       // Unix seconds
  std::string caFingerprint;  // SHA-256 of the CA certificate, hex
  bool present() const { return !subject.empty(); }
};

// The last answer of the coordinator, kept so that the panel shows it without a call.
struct CoordinatorSnapshot {
  std::string at;  // when it was asked (ISO 8601 UTC); empty: never
  uint64_t round = 0;
  std::string phase;
  uint64_t globalVersion = 0;
  bool centralDp = false;
};

struct RoundTraffic {
  uint64_t round = 0;
  uint64_t bytesUp = 0, bytesDown = 0;
  std::string status;
  bool approved = false;
};

// The outcome of "Test connection".
struct ConnectionTest {
  bool ok = false;
  std::string message;  // "Connected to ...: round 3 (open), global version 2" or the reason it failed
  CoordinatorSnapshot snapshot;
};

class FederationSettingsStore {
 public:
  // `userId`: who acts, for the audit log.
  FederationSettingsStore(Site& site, int64_t userId) : site_(site), userId_(userId) {}

  FederationSettings load();
  // Checks every field (address host:port with a port 1..65535, hours 0..24, a cap of 0 or more) and throws
  // FederationSettingsError naming the first bad one; nothing is stored then.
  void save(const FederationSettings& settings);
  static std::string problem(const FederationSettings& settings);

  // Checks the three files with OpenSSL (each present and PEM, the key matching the certificate, the
  // certificate signed by the CA, valid now and meant for a client) and keeps copies in <site>/federation/
  // (mode 0600). Throws FederationSettingsError naming the file and the reason; the files kept before stay.
  CertificateSummary importCertificates(const QString& caFile, const QString& certFile, const QString& keyFile);
  CertificateSummary certificate();
  QString caFile() const;
  QString certFile() const;
  QString keyFile() const;

  // A real GetStatus over mutual TLS with the imported files (blocks up to `timeoutSeconds`: call it off the
  // GUI thread). A successful answer is kept as the last sync.
  ConnectionTest testConnection(int timeoutSeconds = 10);
  // Join: a real Join call, then `joined` is stored. Leave: stored only (the coordinator keeps the site's
  // registration; the site stops asking for tasks). Throw FederationSettingsError with the coordinator's reason.
  void join(int timeoutSeconds = 10);
  void leave();

  CoordinatorSnapshot lastSnapshot();
  // The rounds the site took part in, oldest first (federation_rounds).
  std::vector<RoundTraffic> rounds();
  // Approves round `round` for a site that approves each round (audit-logged).
  void approveRound(uint64_t round);

  // For the federation loop: why the site does not take part in `round` now (not joined, not approved, outside
  // its hours at `localHour`, central DP required but off), empty when it may. `approval` false: whether it may
  // sync (download global versions) now, which needs no approval.
  std::string notTakingPart(uint64_t round, int localHour, bool coordinatorDp, bool approval = true);
  // For the federation loop: records a round's outcome and its protocol bytes (the panel's chart).
  void recordRound(uint64_t round, uint64_t baseVersion, uint64_t bytesUp, uint64_t bytesDown,
                   const std::string& status);
  // For the federation loop: keeps the coordinator's latest answer as the last sync.
  void storeSnapshot(const CoordinatorSnapshot& s);

 private:
  Site& site_;
  int64_t userId_;
};

const char* participationName(Participation p);  // "every", "approve"

}  // namespace fedmrg::app

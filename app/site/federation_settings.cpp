#include "app/site/federation_settings.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <ctime>
#include <memory>

#include "app/site/role_rules.h"
#include "app/site/site.h"
#include "federation/peer_identity.h"
#include "federation/site_client.h"
#include "federation/tls_credentials.h"

namespace fedmrg::app {
namespace {

// The files as kept in the site folder, and the names they are checked under while being imported.
constexpr const char* kCa = "ca.pem";
constexpr const char* kCert = "site.pem";
constexpr const char* kKey = "site.key";

CertificateSummary summarize(const std::string& certPem, const std::string& caPem) {
  CertificateSummary s;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(certPem.data(), int(certPem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return s;
  char cn[256] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn) > 0) s.subject = cn;
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &tm) == 1) s.notAfter = int64_t(timegm(&tm));
  s.caFingerprint = federation::certificateFingerprint(caPem);
  return s;
}

// "host:port" with a port 1..65535 (an IPv6 host in brackets).
bool validAddress(const std::string& a) {
  static const QRegularExpression re(QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9.-]*):([0-9]{1,5})$"));
  const auto m = re.match(QString::fromStdString(a));
  if (!m.hasMatch()) return false;
  const int port = m.captured(2).toInt();
  return port >= 1 && port <= 65535;
}

std::string hoursText(const FederationSettings& s) {
  return std::to_string(s.windowStart) + "-" + std::to_string(s.windowEnd);
}

}  // namespace

const char* participationName(Participation p) { return p == Participation::EveryRound ? "every" : "approve"; }

std::string federationAdminRefusal(Site& site, const User& user) {
  // The stored roles, not those the session started with: a demotion takes effect at once.
  return roleRefusal(UserDirectory(site).find(user.id), Role::Admin, "Changing the federation settings");
}

QString FederationSettingsStore::caFile() const {
  return QDir(site_.dir()).filePath(QStringLiteral("federation/") + kCa);
}
QString FederationSettingsStore::certFile() const {
  return QDir(site_.dir()).filePath(QStringLiteral("federation/") + kCert);
}
QString FederationSettingsStore::keyFile() const {
  return QDir(site_.dir()).filePath(QStringLiteral("federation/") + kKey);
}

FederationSettings FederationSettingsStore::load() {
  auto st = site_.store().prepare(
      "SELECT coordinator, joined, participation, window_start, window_end, bandwidth_kbps, require_dp "
      "FROM federation_settings WHERE id = 1");
  FederationSettings s;
  if (!st.step()) return s;
  s.coordinator = st.text(0);
  s.joined = st.int64(1) != 0;
  s.participation = st.text(2) == "every" ? Participation::EveryRound : Participation::ApproveEach;
  s.windowStart = int(st.int64(3));
  s.windowEnd = int(st.int64(4));
  s.bandwidthKbps = int(st.int64(5));
  s.requireDp = st.int64(6) != 0;
  return s;
}

std::string FederationSettingsStore::problem(const FederationSettings& s) {
  if (!s.coordinator.empty() && !validAddress(s.coordinator))
    return "Coordinator address '" + s.coordinator + "': expected host:port with a port from 1 to 65535";
  if (s.windowStart < 0 || s.windowStart > 23) return "Schedule: the first hour must be from 0 to 23";
  if (s.windowEnd < 1 || s.windowEnd > 24) return "Schedule: the last hour must be from 1 to 24";
  if (s.windowStart == s.windowEnd) return "Schedule: the first and last hour are the same (no time to train)";
  if (s.bandwidthKbps < 0) return "Bandwidth cap: must be 0 (no cap) or more kbit/s";
  return {};
}

void FederationSettingsStore::save(const FederationSettings& s) {
  if (const std::string why = problem(s); !why.empty()) throw FederationSettingsError(why);
  site_.store()
      .prepare(
          "UPDATE federation_settings SET coordinator = ?, participation = ?, window_start = ?, window_end = ?, "
          "bandwidth_kbps = ?, require_dp = ? WHERE id = 1")
      .bind(1, s.coordinator)
      .bind(2, participationName(s.participation))
      .bind(3, s.windowStart)
      .bind(4, s.windowEnd)
      .bind(5, s.bandwidthKbps)
      .bind(6, s.requireDp ? 1 : 0)
      .run();
  site_.audit(userId_, "federation settings changed", 0,
              "coordinator " + s.coordinator + ", rounds " + participationName(s.participation) + ", hours " +
                  hoursText(s) + ", cap " + std::to_string(s.bandwidthKbps) + " kbit/s, DP " +
                  (s.requireDp ? "required" : "as the coordinator runs it"));
}

CertificateSummary FederationSettingsStore::importCertificates(const QString& ca, const QString& cert,
                                                               const QString& key) {
  const QString given[3] = {ca, cert, key};
  const char* what[3] = {"CA certificate", "site certificate", "site private key"};
  for (int i = 0; i < 3; ++i) {
    if (given[i].isEmpty()) throw FederationSettingsError(std::string("No ") + what[i] + " file chosen");
    if (!QFileInfo(given[i]).isFile())
      throw FederationSettingsError(given[i].toStdString() + ": no such " + what[i] + " file");
  }
  const QString dir = QDir(site_.dir()).filePath(QStringLiteral("federation"));
  if (!QDir().mkpath(dir)) throw FederationSettingsError(dir.toStdString() + ": cannot be created");
  ::chmod(QFile::encodeName(dir).constData(), 0700);
  // Checked as private copies (0600), so that a key the user keeps readable by others can still be imported,
  // and only then put in place: a refused import leaves the files kept before as they were.
  const QString staged[3] = {QDir(dir).filePath(".import-ca.pem"), QDir(dir).filePath(".import-site.pem"),
                             QDir(dir).filePath(".import-site.key")};
  auto clean = [&] {
    for (const auto& s : staged) QFile::remove(s);
  };
  clean();
  for (int i = 0; i < 3; ++i) {
    if (!QFile::copy(given[i], staged[i])) {
      clean();
      throw FederationSettingsError(given[i].toStdString() + ": cannot be read");
    }
    QFile::setPermissions(staged[i], QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  }
  federation::TlsMaterial material;
  try {
    material = federation::loadTlsMaterial({staged[0].toStdString(), staged[1].toStdString(), staged[2].toStdString()},
                                           federation::TlsRole::Client);
  } catch (const federation::TlsConfigError& e) {
    clean();
    std::string why = e.what();  // names the staged copies: name the user's files instead
    for (int i = 0; i < 3; ++i)
      for (size_t at; (at = why.find(staged[i].toStdString())) != std::string::npos;)
        why.replace(at, size_t(staged[i].size()), given[i].toStdString());
    throw FederationSettingsError(why);
  }
  const QString kept[3] = {caFile(), certFile(), keyFile()};
  for (int i = 0; i < 3; ++i) {
    QFile::remove(kept[i]);
    if (!QFile::rename(staged[i], kept[i])) {
      clean();
      throw FederationSettingsError(kept[i].toStdString() + ": cannot be written");
    }
  }
  const CertificateSummary s = summarize(material.certPem, material.caPem);
  site_.store()
      .prepare("UPDATE federation_settings SET ca_fingerprint = ?, cert_subject = ?, cert_not_after = ? WHERE id = 1")
      .bind(1, s.caFingerprint)
      .bind(2, s.subject)
      .bind(3, s.notAfter)
      .run();
  site_.audit(userId_, "federation certificates imported", 0,
              "site " + s.subject + ", CA sha256:" + s.caFingerprint.substr(0, 16));
  return s;
}

CertificateSummary FederationSettingsStore::certificate() {
  auto st = site_.store().prepare(
      "SELECT cert_subject, cert_not_after, ca_fingerprint FROM federation_settings WHERE id = 1");
  CertificateSummary s;
  if (st.step()) s = {st.text(0), st.int64(1), st.text(2)};
  return s;
}

ConnectionTest FederationSettingsStore::testConnection(int timeoutSeconds) {
  const FederationSettings s = load();
  ConnectionTest t;
  if (s.coordinator.empty()) {
    t.message = "No coordinator address set";
    return t;
  }
  if (!certificate().present()) {
    t.message = "No certificates imported: import the CA certificate, the site certificate and its key first";
    return t;
  }
  federation::CoordinatorStatus status;
  federation::CallResult r;
  try {
    const auto credentials = federation::mutualTlsChannelCredentials(
        {caFile().toStdString(), certFile().toStdString(), keyFile().toStdString()});
    r = federation::coordinatorStatus(s.coordinator, credentials, {}, status, timeoutSeconds);
  } catch (const federation::TlsConfigError& e) {
    t.message = e.what();
    return t;
  }
  if (!r.ok) {
    t.message = "No answer from " + s.coordinator + ": " + r.reason;
  } else {
    t.ok = true;
    t.snapshot = {nowUtc(), status.round, status.phase, status.globalVersion, status.centralDp};
    t.message = "Connected to " + s.coordinator + ": round " + std::to_string(status.round) + " (" + status.phase +
                "), global version " + std::to_string(status.globalVersion) + ", " + status.strategy +
                (status.centralDp ? ", central DP on" : ", central DP off");
    storeSnapshot(t.snapshot);
  }
  site_.audit(userId_, "federation connection tested", 0, t.ok ? "connected" : "failed");
  return t;
}

void FederationSettingsStore::join(int timeoutSeconds) {
  const FederationSettings s = load();
  if (s.coordinator.empty()) throw FederationSettingsError("No coordinator address set");
  if (!certificate().present()) throw FederationSettingsError("No certificates imported");
  federation::CallResult r;
  try {
    auto transport =
        federation::grpcSiteTransport(s.coordinator,
                                      federation::mutualTlsChannelCredentials(
                                          {caFile().toStdString(), certFile().toStdString(), keyFile().toStdString()}),
                                      {}, timeoutSeconds);
    r = transport->join();
  } catch (const federation::TlsConfigError& e) {
    throw FederationSettingsError(e.what());
  }
  if (!r.ok) throw FederationSettingsError("The coordinator " + s.coordinator + " refused to join: " + r.reason);
  site_.store().exec("UPDATE federation_settings SET joined = 1 WHERE id = 1");
  site_.audit(userId_, "federation joined", 0, s.coordinator);
}

void FederationSettingsStore::leave() {
  site_.store().exec("UPDATE federation_settings SET joined = 0 WHERE id = 1");
  site_.audit(userId_, "federation left", 0, load().coordinator);
}

void FederationSettingsStore::storeSnapshot(const CoordinatorSnapshot& s) {
  site_.store()
      .prepare(
          "UPDATE federation_settings SET last_sync_at = ?, last_round = ?, last_phase = ?, last_global_version = ?, "
          "coordinator_dp = ? WHERE id = 1")
      .bind(1, s.at)
      .bind(2, int64_t(s.round))
      .bind(3, s.phase)
      .bind(4, int64_t(s.globalVersion))
      .bind(5, s.centralDp ? 1 : 0)
      .run();
}

CoordinatorSnapshot FederationSettingsStore::lastSnapshot() {
  auto st = site_.store().prepare(
      "SELECT last_sync_at, last_round, last_phase, last_global_version, coordinator_dp FROM federation_settings WHERE "
      "id = 1");
  CoordinatorSnapshot s;
  if (st.step()) s = {st.text(0), uint64_t(st.int64(1)), st.text(2), uint64_t(st.int64(3)), st.int64(4) != 0};
  return s;
}

std::vector<RoundTraffic> FederationSettingsStore::rounds() {
  std::vector<RoundTraffic> out;
  auto st = site_.store().prepare(
      "SELECT round, bytes_up, bytes_down, status, approved FROM federation_rounds ORDER BY round, id");
  while (st.step())
    out.push_back({uint64_t(st.int64(0)), uint64_t(st.int64(1)), uint64_t(st.int64(2)), st.text(3), st.int64(4) != 0});
  return out;
}

void FederationSettingsStore::approveRound(uint64_t round) {
  if (round == 0) throw FederationSettingsError("Round numbers start at 1");
  auto st = site_.store().prepare("UPDATE federation_rounds SET approved = 1 WHERE round = ?");
  st.bind(1, int64_t(round)).run();
  if (site_.store().changes() == 0)
    site_.store()
        .prepare(
            "INSERT INTO federation_rounds(round, base_version, started_at, status, approved) VALUES(?, ?, ?, "
            "'approved', 1)")
        .bind(1, int64_t(round))
        .bind(2, int64_t(round - 1))
        .bind(3, nowUtc())
        .run();
  site_.audit(userId_, "federation round approved", 0, "round " + std::to_string(round));
}

std::string FederationSettingsStore::notTakingPart(uint64_t round, int localHour, bool coordinatorDp, bool approval) {
  const FederationSettings s = load();
  if (!s.joined) return "the site has not joined the federation";
  const bool inHours = s.windowStart < s.windowEnd ? localHour >= s.windowStart && localHour < s.windowEnd
                                                   : localHour >= s.windowStart || localHour < s.windowEnd;
  if (!inHours) return "outside the site's hours (" + hoursText(s) + ")";
  if (s.requireDp && !coordinatorDp) return "the site requires central DP and the coordinator does not run it";
  if (approval && s.participation == Participation::ApproveEach) {
    auto st = site_.store().prepare("SELECT 1 FROM federation_rounds WHERE round = ? AND approved = 1");
    st.bind(1, int64_t(round));
    if (!st.step()) return "round " + std::to_string(round) + " waits for an administrator's approval";
  }
  return {};
}

void FederationSettingsStore::recordRound(uint64_t round, uint64_t baseVersion, uint64_t bytesUp, uint64_t bytesDown,
                                          const std::string& status) {
  SiteStore::Transaction tx(site_.store());
  auto update = site_.store().prepare(
      "UPDATE federation_rounds SET base_version = ?, bytes_up = ?, bytes_down = ?, status = ?, finished_at = ? "
      "WHERE round = ?");
  update.bind(1, int64_t(baseVersion))
      .bind(2, int64_t(bytesUp))
      .bind(3, int64_t(bytesDown))
      .bind(4, status)
      .bind(5, nowUtc())
      .bind(6, int64_t(round))
      .run();
  if (site_.store().changes() == 0)
    site_.store()
        .prepare(
            "INSERT INTO federation_rounds(round, base_version, started_at, finished_at, status, bytes_up, "
            "bytes_down) VALUES(?, ?, ?, ?, ?, ?, ?)")
        .bind(1, int64_t(round))
        .bind(2, int64_t(baseVersion))
        .bind(3, nowUtc())
        .bind(4, nowUtc())
        .bind(5, status)
        .bind(6, int64_t(bytesUp))
        .bind(7, int64_t(bytesDown))
        .run();
  tx.commit();
}

}  // namespace fedmrg::app

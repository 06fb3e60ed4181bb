#include "app/site/demo_federation.h"

#include <QDir>
#include <QFile>

#include "app/site/federation_settings.h"

namespace fedmrg::app {
namespace {

QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

std::string joinDemoFederation(Site& site, int64_t userId, const QString& federationDir) {
  const QDir dir(federationDir);
  const QString addressFile = dir.filePath("coordinator.address");
  const std::string address = readFile(addressFile).trimmed().toStdString();
  if (address.empty())
    throw FederationSettingsError(addressFile.toStdString() +
                                  ": missing or empty; is the demo federation running (scripts/demo-federation.sh)?");
  const QDir certs(dir.filePath(QString("ca/sites/") + kDemoFederationSite));
  const QString ca = certs.filePath("ca.pem"), cert = certs.filePath("cert.pem"), key = certs.filePath("key.pem");

  FederationSettingsStore store(site, userId);
  std::string done;
  // The same consortium as before: the imported CA and certificate are the folder's (a new demo folder has new ones).
  if (!store.certificate().present() || readFile(store.caFile()) != readFile(ca) ||
      readFile(store.certFile()) != readFile(cert)) {
    store.importCertificates(ca, cert, key);
    done += "imported the demo site's certificates; ";
  }
  FederationSettings s = store.load();
  const bool moved = s.coordinator != address;
  if (moved || s.participation != Participation::EveryRound) {
    s.coordinator = address;
    s.participation = Participation::EveryRound;
    s.joined = s.joined && !moved;
    store.save(s);
    done += "coordinator " + address + ", every round; ";
  }
  if (!s.joined) {
    store.join();
    done += "joined; ";
  }
  return done.empty() ? "already in the demo federation at " + address : done.substr(0, done.size() - 2);
}

}  // namespace fedmrg::app

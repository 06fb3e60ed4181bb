#pragma once
// Helpers of the federation integration tests: the real fedmrg-coordinator and `fedmrg-cli federate` site
// processes on 127.0.0.1 (insecure loopback mode); raw_site.h is the gRPC stub that speaks as a site.
#include <grpcpp/grpcpp.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <string>

#include "raw_site.h"

namespace fedmrg::test {

// A coordinator started from a configuration written into `dir`; `extra` lines are appended to it.
class CoordinatorProcess {
 public:
  CoordinatorProcess(const QString& dir, const QString& extra) : dir_(dir) {
    QFile f(dir + "/coordinator.conf");
    f.open(QIODevice::WriteOnly);
    f.write(QString("listen = 127.0.0.1:0\nupload_dir = %1/uploads\nmodel = %2/resources/models/default\n%3\n")
                .arg(dir, FEDMRG_SOURCE_DIR, extra)
                .toUtf8());
  }
  ~CoordinatorProcess() { stop(); }

  // Starts it (on `port`, 0: a free one) and returns the port it listens on (0 on failure).
  int start(int port = 0) {
    QStringList args{"--config", dir_ + "/coordinator.conf"};
    if (insecure_) args << "--insecure-loopback";
    if (port) args << "--listen" << QString("127.0.0.1:%1").arg(port);
    p_ = std::make_unique<QProcess>();
    p_->setProcessChannelMode(QProcess::SeparateChannels);
    // The log goes to a file: a pipe would need an event loop to be drained while the test waits on sites.
    p_->setStandardErrorFile(dir_ + "/coordinator.log", QIODevice::Append);
    p_->start(FEDMRG_COORDINATOR, args);
    if (!p_->waitForStarted(10000)) return 0;
    QByteArray out;
    for (int i = 0; i < 300 && !out.contains('\n'); ++i) {
      p_->waitForReadyRead(100);
      out += p_->readAllStandardOutput();
      if (p_->state() == QProcess::NotRunning) break;
    }
    const QByteArray prefix = "listening on port ";
    const int at = out.indexOf(prefix);
    port_ = at < 0 ? 0 : out.mid(at + prefix.size()).trimmed().toInt();
    return port_;
  }
  void stop() {
    if (!p_ || p_->state() == QProcess::NotRunning) return;
    p_->terminate();
    if (!p_->waitForFinished(10000)) p_->kill();
    p_->waitForFinished(5000);
  }
  void killHard() {
    p_->kill();
    p_->waitForFinished(5000);
  }
  // The structured log so far (stderr).
  QString log() const {
    QFile f(dir_ + "/coordinator.log");
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
  }
  bool waitForLog(const QString& text, int ms) {
    for (int waited = 0; waited < ms; waited += 100) {
      if (log().contains(text)) return true;
      QTest::qWait(100);
    }
    return log().contains(text);
  }
  QProcess* process() { return p_.get(); }
  int port() const { return port_; }
  // Off: mutual TLS from the configuration's tls_* files instead of plain text on loopback.
  void setInsecureLoopback(bool on) { insecure_ = on; }

 private:
  QString dir_;
  int port_ = 0;
  bool insecure_ = true;
  std::unique_ptr<QProcess> p_;
};

// `fedmrg-cli federate` for one site.
inline std::unique_ptr<QProcess> startSite(int port, const QString& siteId, const QString& stateDir,
                                           QStringList extra = {}) {
  auto p = std::make_unique<QProcess>();
  p->setProcessChannelMode(QProcess::MergedChannels);
  p->start(FEDMRG_CLI, QStringList{"federate", "--coordinator", QString("127.0.0.1:%1").arg(port), "--site-id", siteId,
                                   "--state", stateDir} +
                           extra);
  return p;
}

// The "done version=V model_digest=D" line of a finished site, or "" when it did not finish cleanly.
inline QString siteResult(QProcess& p, int ms, QString* output = nullptr) {
  if (!p.waitForFinished(ms)) p.kill();
  const QString out = QString::fromUtf8(p.readAll());
  if (output) *output = out;
  for (const QString& line : out.split('\n'))
    if (line.startsWith("done ")) return p.exitCode() == 0 ? line.trimmed() : QString();
  return {};
}

}  // namespace fedmrg::test

#pragma once
// A real Orthanc PACS for the tests, started from a configuration the test writes: its own storage
// folder, its own AE title, DICOM and HTTP ports chosen free on this machine, the HTTP server for
// loopback only, and the workstation's AE declared as a DICOM modality on 127.0.0.1 (the only
// caller it serves, and the C-MOVE destination). start() waits until it answers on its DICOM
// port; the destructor always stops it. Nothing is reached beyond loopback.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace fedmrg::testing {

// Where Debian's orthanc package puts the server.
inline QString orthancProgram() {
  const QByteArray env = qgetenv("FEDMRG_ORTHANC");
  return env.isEmpty() ? QStringLiteral("/usr/sbin/Orthanc") : QString::fromLocal8Bit(env);
}

inline bool orthancRequired() { return qgetenv("FEDMRG_REQUIRE_ORTHANC") == "1"; }

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's pick).
inline int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

inline bool acceptsConnections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(uint16_t(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

class OrthancServer {
 public:
  // `folder`: where the configuration, the storage and the log go (the test's temporary folder).
  OrthancServer(QString folder, std::string workstationAe, int workstationPort)
      : folder_(std::move(folder)), workstationAe_(std::move(workstationAe)), workstationPort_(workstationPort) {
    dicomPort_ = freeLoopbackPort();
    httpPort_ = freeLoopbackPort();
  }
  ~OrthancServer() { stop(); }
  OrthancServer(const OrthancServer&) = delete;
  OrthancServer& operator=(const OrthancServer&) = delete;

  const std::string aeTitle = "TESTPACS";
  int dicomPort() const { return dicomPort_; }
  int httpPort() const { return httpPort_; }
  QString logFile() const { return folder_ + "/orthanc.log"; }

  // Writes the configuration (again) and starts the server; false with `why` when it is not
  // installed or does not answer within 20 s. Restarting keeps the storage folder and the ports.
  bool start(QString* why) {
    if (!QFileInfo(orthancProgram()).isExecutable()) {
      *why = orthancProgram() + " is not installed (scripts/bootstrap.sh installs the orthanc package)";
      return false;
    }
    QDir().mkpath(folder_ + "/storage");
    QFile cfg(folder_ + "/orthanc.json");
    if (!cfg.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
      *why = "cannot write " + cfg.fileName();
      return false;
    }
    cfg.write(config().toUtf8());
    cfg.close();
    process_.setProgram(orthancProgram());
    process_.setArguments({cfg.fileName()});
    process_.setStandardOutputFile(logFile(), QIODevice::Append);
    process_.setStandardErrorFile(logFile(), QIODevice::Append);
    process_.start();
    if (!process_.waitForStarted(5000)) {
      *why = "Orthanc did not start: " + process_.errorString();
      return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (process_.state() != QProcess::Running) {
        *why = "Orthanc exited at start-up; its log: " + logFile();
        return false;
      }
      if (acceptsConnections(dicomPort_)) return true;
      QThread::msleep(50);
    }
    *why = "Orthanc does not answer on port " + QString::number(dicomPort_) + " after 20 s; its log: " + logFile();
    stop();
    return false;
  }

  void stop() {
    if (process_.state() == QProcess::NotRunning) return;
    process_.terminate();
    if (!process_.waitForFinished(10000)) {
      process_.kill();
      process_.waitForFinished(5000);
    }
  }

 private:
  QString config() const {
    const QString storage = folder_ + "/storage";
    // Only the workstation's AE, calling from 127.0.0.1, may use the server; HTTP answers loopback only.
    return QStringLiteral(R"({
  "Name": "%1", "StorageDirectory": "%2", "IndexDirectory": "%2",
  "HttpServerEnabled": true, "HttpPort": %3, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
  "DicomServerEnabled": true, "DicomAet": "%1", "DicomPort": %4, "DicomCheckCalledAet": false,
  "DicomCheckModalityHost": true,
  "DicomAlwaysAllowEcho": false, "DicomAlwaysAllowStore": false, "DicomAlwaysAllowFind": false,
  "DicomAlwaysAllowGet": false, "DicomAlwaysAllowMove": false,
  "DicomModalities": { "workstation": { "AET": "%5", "Host": "127.0.0.1", "Port": %6,
                                        "AllowEcho": true, "AllowFind": true, "AllowGet": true,
                                        "AllowMove": true, "AllowStore": true } },
  "DicomScpTimeout": 30, "StorageCompression": false, "OverwriteInstances": true,
  "Plugins": [], "ConcurrentJobs": 1, "SaveJobs": false
})")
        .arg(QString::fromStdString(aeTitle), storage)
        .arg(httpPort_)
        .arg(dicomPort_)
        .arg(QString::fromStdString(workstationAe_))
        .arg(workstationPort_);
  }

  QString folder_;
  std::string workstationAe_;
  int workstationPort_;
  int dicomPort_ = 0, httpPort_ = 0;
  QProcess process_;
};

}  // namespace fedmrg::testing

// Ends the test function when Orthanc cannot run here: a failure when FEDMRG_REQUIRE_ORTHANC=1, else a skip.
#define FEDMRG_ORTHANC_UNAVAILABLE(why)                                                         \
  do {                                                                                          \
    const QByteArray message_ = (why).toUtf8() +                                                \
        (fedmrg::testing::orthancRequired() ? " (FEDMRG_REQUIRE_ORTHANC=1 requires it)"        \
                                            : " (skipped; FEDMRG_REQUIRE_ORTHANC=1 makes this a failure)"); \
    if (fedmrg::testing::orthancRequired()) QFAIL(message_.constData());                         \
    QSKIP(message_.constData());                                                                \
  } while (0)

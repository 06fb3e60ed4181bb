#pragma once
// The coordinator in process for tests: a RoundManager on an in-memory state behind a real CoordinatorService
// listening on 127.0.0.1 in insecure loopback mode (sites name themselves with fedmrg-site-id), its log lines
// kept for the test to read.
#include <grpcpp/grpcpp.h>

#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <memory>
#include <mutex>

#include "coordinator/coordinator_service.h"
#include "coordinator/round_manager.h"
#include "fedmrg/federation/v1/federation.pb.h"

namespace fedmrg::test {

class LoopbackCoordinator {
 public:
  LoopbackCoordinator(std::vector<federation::FederatedTensorSpec> specs, const coordinator::RoundSettings& settings,
                      const coordinator::UploadLimits& limits = {}, const federation::CodecPlan& codec = {}) {
    auto log = [this](const std::string& l) {
      std::lock_guard lock(mutex_);
      lines_ << QString::fromStdString(l);
    };
    auto now = [] {
      return int64_t(
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count());
    };
    rounds_ = std::make_shared<coordinator::RoundManager>(coordinator::openMemoryState(),
                                                          dir_.filePath("uploads").toStdString(), std::move(specs),
                                                          codec, settings, now, log);
    service_ = std::make_unique<coordinator::CoordinatorService>(rounds_, grpc::InsecureServerCredentials(), true,
                                                                 settings.maxConcurrentUploads, log);
    service_->setUploadLimits(limits);
    port_ = service_->start("127.0.0.1:0");
  }

  int port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  QString uploadFolder() const { return dir_.filePath("uploads"); }
  QString log() {
    std::lock_guard lock(mutex_);
    return lines_.join('\n');
  }
  bool waitForLog(const QString& text, int ms) {
    for (int waited = 0; waited < ms && !log().contains(text); waited += 50) QTest::qWait(50);
    return log().contains(text);
  }
  // What GetStatus answers.
  federation::v1::StatusReply status() {
    federation::v1::StatusReply r;
    rounds_->status(r);
    return r;
  }

 private:
  QTemporaryDir dir_{qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath()) + "/coordinator-XXXXXX"};
  std::mutex mutex_;
  QStringList lines_;
  std::shared_ptr<coordinator::RoundManager> rounds_;
  std::unique_ptr<coordinator::CoordinatorService> service_;
  int port_ = 0;
};

}  // namespace fedmrg::test

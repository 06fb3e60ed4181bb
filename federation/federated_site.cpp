#include "federation/federated_site.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "federation/error_feedback.h"
#include "federation/round_seeds.h"
#include "federation/site_tensors.h"

namespace fedmrg::federation {

namespace {

struct SiteFile {
  uint64_t pendingRound = 0;
  std::string pendingKey;
};

SiteFile readSiteFile(const std::string& path) {
  SiteFile f;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    if (k == "pending_round") f.pendingRound = std::strtoull(v.c_str(), nullptr, 10);
    if (k == "pending_key") f.pendingKey = v;
  }
  return f;
}

// Written to a temporary file and renamed, so a crash leaves the old file or the new one.
void writeAtomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

std::string randomKey() {
  std::random_device rd;
  std::ostringstream s;
  s << std::hex << rd() << rd() << rd() << rd();
  return s.str();
}

}  // namespace

struct FederatedSite::Impl {
  std::unique_ptr<SiteTransport> transport;
  TrainFunction train;
  FederatedSiteOptions options;
  std::thread thread;
  std::atomic<bool> cancelled{false};
  mutable std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::string error;
  std::unique_ptr<GlobalModel> model;
  ErrorFeedback feedback;
  SiteFile file;

  void event(const std::string& line) {
    if (options.onEvent) options.onEvent(line);
  }

  // Sleeps, waking early on cancel(); false when cancelled.
  bool sleepMs(int ms) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, std::chrono::milliseconds(ms), [&] { return cancelled.load(); });
    return !cancelled;
  }

  // Runs a call, retrying transient failures with exponential backoff.
  template <typename F>
  CallResult withRetry(const char* what, F call) {
    int delay = options.backoffMs;
    CallResult r;
    for (int attempt = 1; attempt <= options.maxAttempts && !cancelled; ++attempt) {
      r = call();
      if (r.ok || !r.retryable) return r;
      event(std::string("event=retry call=") + what + " attempt=" + std::to_string(attempt) + " reason=\"" + r.reason +
            "\"");
      if (!sleepMs(delay)) break;
      delay = std::min(delay * 2, options.maxBackoffMs);
    }
    if (cancelled) r = {false, false, "cancelled"};
    return r;
  }

  void saveFile() {
    std::ostringstream s;
    s << "pending_round=" << file.pendingRound << "\npending_key=" << file.pendingKey << "\n";
    writeAtomically(options.stateFile, s.str());
    writeAtomically(options.stateFile + ".ef", feedback.serialize());
  }

  void loadFile() {
    file = readSiteFile(options.stateFile);
    std::ifstream in(options.stateFile + ".ef", std::ios::binary);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      feedback = ErrorFeedback::parse(ss.str(), options.stateFile + ".ef");
    }
  }

  // Downloads and applies the versions up to `target`.
  void sync(uint64_t target, const std::string& targetDigest) {
    while (model->version() < target && !cancelled) {
      Payload p;
      uint64_t bytes = 0;
      const uint64_t v = model->version() + 1;
      CallResult r = withRetry("download", [&] { return transport->download(v, p, bytes); });
      if (!r.ok) throw std::runtime_error("downloading global version " + std::to_string(v) + ": " + r.reason);
      const std::string digest = toHex(payloadDigest(p));
      if (v == target && !targetDigest.empty() && digest != targetDigest)
        throw std::runtime_error("global version " + std::to_string(v) + " does not match the task's digest");
      {
        std::lock_guard lock(mutex);
        model->apply(p);
      }
      event("event=applied version=" + std::to_string(v) + " bytes=" + std::to_string(bytes) + " digest=" + digest +
            " model_digest=" + model->digestHex());
      // Outside the lock: the caller may take long (saving a model) and only this thread changes the model.
      if (options.onApplied) options.onApplied(v, model->tensors());
    }
  }

  // Runs the training callback while a second thread sends a Heartbeat every heartbeatMs. A failed
  // heartbeat is only an event: the upload after training is what counts, with its own retries.
  TrainResult trainWithHeartbeat(const TrainRequest& req) {
    if (options.heartbeatMs <= 0) return train(req);
    bool trained = false;
    std::thread beat([&] {
      std::unique_lock lock(mutex);
      while (!cv.wait_for(lock, std::chrono::milliseconds(options.heartbeatMs),
                          [&] { return trained || cancelled.load(); })) {
        lock.unlock();
        const CallResult r = transport->heartbeat(req.round);
        event(r.ok ? "event=heartbeat round=" + std::to_string(req.round)
                   : "event=heartbeat_failed round=" + std::to_string(req.round) + " reason=\"" + r.reason + "\"");
        lock.lock();
      }
    });
    struct Stop {
      Impl& m;
      bool& trained;
      std::thread& beat;
      ~Stop() {
        {
          std::lock_guard lock(m.mutex);
          trained = true;
        }
        m.cv.notify_all();
        beat.join();
      }
    } stop{*this, trained, beat};
    return train(req);
  }

  void trainAndUpload(const SiteTask& task) {
    for (const auto& [name, hex] : task.basisDigests) {
      const SharedBasis* b = model->basis(name);
      if (!b || toHex(b->digest()) != hex)
        throw std::runtime_error("the basis of tensor '" + name + "' differs from the coordinator's (codec mismatch)");
    }
    if (file.pendingRound != task.round || file.pendingKey.empty()) {
      file.pendingRound = task.round;
      file.pendingKey = randomKey();
      saveFile();
    }
    TrainRequest req;
    req.round = task.round;
    req.baseVersion = task.baseVersion;
    req.strategy = task.strategy;
    req.proximalMu = task.proximalMu;
    req.tensors = &model->specs();
    req.global = &model->tensors();
    req.cancelled = &cancelled;
    TrainResult result = trainWithHeartbeat(req);
    if (cancelled) return;
    const std::map<std::string, Matrix> change = changeSinceGlobal(result.tensors, model->tensors());
    Payload p =
        model->encodeChange(change, feedback, uploadRoundingSeed(model->plan().seed, task.round, options.siteId));
    p.round = task.round;
    p.sampleCount = result.sampleCount;
    UploadReceipt receipt;
    CallResult r = withRetry("upload", [&] { return transport->upload(p, file.pendingKey, receipt); });
    if (r.ok) {
      feedback.commit();
      event("event=uploaded round=" + std::to_string(task.round) + " bytes=" + std::to_string(receipt.bytesSent) +
            (receipt.duplicate ? " duplicate=1" : ""));
    } else {
      feedback.rollback();
      event("event=upload_refused round=" + std::to_string(task.round) + " reason=\"" + r.reason + "\"");
    }
    file.pendingKey.clear();
    saveFile();
  }

  void run() {
    loadFile();
    CallResult r = withRetry("join", [&] { return transport->join(); });
    if (!r.ok) throw std::runtime_error("join: " + r.reason);
    event("event=joined");
    uint64_t lastRound = 0;
    while (!cancelled) {
      SiteTask task;
      r = withRetry("task", [&] { return transport->task(task); });
      if (!r.ok) throw std::runtime_error("task: " + r.reason);
      if (!model && !task.tensors.empty()) {
        std::lock_guard lock(mutex);
        model = std::make_unique<GlobalModel>(task.tensors, task.codec);
      }
      if (model) sync(task.baseVersion, task.kind == SiteTask::Kind::Train ? task.baseDigest : std::string());
      if (task.kind == SiteTask::Kind::Done) break;
      if (model && options.stopAtVersion && model->version() >= options.stopAtVersion) break;
      if (task.kind == SiteTask::Kind::Train && model && task.round != lastRound) {
        lastRound = task.round;
        trainAndUpload(task);
        continue;
      }
      if (!sleepMs(options.pollMs)) break;
    }
    if (cancelled) throw std::runtime_error("cancelled");
  }
};

FederatedSite::FederatedSite(std::unique_ptr<SiteTransport> transport, TrainFunction train,
                             FederatedSiteOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->transport = std::move(transport);
  impl_->train = std::move(train);
  impl_->options = std::move(options);
}

FederatedSite::~FederatedSite() {
  cancel();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void FederatedSite::start() {
  impl_->thread = std::thread([this] {
    std::string why;
    try {
      impl_->run();
    } catch (const std::exception& e) {
      why = e.what();
    }
    std::lock_guard lock(impl_->mutex);
    impl_->error = why;
    impl_->done = true;
    impl_->cv.notify_all();
  });
}

void FederatedSite::cancel() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->cancelled = true;
  }
  impl_->cv.notify_all();
  impl_->transport->cancel();
}

bool FederatedSite::wait(int timeoutMs) {
  std::unique_lock lock(impl_->mutex);
  if (timeoutMs < 0) impl_->cv.wait(lock, [&] { return impl_->done; });
  else impl_->cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return impl_->done; });
  return impl_->done;
}

bool FederatedSite::finished() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->done;
}

std::string FederatedSite::error() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->error;
}

uint64_t FederatedSite::version() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->model ? impl_->model->version() : 0;
}

std::string FederatedSite::modelDigest() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->model ? impl_->model->digestHex() : std::string();
}

}  // namespace fedmrg::federation

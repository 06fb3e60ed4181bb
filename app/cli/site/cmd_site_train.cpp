// fedmrg-cli site-train: one background training run of a site, in the foreground, as the workstation
// runs it (app/site/background_trainer): it resumes the site's interrupted run, or claims the signed
// reports waiting in the training queue, trains the adapters and commits a new adapter version. For
// scripts, and for the test that kills a run with SIGKILL and checks that the next one resumes it.
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <cstdio>

#include "app/cli/cli.h"
#include "app/site/background_trainer.h"
#include "app/site/draft_service.h"
#include "app/site/site.h"
#include "app/site/training_queue.h"

namespace fedmrg::cli {
namespace {

// The passphrase from the first line of a file: never on the command line, where `ps` shows it.
std::string readPassphrase(const std::string& path) {
  QFile f(QString::fromStdString(path));
  if (!f.open(QIODevice::ReadOnly)) throw UsageError(path + ": cannot read the passphrase file");
  const QByteArray line = f.readLine().trimmed();
  if (line.isEmpty()) throw UsageError(path + ": the passphrase file is empty");
  return line.toStdString();
}

void printQueue(app::Site& site) {
  app::TrainingQueue q(site);
  std::printf("queue: %d queued, %d training, %d used, %d unusable, %d held back\n", q.count("queued"),
              q.count("training"), q.count("used"), q.count("unusable"), q.count("held_back"));
}

int runSiteTrain(const Args& a) {
  int argc = 1;
  char name[] = "fedmrg-cli";
  char* argv[] = {name, nullptr};
  QCoreApplication app(argc, argv);  // the trainer reports through queued signals
  const QString dir = QString::fromStdString(a.require("site"));
  auto site = app::Site::open(dir, readPassphrase(a.require("passphrase-file")));
  const QString model = QString::fromStdString(a.get("model", app::siteModelDir(dir).toStdString()));
  app::BackgroundTrainingOptions o;
  o.steps = int(a.getInt("steps", o.steps));
  o.batchSize = int(a.getInt("batch", o.batchSize));
  o.learningRate = a.getDouble("lr", o.learningRate);
  o.checkpointEvery = int(a.getInt("checkpoint-every", o.checkpointEvery));
  o.maxStudies = int(a.getInt("max-studies", o.maxStudies));
  o.queueThreshold = int(a.getInt("threshold", 1));
  o.niceness = int(a.getInt("nice", o.niceness));
  o.threads = int(a.getInt("threads", o.threads));
  if (o.steps < 1 || o.batchSize < 1 || o.maxStudies < 1 || o.checkpointEvery < 0)
    throw UsageError("--steps, --batch and --max-studies must be >= 1, --checkpoint-every >= 0");
  app::BackgroundTrainer trainer(*site, model, nullptr, o);
  QEventLoop loop;
  bool committed = false;
  QObject::connect(&trainer, &app::BackgroundTrainer::started, [](const QString& run, int studies, bool resumed) {
    std::printf("run %s: %d signed reports%s\n", qPrintable(run), studies,
                resumed ? ", resumed from its checkpoint" : "");
    std::fflush(stdout);
  });
  QObject::connect(&trainer, &app::BackgroundTrainer::progress, [](int step, int steps, double eta) {
    std::printf("step %d/%d  ETA %.0f s\n", step, steps, eta);
    std::fflush(stdout);
  });
  QObject::connect(&trainer, &app::BackgroundTrainer::finished, [&](bool ok, const QString& message) {
    committed = ok;
    std::printf("%s\n", qPrintable(message));
    std::fflush(stdout);
    if (!trainer.isGating()) loop.quit();  // else the new version's quality gate ends the command
  });
  QObject::connect(&trainer, &app::BackgroundTrainer::gateStarted, [](qint64 version, int heldBack) {
    std::printf("quality gate: v%lld on %d held-back signed reports\n", static_cast<long long>(version), heldBack);
    std::fflush(stdout);
  });
  QObject::connect(&trainer, &app::BackgroundTrainer::gateFinished,
                   [&](qint64 version, bool accepted, const QString& reason) {
                     std::printf("v%lld %s: %s\n", static_cast<long long>(version),
                                 accepted ? "is now the drafting version" : "is not used", qPrintable(reason));
                     loop.quit();
                   });
  QString why;
  if (!trainer.startRun(a.has("force"), &why)) {
    std::printf("no training run: %s\n", qPrintable(why));
    printQueue(*site);
    return 0;
  }
  loop.exec();
  printQueue(*site);
  if (const auto latest = trainer.latestTrainedAdapters(); latest && committed)
    std::printf("latest adapters: %s (run %s, %d steps, %d studies)\n",
                qPrintable(QDir::toNativeSeparators(latest->dir)), latest->runId.c_str(), latest->steps,
                latest->examples);
  return committed ? 0 : 1;
}

const CommandRegistration reg(
    {"site-train",
     "one background training run of a site's adapters on its signed reports (resumes an interrupted one)",
     "--site DIR --passphrase-file FILE [--model DIR] [--steps N] [--batch N] [--checkpoint-every N] [--force]",
     {{"site", true, "the site folder"},
      {"passphrase-file", true, "file whose first line is the site's passphrase"},
      {"model", true, "model folder of the first run (default: <site>/model); later runs continue the last version"},
      {"steps", true, "optimizer steps of a new run (default 100)"},
      {"batch", true, "samples per step (default 4)"},
      {"lr", true, "peak learning rate (default 5e-4)"},
      {"checkpoint-every", true, "steps between checkpoints (default 10)"},
      {"max-studies", true, "signed reports one run takes (default 256)"},
      {"threshold", true, "waiting reports that start a run (default 1)"},
      {"force", false, "start whenever a report waits, whatever the threshold"},
      {"nice", true, "niceness of the training thread (default 19)"},
      {"threads", true, "LibTorch threads (default 1)"}},
     runSiteTrain});

}  // namespace
}  // namespace fedmrg::cli

// fedmrg-cli bench draft-while-training: the promise that background training never blocks the
// radiologist, measured as the workstation runs it. In a temporary encrypted site holding FL-MRG-Synth
// studies with signed final reports, drafts go through the site's draft service (decrypt, decode, chest
// check, generate) first with nothing else running, then while the BackgroundTrainer trains the adapters
// (nice 19, one LibTorch thread, paused while a draft runs). Prints p50/p95 of both and their ratio
// against the target of 2x.
#include <QCoreApplication>
#include <QDir>
#include <atomic>
#include <cstdio>
#include <thread>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "app/site/background_trainer.h"
#include "app/site/dicom_importer.h"
#include "app/site/draft_activity.h"
#include "app/site/draft_service.h"
#include "app/site/finding_labels.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "engine/synth/synth_generator.h"
#include "engine/synth/synth_site.h"
#include "engine/train/synth_examples.h"

namespace fedmrg::cli {
namespace {

struct DraftFigures {
  double p50 = 0, p95 = 0;
};

// Drafts `runs` times, cycling over the images, `gapMs` apart (the reading time between two drafts).
DraftFigures timeDrafts(app::DraftService& drafts, const std::vector<QString>& images, int runs, int gapMs) {
  std::vector<double> times;
  const std::atomic<bool> cancel{false};
  for (int i = 0; i < runs; ++i) {
    app::DraftedReport out;
    const auto t0 = bench::Clock::now();
    if (!drafts.generate(images[size_t(i) % images.size()], out, {}, cancel))
      throw std::runtime_error("draft cancelled");
    times.push_back(bench::seconds(t0, bench::Clock::now()));
    if (gapMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gapMs));
  }
  return {bench::percentile(times, 0.5), bench::percentile(times, 0.95)};
}

int runBench(const Args& a) {
  int argc = 1;
  char name[] = "fedmrg-cli";
  char* argv[] = {name, nullptr};
  QCoreApplication app(argc, argv);
  const std::string model = bench::modelFolder(a);
  const int runs = int(a.getInt("runs", 10)), studies = int(a.getInt("studies", 16)),
            gapMs = int(a.getInt("gap-ms", 300));
  const bool pause = !a.has("no-pause");
  if (runs < 1 || studies < 1 || gapMs < 0) throw UsageError("--runs and --studies must be >= 1, --gap-ms >= 0");
  std::printf("command: %s\nmodel: %s\n", bench::commandLine().c_str(), model.c_str());
  const bench::Machine machine = bench::machine();
  std::printf("machine: %d cores, %s; load average (1 min) at the start: %.2f\n", machine.cores,
              machine.cpuModel.c_str(), machine.load1);

  // The site: synthetic studies imported (encrypted) and signed final, so that the queue holds them.
  bench::TempDir tmp;
  engine::SynthOptions so;
  so.outDir = (tmp.path / "synth").string();
  so.studiesPerSite = studies;
  so.size = int(a.getInt("rows", 512));
  so.sites = {engine::builtinSites().front()};
  so.trainFraction = 1.0;
  so.valFraction = 0.0;
  engine::generateSynthDataset(so);
  const auto records = engine::readSynthRecords(engine::readSynthSites(so.outDir).front(), "");
  const QString siteDir = QString::fromStdString((tmp.path / "site").string());
  auto site = app::Site::create(siteDir, "bench passphrase", "Bench Site", "bench", "Bench", "benchpass1");
  app::DicomImporter importer(*site, 1);
  app::ReportService reports(*site, 1);
  std::vector<QString> images;
  for (const auto& r : records) {
    const auto imported = importer.importFiles({QString::fromStdString(r.imagePath)});
    const auto sections = app::splitReportText(r.report);
    app::FindingStates chips{};
    for (size_t k = 0; k < chips.size(); ++k) chips[k] = static_cast<app::FindingState>(r.states[k]);
    reports.save(imported.firstStudyId, sections.findings, sections.impression, app::encodeLabels(chips));
    reports.sign(imported.firstStudyId, app::ReportStatus::Final, app::ChipsAgainstText::ConfirmedByUser);
  }
  auto files = site->store().prepare("SELECT file_path FROM images ORDER BY id");
  while (files.step()) images.push_back(QString::fromStdString(files.text(0)));
  std::printf("site: %zu studies (%d x %d), all signed final\n", images.size(), so.size, so.size);

  auto activity = std::make_shared<app::DraftActivity>();
  auto drafts = app::makeDraftService(QString::fromStdString(model), site->vault(), activity);
  timeDrafts(*drafts, images, 1, 0);  // warm-up: loads the model
  const DraftFigures idle = timeDrafts(*drafts, images, runs, gapMs);
  std::printf("draft, nothing else running:  p50 %.3f s, p95 %.3f s (%d drafts, %d ms apart)\n", idle.p50, idle.p95,
              runs, gapMs);

  app::BackgroundTrainingOptions o;
  o.steps = int(a.getInt("steps", 100000));  // outlasts the measurement; cancelled after it
  o.queueThreshold = 1;
  app::BackgroundTrainer trainer(*site, QString::fromStdString(model), pause ? activity : nullptr, o);
  std::atomic<int> steps{0};
  std::atomic<bool> finished{false};
  QObject::connect(&trainer, &app::BackgroundTrainer::progress, [&](int, int, double) { ++steps; });
  QObject::connect(&trainer, &app::BackgroundTrainer::finished, [&](bool, const QString&) { finished = true; });
  QString why;
  if (!trainer.startRun(true, &why)) throw std::runtime_error("training did not start: " + why.toStdString());
  // Measured once training runs its steps (its model is loaded and its images decoded).
  while (steps < 2) {
    if (finished) throw std::runtime_error("training ended before the measurement");
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  }
  const int before = steps;
  const DraftFigures busy = timeDrafts(*drafts, images, runs, gapMs);
  const int during = steps - before;
  trainer.cancel();
  while (!finished) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  std::printf(
      "draft, while training%s: p50 %.3f s, p95 %.3f s; %d training steps ran meanwhile (batch %d, nice %d, %d "
      "thread)\n",
      pause ? " (paused during drafts)" : " (no pause)", busy.p50, busy.p95, during, o.batchSize, o.niceness,
      o.threads);
  const double ratio = busy.p50 / std::max(idle.p50, 1e-9);
  std::printf("ratio p50 while training / idle: %.2f (target <= 2.00: %s)\n", ratio, ratio <= 2.0 ? "met" : "NOT met");
  std::printf("load average (1 min) at the end: %.2f\n", bench::loadAverage1());
  if (auto path = a.get("json")) {
    engine::Json j = engine::Json::object();
    j["command"] = bench::commandLine();
    j["model"] = model;
    j["machine"] = bench::machineJson(machine);
    j["runs"] = runs;
    j["gap_ms"] = gapMs;
    j["pause_while_drafting"] = pause;
    j["idle_p50_s"] = idle.p50;
    j["idle_p95_s"] = idle.p95;
    j["training_p50_s"] = busy.p50;
    j["training_p95_s"] = busy.p95;
    j["training_steps_during_drafts"] = during;
    j["ratio_p50"] = ratio;
    bench::writeJson(*path, j);
  }
  return 0;
}

const CommandRegistration reg(
    {"bench-draft-while-training",
     "draft time through the site's draft service, idle and while the background trainer runs (target: <= 2x)",
     "[--model DIR] [--runs 10] [--studies 16] [--rows 512] [--gap-ms 300] [--no-pause] [--json OUT]",
     {{"model", true, "model folder (default: the shipped default model)"},
      {"runs", true, "timed drafts in each condition (default 10)"},
      {"studies", true, "signed synthetic studies in the temporary site (default 16)"},
      {"rows", true, "image size of the synthetic studies (default 512)"},
      {"gap-ms", true, "pause between two drafts, the reading time (default 300)"},
      {"steps", true, "steps of the training run (default: more than the measurement needs)"},
      {"no-pause", false, "do not pause training while drafting (to see what the pause buys)"},
      {"json", true, "also write the figures as JSON"}},
     runBench, true});

}  // namespace
}  // namespace fedmrg::cli

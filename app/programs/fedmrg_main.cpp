// fedmrg: the workstation. Normal start: unlock (or create) the site, sign in, work.
// Demo mode (README's run command): a demo site with a documented passphrase, an import, the first
// study shown and a screenshot of the main window.
#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/oflog/oflog.h>

#include "app/programs/demo_screenshots.h"
#include "app/programs/event_wait.h"
#include "app/site/background_trainer.h"
#include "app/site/demo_federation.h"
#include "app/site/demo_reports.h"
#include "app/site/dicom_importer.h"
#include "app/site/draft_activity.h"
#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/model_location.h"
#include "app/site/model_versions.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/site_federation.h"
#include "app/site/study_catalog.h"
#include "app/site/user_directory.h"
#include "app/site/worklist_model.h"
#include "app/site/workstation_services.h"
#include "engine/core/torch_runtime.h"
#include "fedmrg_version.h"
#include "ui/image_viewer.h"
#include "ui/language.h"
#include "ui/main_window.h"
#include "ui/report_editor.h"
#include "ui/site_dialogs.h"
#include "ui/vtk_view_widget.h"

namespace {

using namespace fedmrg;

// Demo only: never use these for a real site.
constexpr const char* kDemoPassphrase = "fedmrg-demo-passphrase";
constexpr const char* kDemoUser = "demo";
constexpr const char* kDemoPassword = "demo-password";
// Signed reports the demo site starts with, and the queue size that starts a background run there.
constexpr int kDemoSignedReports = 5;
constexpr int kDemoTrainingThreshold = 3;

// The program's own messages, in the workstation's language (translations/); the ones that quote
// app/site (std::string) stay English.
class Messages {
  Q_DECLARE_TR_FUNCTIONS(fedmrg)
};

void describeOptions(QCommandLineParser& p) {
  p.setApplicationDescription(
      Messages::tr("FedMRG Workstation: open chest X-ray studies, draft, edit and sign reports.\n"
                   "Generated reports are drafts; a radiologist reviews and signs every report.\n\n"
                   "Demo mode creates or opens a demo site whose passphrase is \"fedmrg-demo-passphrase\"\n"
                   "and whose user is \"demo\" / \"demo-password\". Never keep real data in a demo site."));
  p.addHelpOption();
  p.addVersionOption();
  p.addOption({"site", Messages::tr("Site folder (default: the user's data folder)."), "DIR"});
  p.addOption({"demo-site", Messages::tr("Open or create a demo site in DIR (demo passphrase, demo user)."), "DIR"});
  p.addOption(
      {"model",
       Messages::tr("Report model folder for drafts (default: $FEDMRG_MODEL_DIR, else <site>/model when it exists, "
                    "else the installed default model, <prefix>/share/fedmrg/models/default)."),
       "DIR"});
  p.addOption({"import", Messages::tr("Import DICOM files, folders or a DICOMDIR at start (repeatable)."), "PATH"});
  p.addOption(
      {"screenshot", Messages::tr("Save a PNG of the main window once the first study's image has rendered."), "FILE"});
  p.addOption({"quit-after-screenshot", Messages::tr("Exit after saving the screenshot(s).")});
  p.addOption({"demo-federation",
               Messages::tr("Demo: take part in the local demo federation in DIR (scripts/demo-federation.sh): its "
                            "coordinator, the demo site's certificates, every round."),
               "DIR"});
  p.addOption({"demo-reports",
               Messages::tr("Demo: sign a few of FL-MRG-Synth's reference reports (reports.jsonl) of imported studies "
                            "final, so that background training starts soon (repeatable)."),
               "JSONL"});
  p.addOption(
      {"screenshot-training",
       Messages::tr("Also save a PNG of the main window once background training is a fifth of the way through a run."),
       "FILE"});
  p.addOption({"screenshot-federation",
               Messages::tr("Also save a PNG of the federation panel's status once the site recorded a round."),
               "FILE"});
  p.addOption({"screenshot-wait",
               Messages::tr("Seconds each of those screenshots waits for its event before it shoots what there is "
                            "(default 600)."),
               "SECONDS"});
  p.addOption({"bench-viewer",
               Messages::tr("Benchmark: open the site's studies N times, print selection-to-rendered times, exit."),
               "N"});
  p.addPositionalArgument(
      "files", Messages::tr("DICOM files or folders to import once the site is open; the first one's study is opened."),
      "[FILES...]");
}

using programs::waitFor;

std::unique_ptr<app::Site> openDemoSite(const QString& dir, app::User& user) {
  std::unique_ptr<app::Site> site = app::Site::exists(dir)
                                        ? app::Site::open(dir, kDemoPassphrase)
                                        : app::Site::create(dir, kDemoPassphrase, "Demo Site", kDemoUser, "Demo Radiologist",
                                                            kDemoPassword);
  const auto u = app::UserDirectory(*site).authenticate(kDemoUser, kDemoPassword);
  if (!u) throw app::StoreError(dir.toStdString() + ": the demo user is missing; is this a demo site?");
  user = *u;
  return site;
}

std::unique_ptr<app::Site> openInteractively(const QString& dir, app::User& user) {
  std::unique_ptr<app::Site> site;
  if (app::Site::exists(dir)) {
    ui::UnlockDialog unlock(dir);
    if (unlock.exec() != QDialog::Accepted) return nullptr;
    site = unlock.takeSite();
  } else {
    ui::SetupDialog setup(dir);
    if (setup.exec() != QDialog::Accepted) return nullptr;
    site = setup.takeSite();
  }
  ui::LoginDialog login(*site);
  if (login.exec() != QDialog::Accepted || !login.user()) return nullptr;
  user = *login.user();
  return site;
}

// The model folder drafts come from (app::chooseModelDir): --model and $FEDMRG_MODEL_DIR are user
// input, read only here.
QString chooseModelDir(const QCommandLineParser& parser, const QString& siteDir) {
  return app::chooseModelDir({parser.value("model"), qEnvironmentVariable("FEDMRG_MODEL_DIR"), siteDir,
                              QCoreApplication::applicationDirPath()});
}

// Imports at start (--import, and the files a desktop entry or a file manager passes), with a summary.
app::ImportResult importAtStart(app::DicomImporter& importer, const QStringList& paths) {
  const auto r = importer.importPaths(paths, [](int done, int total) {
    if (done == total || done % 50 == 0) std::printf("Importing: %d/%d\n", done, total);
  });
  std::printf("Imported %d images (%d new studies), %d duplicates, %zu errors\n", r.imported, r.studiesAdded,
              r.duplicates, r.errors.size());
  for (const auto& e : r.errors) std::printf("  %s: %s\n", qPrintable(e.file), qPrintable(e.reason));
  return r;
}

// The demo site's head start: a few signed reports (once), and its place in the demo federation. A failure is
// said and the workstation starts anyway: the demo without a federation is still a workstation.
void prepareDemo(app::Site& site, const app::User& user, const QCommandLineParser& parser) {
  try {
    if (const QStringList files = parser.values("demo-reports"); !files.isEmpty())
      if (const int n = app::signDemoReports(site, user.id, files, kDemoSignedReports))
        std::printf("%s\n",
                    qPrintable(Messages::tr("Signed %1 synthetic reference reports final for the demo").arg(n)));
    if (parser.isSet("demo-federation"))
      std::printf("Demo federation: %s\n",
                  app::joinDemoFederation(site, user.id, parser.value("demo-federation")).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fedmrg: %s\n", e.what());
  }
}

int runDemoScreenshot(ui::MainWindow& window, const QString& file, bool quit) {
  if (!window.selectFirstStudy()) {
    std::fprintf(stderr, "fedmrg: %s\n",
                 qPrintable(Messages::tr("the demo site has no study to show; pass --import DICOM_DIR")));
    return quit ? 1 : 0;
  }
  auto* viewer = window.viewer();
  if (!waitFor([viewer] { return viewer->renderCount() > 0; }, 20000))
    std::fprintf(stderr, "fedmrg: %s\n", qPrintable(Messages::tr("the image did not render within 20 s")));
  auto* editor = window.reportEditor();
  QString reason;
  if (window.services().drafts->available(&reason)) {
    editor->generateDraft();
    waitFor([editor] { return !editor->generating(); }, 120000);
    std::printf("Draft: %s\n", qPrintable(editor->messageLabel()->text()));
  } else {
    std::printf("%s\n", qPrintable(reason));
  }
  waitFor([] { return false; }, 500);  // let the last frame and overlays settle
  if (!file.isEmpty()) {
    if (!window.grab().save(file)) {
      std::fprintf(stderr, "fedmrg: %s\n", qPrintable(Messages::tr("cannot write the screenshot %1").arg(file)));
      return 1;
    }
    std::printf("Screenshot saved to %s\n", qPrintable(QFileInfo(file).absoluteFilePath()));
  }
  return 0;
}

// Time from opening a study (decode, windowing, texture upload, render) to the frame on screen,
// first cold (every image decoded on selection), then in reading order with the next study's image
// decoded ahead while the current one is shown.
int runViewerBenchmark(ui::MainWindow& window, int runs) {
  std::vector<qint64> ids;
  for (int r = 0; r < window.worklist()->rowCount(); ++r) ids.push_back(window.worklist()->study(r).id);
  if (ids.size() < 2 || runs < 1) {
    std::fprintf(stderr, "fedmrg: --bench-viewer needs N >= 1 and a site with 2 or more studies (use --import)\n");
    return 1;
  }
  auto* viewer = window.viewer();
  window.openStudy(ids[0]);  // warm-up: GL context and shaders
  waitFor([viewer] { return viewer->renderCount() > 0; }, 20000);
  for (const bool prefetch : {false, true}) {
    window.setPrefetch(prefetch);
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      const qint64 id = ids[size_t(i + 1) % ids.size()];
      const int before = viewer->renderCount();
      QElapsedTimer t;
      t.start();
      window.openStudy(id);
      const double syncMs = double(t.nsecsElapsed()) / 1e6;
      if (!waitFor([&] { return viewer->renderCount() > before; }, 20000)) {
        std::fprintf(stderr, "fedmrg: study %lld did not render\n", static_cast<long long>(id));
        return 1;
      }
      ms.push_back(double(t.nsecsElapsed()) / 1e6);
      const auto* image = viewer->image();
      std::printf("%s run %d: %dx%d, %d bits, %s: %.1f ms (opening %.1f ms)\n", prefetch ? "prefetched" : "cold", i + 1,
                  image->width, image->height, image->info.bitsStored, image->info.transferSyntaxUid.c_str(), ms.back(),
                  syncMs);
      waitFor([] { return false; }, 400);  // reading time: thumbnails and the prefetch finish here
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s: selection to rendered frame over %d runs: median %.1f ms, min %.1f ms, max %.1f ms\n",
                prefetch ? "prefetched" : "cold", runs, ms[ms.size() / 2], ms.front(), ms.back());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Draft generation runs LibTorch's encoder beside the GUI: passive OpenMP waiting keeps its
  // threads from spinning against the decoder's pool and the GUI thread.
  fedmrg::engine::reexecWithPassiveOpenMp(argv);
  QStringList args;
  {
    // --help and --version answer without a display.
    QCoreApplication probe(argc, argv);
    QCoreApplication::setOrganizationName("fedmrg");  // QSettings: ~/.config/fedmrg/fedmrg.conf
    QCoreApplication::setApplicationName("fedmrg");
    QCoreApplication::setApplicationVersion(FEDMRG_VERSION_STRING);
    ui::applyLanguage(ui::effectiveLanguage(ui::storedLanguage()));  // --help in the user's language
    QCommandLineParser parser;
    describeOptions(parser);
    parser.process(probe);  // exits for --help, --version and unknown options
    args = probe.arguments();
  }
  const QString platform = qEnvironmentVariable("QT_QPA_PLATFORM");
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
      (platform.isEmpty() || platform == "xcb")) {
    std::fprintf(stderr, "fedmrg: %s\n",
                 qPrintable(Messages::tr(
                     "no display. The workstation needs X (the image view uses OpenGL); on a machine without one,\n"
                     "run it under Xvfb: xvfb-run -a -s \"-screen 0 1600x1000x24\" fedmrg ...")));
    return 2;
  }

  // DCMTK's own warnings would repeat what the import report says about each bad file.
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  QSurfaceFormat::setDefaultFormat(ui::VtkViewWidget::defaultFormat());  // before QApplication
  QApplication app(argc, argv);
  QApplication::setOrganizationName("fedmrg");
  QApplication::setApplicationName("fedmrg");
  QApplication::setApplicationVersion(FEDMRG_VERSION_STRING);
  // The language is a setting (View > Language), applied here, before the first dialog.
  ui::applyLanguage(ui::effectiveLanguage(ui::storedLanguage()));
  QCommandLineParser parser;
  describeOptions(parser);
  parser.process(args);

  app::User user;
  std::unique_ptr<app::Site> site;
  const bool demo = parser.isSet("demo-site");
  const QString dir = demo ? parser.value("demo-site")
                           : parser.value("site").isEmpty()
                                 ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("site")
                                 : parser.value("site");
  try {
    site = demo ? openDemoSite(dir, user) : openInteractively(dir, user);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fedmrg: %s\n", e.what());
    // Started from a desktop entry, nobody reads stderr: the reason is shown too (in English, as app
    // states it; docs/workstation.md, "Translations").
    if (!demo)
      QMessageBox::critical(nullptr, Messages::tr("FedMRG Workstation"),
                            Messages::tr("The site could not be opened: %1").arg(QString::fromUtf8(e.what())));
    return 1;
  }
  if (!site) return 0;  // the user cancelled

  // The composition root: every service the window uses is built once, here. Drafts come from the site's
  // active model version (model_versions.h), asked for on every draft so that a switch takes effect at once;
  // they mark themselves in draftActivity, and the background trainer waits while one runs.
  const QString chosenModel = chooseModelDir(parser, site->dir());
  app::Site* const draftingSite = site.get();
  const auto draftActivity = std::make_shared<app::DraftActivity>();
  const app::WorkstationServices services{
      *site,
      user,
      std::make_shared<app::ReportService>(*site, user.id),
      app::makeDraftService([draftingSite, chosenModel] { return app::draftingModelDir(*draftingSite, chosenModel); },
                            site->vault(), draftActivity),
      std::make_shared<app::DicomImporter>(*site, user.id),
      std::make_shared<const app::ImageLoader>(site->vault())};

  const QStringList imports = parser.values("import");
  if (!imports.isEmpty()) importAtStart(*services.importer, imports);
  // Files given without an option (the desktop entry's %F): imported, and the first one's study opened.
  const QStringList opened = parser.positionalArguments();
  const int64_t openedStudy = opened.isEmpty() ? 0 : importAtStart(*services.importer, opened).firstStudyId;
  if (demo) prepareDemo(*site, user, parser);

  // Outlives the window that shows it; on exit it stops between two steps and resumes at the next start.
  // The demo site trains after a few signed reports, so that a newcomer sees a run (and a round) within minutes.
  app::BackgroundTrainingOptions training;
  if (demo) {
    training.queueThreshold = kDemoTrainingThreshold;
    training.pollSeconds = 10;
  }
  app::BackgroundTrainer trainer(*site, chosenModel, draftActivity, training);
  // Takes part in federation rounds while the site is joined; declared before the window, so it stops (between
  // two training steps, its round resumable) only after the window is gone.
  app::SiteFederationOptions federationOptions;
  federationOptions.baseModel = chosenModel;
  app::SiteFederation federation(*site, draftActivity, federationOptions);
  ui::MainWindow window(services);
  window.attachTrainer(&trainer);
  window.attachFederation(&federation);
  trainer.startWatching();
  federation.refresh();
  window.show();
  if (openedStudy && window.openStudy(openedStudy))
    std::printf("Opened the study of %s\n", qPrintable(QDir::toNativeSeparators(opened.front())));
  if (parser.isSet("bench-viewer")) return runViewerBenchmark(window, parser.value("bench-viewer").toInt());
  const QString screenshot = parser.value("screenshot");
  if (demo || !screenshot.isEmpty()) {
    const bool quit = parser.isSet("quit-after-screenshot");
    bool waitOk = true;
    const int waitS = parser.value("screenshot-wait").isEmpty() ? 600 : parser.value("screenshot-wait").toInt(&waitOk);
    if (!waitOk || waitS < 0) {
      std::fprintf(
          stderr, "fedmrg: %s\n",
          qPrintable(
              Messages::tr("--screenshot-wait: '%1' is not a number of seconds").arg(parser.value("screenshot-wait"))));
      return 2;
    }
    const int waitMs = waitS * 1000;
    int rc = runDemoScreenshot(window, screenshot, quit);
    if (rc == 0 && parser.isSet("screenshot-training") &&
        !programs::shootTrainingProgress(window, trainer, parser.value("screenshot-training"), waitMs))
      rc = 1;
    if (rc == 0 && parser.isSet("screenshot-federation") &&
        !programs::shootFederationPanel(window, *site, user, parser.value("screenshot-federation"), waitMs))
      rc = 1;
    if (quit) return rc;
  }
  return app.exec();
}

// Which model folder the workstation drafts with: --model, then $FEDMRG_MODEL_DIR, then the site's
// model folder, then the default model installed beside the program (<bin>/../share/fedmrg/models/
// default, the .deb's /usr/share/fedmrg/models/default), else the site's folder for the message.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/draft_service.h"
#include "app/site/model_location.h"

using namespace fedmrg::app;

class TstModelLocation : public QObject {
  Q_OBJECT

 private slots:
  void installedModelIsBesideTheProgram() {
    QCOMPARE(installedModelDir("/usr/bin"), QString("/usr/share/fedmrg/models/default"));
    QCOMPARE(installedModelDir("/opt/fedmrg/bin/"), QString("/opt/fedmrg/share/fedmrg/models/default"));
  }

  void orderOfTheSources() {
    // An "installed" layout in a temporary prefix: bin/ for the program, share/ for the model.
    QTemporaryDir prefix;
    QVERIFY(prefix.isValid());
    const QString bin = prefix.filePath("bin"), site = prefix.filePath("site");
    QVERIFY(QDir().mkpath(bin) && QDir().mkpath(site));
    const QString installed = QDir::cleanPath(prefix.filePath("share/fedmrg/models/default"));

    // Nothing installed: the site's folder, which the "no report model installed" message names.
    QCOMPARE(chooseModelDir({{}, {}, site, bin}), siteModelDir(site));
    QVERIFY(QDir().mkpath(installed));
    QCOMPARE(chooseModelDir({{}, {}, site, bin}), installed);
    QCOMPARE(chooseModelDir({{}, {}, site, {}}), siteModelDir(site));  // no program folder known
    // A model the site keeps comes before the installed default.
    QVERIFY(QDir().mkpath(siteModelDir(site)));
    QCOMPARE(chooseModelDir({{}, {}, site, bin}), siteModelDir(site));
    // The user's choices come first, even when the folder is missing (the editor says what is wrong).
    QCOMPARE(chooseModelDir({{}, "/from/the/environment", site, bin}), QString("/from/the/environment"));
    QCOMPARE(chooseModelDir({prefix.filePath("chosen"), "/from/the/environment", site, bin}), prefix.filePath("chosen"));
  }
};

QTEST_APPLESS_MAIN(TstModelLocation)
#include "tst_model_location.moc"

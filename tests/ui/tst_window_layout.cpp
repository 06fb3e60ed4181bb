// WindowLayout: the window's size and its splitters' positions come back when the same user opens the
// workstation again, after a real close; another user of the same OS account keeps the default layout.
#include <QSettings>
#include <QSplitter>
#include <QtTest>
#include <memory>

#include "ui/main_window.h"
#include "ui/widget_test_main.h"
#include "ui/window_layout.h"
#include "ui/workstation_fixture.h"

using namespace fedmrg;

class TstWindowLayout : public QObject {
  Q_OBJECT

  testing::WorkstationFixture fixture_;  // the site and its user; windows are made by each test
  app::User& user_ = fixture_.user;

  std::unique_ptr<ui::MainWindow> openWindow(const app::User& user) {
    auto window = fixture_.newWindow(user);
    window->setPrefetch(false);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) return nullptr;
    QTest::qWait(50);  // the layout settles
    return window;
  }

  static QSplitter* mainSplitter(QWidget* window) {
    return window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
  }

  static bool near(const QList<int>& a, const QList<int>& b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); ++i)
      if (std::abs(a[i] - b[i]) > 2) return false;
    return true;
  }
  static QString text(const QList<int>& sizes) {
    QStringList s;
    for (int v : sizes) s << QString::number(v);
    return s.join(QLatin1Char(' '));
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    QVERIFY(fixture_.createSite());
  }

  void splittersAndSizeComeBackForTheSameUser() {
    QList<int> chosen;
    QList<int> defaults;
    {
      auto window = openWindow(user_);
      QVERIFY(window);
      window->resize(1300, 820);
      QTest::qWait(50);
      QSplitter* splitter = mainSplitter(window.get());
      QVERIFY(splitter);
      defaults = splitter->sizes();
      // The reader drags the worklist wider and the editor narrower.
      splitter->setSizes({520, 430, 330});
      chosen = splitter->sizes();
      QVERIFY2(!near(chosen, defaults), qPrintable(text(defaults)));
      QVERIFY(window->close());
    }
    QVERIFY(QSettings().childGroups().contains(QStringLiteral("layout")));

    auto again = openWindow(user_);
    QVERIFY(again);
    QCOMPARE(again->size(), QSize(1300, 820));
    const QList<int> restored = mainSplitter(again.get())->sizes();
    QVERIFY2(near(restored, chosen),
             qPrintable(QStringLiteral("restored %1, chosen %2").arg(text(restored), text(chosen))));
    again->close();
  }

  void anotherUserKeepsTheDefaults() {
    app::User other = user_;
    other.username = "drsmith/with-a-slash";  // free text: never a nested settings group
    auto window = openWindow(other);
    QVERIFY(window);
    QCOMPARE(window->size(), QSize(1480, 900));  // the constructor's size, not drjones's 1300 x 820
    QVERIFY(!ui::WindowLayout::group(QString::fromStdString(other.username)).mid(7).contains(QLatin1Char('/')));
    window->close();
  }

  void cleanupTestCase() { fixture_.site.reset(); }
};

FEDMRG_WIDGET_TEST_MAIN(TstWindowLayout)
#include "tst_window_layout.moc"

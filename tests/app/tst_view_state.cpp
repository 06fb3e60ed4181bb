// The viewer's state rules: window/level drags, presets, zoom limits, fit, inversion.
#include <QtTest>

#include "app/site/view_state.h"

using fedmrg::app::ViewState;

class TstViewState : public QObject {
  Q_OBJECT

 private slots:
  void dragMovesWindowAcrossTheValueRange() {
    ViewState s;
    s.reset({2000, 1000}, false, 0, 5000);
    s.dragWindow(100, 0);  // 100 of 500 pixels: a fifth of the range wider
    QCOMPARE(s.window().width, 2000.0);
    QCOMPARE(s.window().center, 2000.0);
    s.dragWindow(0, -50);
    QCOMPARE(s.window().center, 1500.0);
    s.dragWindow(-10000, 0);  // never below 1
    QCOMPARE(s.window().width, 1.0);
  }

  void presetsAreRelativeToTheDefaultWindow() {
    ViewState s;
    s.reset({1000, 2000}, false, 0, 4095);
    QVERIFY(s.applyPreset("lung"));
    QCOMPARE(s.window().center, 1000 - 0.15 * 2000);
    QCOMPARE(s.window().width, 2000 * 1.4);
    QVERIFY(s.applyPreset("bone"));
    QVERIFY(s.window().center > 1000);
    QVERIFY(!s.applyPreset("liver"));
    s.reset({1000, 2000}, false, 0, 4095);
    QCOMPARE(s.window().width, 2000.0);
  }

  void zoomPanFitAndInvert() {
    ViewState s;
    s.reset({0, 0}, true, -100, 100);  // no window in the file: the value range
    QCOMPARE(s.window().width, 200.0);
    QVERIFY(s.invert());
    QVERIFY(s.imageInverted());
    s.toggleInvert();
    QVERIFY(!s.invert());
    s.zoomBy(1000);
    QCOMPARE(s.zoom(), 40.0);
    s.zoomBy(-1);  // ignored
    QCOMPARE(s.zoom(), 40.0);
    s.panBy(5, -3);
    s.fit();
    QCOMPARE(s.zoom(), 1.0);
    QCOMPARE(s.panX(), 0.0);
    QCOMPARE(s.panY(), 0.0);
  }
};

QTEST_APPLESS_MAIN(TstViewState)
#include "tst_view_state.moc"

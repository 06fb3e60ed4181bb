// A linked view (the prior beside the current study): zoom follows as it is, pan as a fraction of
// each image, the window relative to each image's own default window.
#include <QtTest>

#include "app/site/view_link.h"

using namespace fedmrg::app;

class TstViewLink : public QObject {
  Q_OBJECT

 private slots:
  void otherImageFollowsZoomPanAndRelativeWindow() {
    ViewState current, prior;
    current.reset({2000, 4000}, false, 0, 4095);  // 12-bit film
    prior.reset({500, 1000}, false, 0, 1023);     // 10-bit film
    current.zoomBy(2.5);
    current.panBy(100, -50);  // on a 1000 x 800 image
    current.applyPreset("lung");
    followLinkedView(prior, linkedView(current, 1000, 800), 500, 400);
    QCOMPARE(prior.zoom(), 2.5);
    QCOMPARE(prior.panX(), 50.0);
    QCOMPARE(prior.panY(), -25.0);
    // The prior shows the lung preset of its own window, not the current film's numbers.
    ViewState lung = prior;
    QVERIFY(lung.applyPreset("lung"));
    QCOMPARE(prior.window().center, lung.window().center);
    QCOMPARE(prior.window().width, lung.window().width);
    // And back: the current view is unchanged by following its own linked view.
    const ViewState before = current;
    followLinkedView(current, linkedView(prior, 500, 400), 1000, 800);
    QCOMPARE(current.zoom(), before.zoom());
    QCOMPARE(current.panX(), before.panX());
    QCOMPARE(current.window().center, before.window().center);
    QCOMPARE(current.window().width, before.window().width);
  }

  void zoomLimitsHold() {
    ViewState a, b;
    a.reset({100, 200}, false, 0, 255);
    b.reset({100, 200}, false, 0, 255);
    a.zoomBy(1000);  // clamped to 40
    followLinkedView(b, linkedView(a, 10, 10), 10, 10);
    QCOMPARE(b.zoom(), 40.0);
  }
};

QTEST_APPLESS_MAIN(TstViewLink)
#include "tst_view_link.moc"

// The viewer's state rules: window/level drags, presets, zoom limits, fit, inversion, the grey a
// value is shown as (MONOCHROME1 like its MONOCHROME2 copy), actual pixels and the view mapping.
#include <QtTest>

#include "app/site/view_state.h"

using fedmrg::app::DisplayWindow;
using fedmrg::app::Point2;
using fedmrg::app::ViewState;

namespace {

// A MONOCHROME2 image's values 0..4095 and its MONOCHROME1 copy (v' = max + min - v): the same film.
constexpr double kMax = 4095, kMin = 0;

// The displayed grey of every value 0..4095 under `s`, indexed by the MONOCHROME2 value.
std::vector<int> displayed(const ViewState& s, bool mirrored) {
  const auto grey = s.greyMapping();
  std::vector<int> out;
  for (int v = 0; v <= 4095; ++v) out.push_back(grey(float(mirrored ? kMax + kMin - v : v)));
  return out;
}

// Where the two differ, for the failure message.
QString firstDifference(const std::vector<int>& a, const std::vector<int>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return QString("value %1: MONOCHROME2 grey %2, MONOCHROME1 grey %3").arg(i).arg(a[i]).arg(b[i]);
  return {};
}

}  // namespace

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

  void monochrome1ShowsLikeItsMonochrome2CopyAfterPresetsAndDrags() {
    const DisplayWindow window{1800, 3000};
    ViewState mono2, mono1;
    mono2.reset(window, false, kMin, kMax);
    mono1.reset({kMax + kMin - window.center, window.width}, true, kMin, kMax);
    QCOMPARE(firstDifference(displayed(mono2, false), displayed(mono1, true)), QString());
    // MONOCHROME1: the low values are the dense ones, shown white.
    QCOMPARE(displayed(mono1, true).back(), 255);
    for (const auto& preset : fedmrg::app::windowPresets()) {
      QVERIFY(mono2.applyPreset(preset.name));
      QVERIFY(mono1.applyPreset(preset.name));
      QVERIFY2(firstDifference(displayed(mono2, false), displayed(mono1, true)).isEmpty(),
               qPrintable(QString::fromStdString(preset.name) + ": " +
                          firstDifference(displayed(mono2, false), displayed(mono1, true))));
    }
    // The mediastinum preset shows dense tissue (high MONOCHROME2 values) darker than the default
    // does, on both: it spreads the bright end of the film.
    mono1.applyPreset("mediastinum");
    const auto preset = displayed(mono1, true);
    mono1.reset({kMax + kMin - window.center, window.width}, true, kMin, kMax);
    QVERIFY(preset[3000] < displayed(mono1, true)[3000]);
    mono2.reset(window, false, kMin, kMax);
    for (const auto& [dx, dy] : {std::pair{-120, 40}, std::pair{30, -90}, std::pair{0, 15}}) {
      mono2.dragWindow(dx, dy);
      mono1.dragWindow(dx, dy);
      QVERIFY2(firstDifference(displayed(mono2, false), displayed(mono1, true)).isEmpty(),
               qPrintable(QString("drag %1,%2: ").arg(dx).arg(dy) +
                          firstDifference(displayed(mono2, false), displayed(mono1, true))));
    }
    // Down raises the level on screen: the same pixel gets darker on both.
    const int before2 = displayed(mono2, false)[2000], before1 = displayed(mono1, true)[2000];
    mono2.dragWindow(0, 50);
    mono1.dragWindow(0, 50);
    QVERIFY(displayed(mono2, false)[2000] < before2);
    QVERIFY(displayed(mono1, true)[2000] < before1);
    // The user's invert flips both alike.
    mono2.toggleInvert();
    mono1.toggleInvert();
    QCOMPARE(firstDifference(displayed(mono2, false), displayed(mono1, true)), QString());
    QCOMPARE(displayed(mono1, true).back(), 0);
  }

  void actualPixelsIsOneImagePixelPerDevicePixel() {
    ViewState s;
    s.reset({2000, 4000}, false, 0, 4095);
    s.setImageSize(2000, 1000);
    s.setViewport(500, 400, 2.0);  // logical pixels on a 2x screen: 1000 x 800 device pixels
    QCOMPARE(s.fitMagnification(), 0.5);  // the width limits: 2000 image pixels on 1000 device pixels
    QCOMPARE(s.magnification(), 0.5);
    s.actualPixels();
    QCOMPARE(s.magnification(), 1.0);
    QCOMPARE(s.zoom(), 2.0);
    // 100 image pixels span 100 device pixels, 50 logical ones.
    const Point2 a = s.imageToView({100, 100}), b = s.imageToView({200, 100});
    QCOMPARE(b.x - a.x, 50.0);
    s.fit();
    QCOMPARE(s.magnification(), 0.5);
    // A small image in a large view needs less than the zoom clamp allows: actual pixels still hold.
    s.setImageSize(64, 64);
    s.setViewport(1000, 1000, 1.0);
    s.actualPixels();
    QCOMPARE(s.magnification(), 1.0);
  }

  void viewMappingFollowsZoomAndPan() {
    ViewState s;
    s.reset({0, 100}, false, 0, 100);
    s.setImageSize(401, 201);
    s.setViewport(401, 201, 1.0);
    // Fit at magnification 1: the image's center pixel is in the view's middle.
    const Point2 c = s.imageToView({200, 100});
    QCOMPARE(c.x, 200.5);
    QCOMPARE(c.y, 100.5);
    s.zoomBy(2);
    s.panByView(30, -10);  // the image follows the mouse
    const Point2 moved = s.imageToView({200, 100});
    QCOMPARE(moved.x, 230.5);
    QCOMPARE(moved.y, 90.5);
    const Point2 back = s.viewToImage(s.imageToView({17.25, 63.5}));
    QCOMPARE(back.x, 17.25);
    QCOMPARE(back.y, 63.5);
  }
};

QTEST_APPLESS_MAIN(TstViewState)
#include "tst_view_state.moc"

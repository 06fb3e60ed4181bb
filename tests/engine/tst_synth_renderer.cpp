// Tests of the FL-MRG-Synth chest renderer: deterministic pixels, the site's bit depth and
// photometric interpretation, findings that change the image where they should, and image
// statistics that differ between sites more than within a site. Also the PNG writer and font.
#include <QtTest>

#ifdef FEDMRG_HAVE_DCMTK
#include <cmath>
#include <numeric>

#include "engine/core/png_writer.h"
#include "engine/synth/bitmap_font.h"
#include "engine/synth/chest_renderer.h"
#include "engine/synth/synth_montage.h"
#include "engine/synth/synth_study.h"

using namespace fedmrg::engine;

namespace {

std::vector<double> histogram(const SynthImage& img, int bins) {
  const std::vector<uint8_t> d = displayPixels(img);
  std::vector<double> h(size_t(bins), 0.0);
  for (uint8_t v : d) h[size_t(v * bins / 256)] += 1.0 / double(d.size());
  return h;
}

double l1(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += std::fabs(a[i] - b[i]);
  return s;
}

// Mean display value in a box given as fractions of the image.
double meanIn(const SynthImage& img, double x0, double x1, double y0, double y1) {
  const std::vector<uint8_t> d = displayPixels(img);
  double s = 0;
  int n = 0;
  for (int y = int(y0 * img.height); y < int(y1 * img.height); ++y)
    for (int x = int(x0 * img.width); x < int(x1 * img.width); ++x, ++n) s += d[size_t(y) * img.width + x];
  return s / n;
}

StudyTruth normalStudy(const SiteProfile& site, uint64_t seed) {
  StudyTruth t = sampleStudy(site, seed);
  for (auto& f : t.findings) f = Finding{};
  t.findings[0].present = true;
  t.patient.ctr = 0.44;
  t.patient.mediastinumWidth = 0.15;
  t.patient.shiftX = t.patient.shiftY = 0;
  t.patient.scale = 1;
  t.patient.rotation = 0;
  return t;
}

}  // namespace
#endif  // FEDMRG_HAVE_DCMTK

class TestSynthRenderer : public QObject {
  Q_OBJECT
 private slots:
#ifndef FEDMRG_HAVE_DCMTK
  void skipped() { QSKIP("FL-MRG-Synth (engine/synth) is built only with DCMTK"); }
#else
  void samePixelsForSameStudy() {
    const auto sites = builtinSites();
    const StudyTruth t = sampleStudy(sites[0], 42);
    const SynthImage a = renderChest(t, sites[0].acquisition, 256), b = renderChest(t, sites[0].acquisition, 256);
    QVERIFY(a.pixels == b.pixels);
    const SynthImage c = renderChest(sampleStudy(sites[0], 43), sites[0].acquisition, 256);
    QVERIFY(a.pixels != c.pixels);
  }

  void bitDepthAspectAndPhotometricFollowTheSite() {
    for (const SiteProfile& site : builtinSites()) {
      const SynthImage img = renderChest(sampleStudy(site, 5), site.acquisition, 256);
      QCOMPARE(img.height, 256);
      QCOMPARE(img.width, int(std::lround(256 * site.acquisition.aspect)) & ~1);
      QCOMPARE(img.bitsStored, site.acquisition.bitsStored);
      const int maxV = (1 << img.bitsStored) - 1;
      QVERIFY(*std::max_element(img.pixels.begin(), img.pixels.end()) <= maxV);
      QVERIFY(*std::max_element(img.pixels.begin(), img.pixels.end()) > maxV / 2);
      // Lungs look dark on the display whatever the photometric interpretation; for MONOCHROME1
      // that means high stored values.
      const double lungDisplay = meanIn(img, 0.2, 0.35, 0.35, 0.5);
      const double spineDisplay = meanIn(img, 0.47, 0.53, 0.6, 0.7);
      QVERIFY2(lungDisplay < spineDisplay, site.id.c_str());
      double storedLung = 0;
      int n = 0;
      for (int y = int(0.35 * img.height); y < int(0.5 * img.height); ++y, ++n)
        storedLung += img.pixels[size_t(y) * img.width + img.width / 4];
      storedLung /= n;
      QCOMPARE(storedLung > maxV / 2.0, site.acquisition.monochrome1);
    }
  }

  void effusionWhitensTheCostophrenicAngle() {
    const SiteProfile site = builtinSites()[0];
    StudyTruth t = normalStudy(site, 3);
    const SynthImage before = renderChest(t, site.acquisition, 256);
    t.findings[obs::PleuralEffusion] = Finding{true, false, 3, Side::Right, Zone::Lower, 0, 0, 0};
    const SynthImage after = renderChest(t, site.acquisition, 256);
    // Patient's right is on the image left; the left lung base stays as it was.
    QVERIFY(meanIn(after, 0.18, 0.32, 0.62, 0.72) > meanIn(before, 0.18, 0.32, 0.62, 0.72) + 15);
    QVERIFY(std::fabs(meanIn(after, 0.68, 0.82, 0.62, 0.72) - meanIn(before, 0.68, 0.82, 0.62, 0.72)) < 3);
  }

  void cardiomegalyWidensTheHeart() {
    const SiteProfile site = builtinSites()[3];
    StudyTruth t = normalStudy(site, 8);
    const SynthImage before = renderChest(t, site.acquisition, 256);
    t.patient.ctr = 0.66;
    t.findings[obs::Cardiomegaly] = Finding{true, false, 3, Side::None, Zone::Lower, 0, 0, 0};
    const SynthImage after = renderChest(t, site.acquisition, 256);
    // Lateral to a normal heart's left border, in the lower left hemithorax (image right).
    QVERIFY(meanIn(after, 0.66, 0.74, 0.55, 0.62) > meanIn(before, 0.66, 0.74, 0.55, 0.62) + 10);
  }

  void pneumothoraxLeavesADarkRimWithoutMarkings() {
    const SiteProfile site = builtinSites()[0];
    StudyTruth t = normalStudy(site, 4);
    const SynthImage before = renderChest(t, site.acquisition, 256);
    t.findings[obs::Pneumothorax] = Finding{true, false, 3, Side::Right, Zone::Upper, 0, 0, 0};
    const SynthImage after = renderChest(t, site.acquisition, 256);
    // Lateral rim of the right lung (image left), and the left lung as a control.
    const double rimBefore = meanIn(before, 0.16, 0.21, 0.3, 0.45), rimAfter = meanIn(after, 0.16, 0.21, 0.3, 0.45);
    qInfo("right lateral rim: %.1f without, %.1f with a large pneumothorax", rimBefore, rimAfter);
    QVERIFY(rimAfter < rimBefore - 3);
    QVERIFY(std::fabs(meanIn(after, 0.79, 0.84, 0.3, 0.45) - meanIn(before, 0.79, 0.84, 0.3, 0.45)) < 2);
  }

  void noduleSizeFollowsThePixelSpacing() {
    // A 30 mm nodule covers about 30 / spacing pixels across, whatever the site's field of view.
    for (int s : {0, 2}) {
      const SiteProfile site = builtinSites()[size_t(s)];
      StudyTruth t = normalStudy(site, 6);
      const SynthImage before = renderChest(t, site.acquisition, 512);
      t.findings[obs::LungLesion] = Finding{true, false, 2, Side::Left, Zone::Middle, 30, 0, 0};
      const SynthImage after = renderChest(t, site.acquisition, 512);
      const std::vector<uint8_t> a = displayPixels(before), b = displayPixels(after);
      int changed = 0;
      for (size_t i = 0; i < a.size(); ++i) changed += std::abs(int(b[i]) - int(a[i])) > 8;
      const double r = 15.0 / after.pixelSpacingMm;
      const double expected = 3.14159 * r * r;
      qInfo("%s: %d changed pixels, disc of %.0f expected", site.id.c_str(), changed, expected);
      QVERIFY(changed > 0.3 * expected && changed < 1.5 * expected);
    }
  }

  void sitesDifferMoreThanStudiesWithinASite() {
    const auto sites = builtinSites();
    const int per = 6;
    std::vector<std::vector<std::vector<double>>> h(sites.size());
    for (size_t s = 0; s < sites.size(); ++s)
      for (int k = 0; k < per; ++k)
        h[s].push_back(histogram(renderChest(sampleStudy(sites[s], studySeed(3, int(s), k)), sites[s].acquisition, 192), 32));
    double within = 0, between = 0;
    int nw = 0, nb = 0;
    for (size_t s = 0; s < sites.size(); ++s)
      for (size_t t = s; t < sites.size(); ++t)
        for (int a = 0; a < per; ++a)
          for (int b = 0; b < per; ++b) {
            if (s == t && a >= b) continue;
            const double d = l1(h[s][size_t(a)], h[t][size_t(b)]);
            if (s == t) within += d, ++nw;
            else between += d, ++nb;
          }
    within /= nw;
    between /= nb;
    qInfo("mean L1 histogram distance: within sites %.3f, between sites %.3f", within, between);
    QVERIFY(between > 1.5 * within);
  }

  void pngHasValidChunks() {
    QCOMPARE(crc32Png(reinterpret_cast<const uint8_t*>("123456789"), 9), 0xCBF43926u);
    QCOMPARE(adler32Png(reinterpret_cast<const uint8_t*>("Wikipedia"), 9), 0x11E60398u);
    std::vector<uint8_t> px(size_t(37) * 21 * 3);
    for (size_t i = 0; i < px.size(); ++i) px[i] = uint8_t(i * 7);
    const std::vector<uint8_t> png = encodePng(px.data(), 37, 21, 3);
    QVERIFY(png.size() > 8 + 25 + 12);
    QCOMPARE(std::vector<uint8_t>(png.begin(), png.begin() + 8),
             std::vector<uint8_t>({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}));
    size_t pos = 8;
    std::vector<std::string> types;
    while (pos + 12 <= png.size()) {
      const uint32_t len = uint32_t(png[pos]) << 24 | uint32_t(png[pos + 1]) << 16 | uint32_t(png[pos + 2]) << 8 | png[pos + 3];
      types.emplace_back(png.begin() + long(pos) + 4, png.begin() + long(pos) + 8);
      const size_t c = pos + 8 + len;
      const uint32_t crc = uint32_t(png[c]) << 24 | uint32_t(png[c + 1]) << 16 | uint32_t(png[c + 2]) << 8 | png[c + 3];
      QCOMPARE(crc, crc32Png(png.data() + pos + 4, len + 4));
      pos = c + 4;
    }
    QCOMPARE(pos, png.size());
    QCOMPARE(types, std::vector<std::string>({"IHDR", "IDAT", "IEND"}));
    QVERIFY_THROWS_EXCEPTION(PngError, encodePng(px.data(), 37, 21, 2));
  }

  void fontDrawsKnownAndUnknownCharacters() {
    const uint8_t* a = glyph5x7('a');
    QVERIFY(a == glyph5x7('A'));
    QVERIFY(std::accumulate(a, a + kGlyphHeight, 0) > 0);
    QVERIFY(glyph5x7('~') == glyph5x7('?'));
    QCOMPARE(textWidth("AB", 2), 22);
    std::vector<uint8_t> img(size_t(30) * 10, 0);
    const uint8_t white = 255;
    drawText(img.data(), 30, 10, 1, "L", 1, 1, 1, &white);
    QCOMPARE(int(std::count(img.begin(), img.end(), 255)), 11);  // 7 down + 4 along the foot
  }

  void montageShowsEverySite() {
    MontageOptions o;
    o.perSite = 2;
    o.tile = 64;
    o.renderSize = 128;
    int w = 0, h = 0;
    const auto px = renderMontage(builtinSites(), o, w, h);
    QCOMPARE(px.size(), size_t(w) * h);
    QVERIFY(h >= 5 * 64);
  }
#endif
};

QTEST_APPLESS_MAIN(TestSynthRenderer)
#include "tst_synth_renderer.moc"

// Measurements kept with the study: per image and per user, back after the site is reopened,
// removed on request; invalid ones refused with the field named; stored rows that cannot be shown
// (corrupt JSON, negative coordinates) are named and left alone while the others still load.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/measurement_store.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;

class TstMeasurementStore : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int64_t rad_ = 0, other_ = 0;
  std::string sop_;

  QString siteDir() const { return dir_.filePath("site"); }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(siteDir(), "passphrase!", "Measure Site", "admin", "Admin", "adminpass1");
    UserDirectory users(*site_);
    rad_ = users.addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
    other_ = users.addUser("other", "Dr Other", Role::Radiologist, "otherpass1");
    fedmrg::testing::TestDicom d;
    d.pixelSpacing = "0.2\\0.2";
    sop_ = fedmrg::testing::writeTestDicom(dir_.filePath("a.dcm").toStdString(), d);
    QCOMPARE(DicomImporter(*site_, rad_).importFiles({dir_.filePath("a.dcm")}).imported, 1);
  }

  void keptPerImageAndUserAcrossReopening() {
    MeasurementStore store(*site_, rad_);
    const Measurement distance = store.add(sop_, {0, MeasurementKind::Distance, {{100, 300}, {350, 300}}});
    QVERIFY(distance.id > 0);
    store.add(sop_, {0, MeasurementKind::CardiothoracicRatio, {{190, 400}, {310, 410}, {125, 300}, {375, 290}}});
    QCOMPARE(int(MeasurementStore(*site_, other_).load(sop_).measurements.size()), 0);  // not another user's

    site_.reset();
    site_ = Site::open(siteDir(), "passphrase!");
    MeasurementStore reopened(*site_, rad_);
    const auto loaded = reopened.load(sop_);
    QVERIFY(loaded.errors.empty());
    QCOMPARE(int(loaded.measurements.size()), 2);
    const Measurement& back = loaded.measurements[0];
    QCOMPARE(back.id, distance.id);
    QVERIFY(back.kind == MeasurementKind::Distance);
    QCOMPARE(back.points[1].x, 350.0);
    QCOMPARE(measurementLabel(back, {0.2, 0.2, SpacingSource::PixelSpacing}), QString("50.0 mm"));
    QVERIFY(loaded.measurements[1].kind == MeasurementKind::CardiothoracicRatio);

    QVERIFY(!MeasurementStore(*site_, other_).remove(distance.id));  // only its author removes it
    QVERIFY(reopened.remove(distance.id));
    QVERIFY(!reopened.remove(distance.id));
    QCOMPARE(int(reopened.load(sop_).measurements.size()), 1);
  }

  void invalidMeasurementsAreRefusedWithTheField() {
    MeasurementStore store(*site_, rad_);
    const int before = int(store.load(sop_).measurements.size());
    try {
      store.add(sop_, {0, MeasurementKind::Distance, {{10, 10}, {-5, 10}}});
      QFAIL("a negative coordinate was stored");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(QString(e.what()).contains("points[1]: negative coordinates"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.add(sop_, {0, MeasurementKind::Angle, {{1, 1}}}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.add("", {0, MeasurementKind::Distance, {{1, 1}, {2, 2}}}));
    QVERIFY_THROWS_EXCEPTION(StoreError,
                             store.add("1.2.3.no.such.image", {0, MeasurementKind::Distance, {{1, 1}, {2, 2}}}));
    QCOMPARE(int(store.load(sop_).measurements.size()), before);
  }

  void badStoredRowsAreNamedAndTheOthersStillLoad() {
    MeasurementStore store(*site_, rad_);
    const int good = int(store.load(sop_).measurements.size());
    auto insert = [&](const std::string& kind, const std::string& points) {
      site_->store()
          .prepare("INSERT INTO measurements(sop_uid, user_id, kind, points, created_at) VALUES (?, ?, ?, ?, ?)")
          .bind(1, sop_)
          .bind(2, rad_)
          .bind(3, kind)
          .bind(4, points)
          .bind(5, nowUtc())
          .run();
      return site_->store().lastInsertId();
    };
    const int64_t corrupt = insert("distance", "[[1, 2], [3, ");
    const int64_t negative = insert("distance", "[[-40, 2], [30, 4]]");
    const int64_t wrongShape = insert("angle", "{\"x\": 1}");
    const auto loaded = store.load(sop_);
    QCOMPARE(int(loaded.measurements.size()), good);
    QCOMPARE(int(loaded.errors.size()), 3);
    const QString c = QString::fromStdString(loaded.errors[0]);
    QVERIFY2(c.startsWith(QString("measurement %1: points: not valid JSON").arg(corrupt)), qPrintable(c));
    const QString n = QString::fromStdString(loaded.errors[1]);
    QVERIFY2(n.startsWith(QString("measurement %1: points[0]: negative coordinates").arg(negative)), qPrintable(n));
    const QString w = QString::fromStdString(loaded.errors[2]);
    QVERIFY2(w.startsWith(QString("measurement %1: points: not a JSON array").arg(wrongShape)), qPrintable(w));
    // Nothing stored is lost: the rows stay for someone to look at.
    QCOMPARE(site_->store().queryInt("SELECT count(*) FROM measurements WHERE user_id = " + std::to_string(rad_)),
             int64_t(good + 3));
  }
};

QTEST_GUILESS_MAIN(TstMeasurementStore)
#include "tst_measurement_store.moc"

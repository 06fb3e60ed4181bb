// The store's UTC timestamps as people read them (local minute) and as DICOM DT.
#include <QtTest>
#include <cstdlib>
#include <ctime>

#include "app/site/stored_time.h"

using namespace fedmrg::app;

class TstStoredTime : public QObject {
  Q_OBJECT

 private slots:
  void dicomDateTimeIsTheExactUtcInstant() {
    QCOMPARE(dicomDateTime("2026-12-01T10:32:05.123Z"), std::string("20261201103205.123+0000"));
    QCOMPARE(dicomDateTime("not a time"), std::string());
  }

  void localMinuteIsInTheWorkstationTimeZone() {
    // India is UTC+05:30 all year: a half-hour offset shows that the conversion happened.
    qputenv("TZ", "Asia/Kolkata");
    tzset();
    QCOMPARE(localMinute("2026-12-01T10:32:05.123Z"), std::string("2026-12-01 16:02"));
    qputenv("TZ", "UTC");
    tzset();
    QCOMPARE(localMinute("2026-12-01T23:59:59.999Z"), std::string("2026-12-01 23:59"));
    QCOMPARE(localMinute("yesterday"), std::string("yesterday"));  // shown as stored, never blank
  }
};

QTEST_APPLESS_MAIN(TstStoredTime)
#include "tst_stored_time.moc"

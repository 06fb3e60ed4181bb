// openState(): the coordinator config's state spec, dispatched to its backend; refused specs name
// themselves without their password.
#include <QtTest>

#include "coordinator/state_factory.h"

using namespace fedmrg::coordinator;

namespace {

std::string stateErrorOf(const std::string& spec) {
  try {
    openState(spec);
  } catch (const StateError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class TestStateFactory : public QObject {
  Q_OBJECT

 private slots:
  void backends() {
    QCOMPARE(openState("memory")->describe(), std::string("memory"));
    const QString base = qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath());
    QDir().mkpath(base);
    QTemporaryDir dir(base + "/factory-XXXXXX");
    QVERIFY(dir.isValid());
    const std::string file = dir.filePath("state.db").toStdString();
    QCOMPARE(openState("sqlite:" + file)->describe(), "sqlite:" + file);
    QVERIFY(QFileInfo::exists(QString::fromStdString(file)));
  }

  void refused_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown backend") << "mysql:host=x password=hunter2"
                                     << "unknown backend";
    QTest::newRow("empty") << ""
                           << "unknown backend";
    QTest::newRow("memory with a path") << "memory:/x"
                                        << "unknown backend";
    QTest::newRow("sqlite without a file") << "sqlite:"
                                           << "no file given";
    QTest::newRow("bad conninfo") << "postgresql:host"
                                  << "invalid connection string";
    QTest::newRow("no server") << "postgresql:host=127.0.0.1 port=1 dbname=d user=u password=hunter2"
                               << "cannot connect";
    QTest::newRow("no server, URI") << "postgresql://u:hunter2@127.0.0.1:1/d"
                                    << "cannot connect";
  }
  void refused() {
    QFETCH(QString, spec);
    QFETCH(QString, reason);
    const std::string error = stateErrorOf(spec.toStdString());
    QVERIFY2(error.find(reason.toStdString()) != std::string::npos, error.c_str());
    QVERIFY2(error.find("hunter2") == std::string::npos, error.c_str());
  }

  void redaction() {
    QCOMPARE(redactStateSpec("postgresql:host=h password=secret dbname=d"),
             std::string("postgresql:host=h password=*** dbname=d"));
    QCOMPARE(redactStateSpec("postgresql:password = 'a b\\' c' host=h"),
             std::string("postgresql:password = *** host=h"));
    QCOMPARE(redactStateSpec("postgresql://user:secret@host:5432/db"),
             std::string("postgresql://user:***@host:5432/db"));
    QCOMPARE(redactStateSpec("sqlite:/var/lib/fedmrg/state.db"), std::string("sqlite:/var/lib/fedmrg/state.db"));
  }
};

QTEST_APPLESS_MAIN(TestStateFactory)
#include "tst_state_factory.moc"

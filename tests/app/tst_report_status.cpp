// Report status and kind: each enum value has one stored word, the words are exactly those the
// schema's CHECK constraints accept, and unknown words parse to nothing.
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include "app/site/report_status.h"

using namespace fedmrg::app;

namespace {

// The words a CHECK (<column> IN ('a', 'b')) constraint of the initial schema allows, per match.
QList<QSet<QString>> checkedWords(const QString& column) {
  QFile schema(QStringLiteral(FEDMRG_SOURCE_DIR "/app/sql/001_initial.sql"));
  if (!schema.open(QIODevice::ReadOnly)) return {};
  const QString sql = QString::fromUtf8(schema.readAll());
  const QRegularExpression check(column + QStringLiteral("\\s+IN\\s*\\(([^)]*)\\)"));
  QList<QSet<QString>> out;
  for (auto it = check.globalMatch(sql); it.hasNext();) {
    QSet<QString> words;
    for (QString w : it.next().captured(1).split(',')) words.insert(w.trimmed().remove('\''));
    out << words;
  }
  return out;
}

}  // namespace

class TstReportStatus : public QObject {
  Q_OBJECT

 private slots:
  void statusWordsRoundTrip() {
    QSet<QString> seen;
    for (auto s : {ReportStatus::New, ReportStatus::Draft, ReportStatus::Preliminary, ReportStatus::Final}) {
      const std::string key = statusKey(s);
      QVERIFY(parseStatus(key) == s);
      seen.insert(QString::fromStdString(key));
    }
    QCOMPARE(seen.size(), 4);  // one word per status
    QVERIFY(!parseStatus("approved").has_value());
    QVERIFY(!parseStatus("Final").has_value());  // the store's words are lower case
    QVERIFY(!parseStatus("").has_value());
  }

  void kindWordsRoundTrip() {
    QVERIFY(parseKind(kindKey(ReportKind::Report)) == ReportKind::Report);
    QVERIFY(parseKind(kindKey(ReportKind::Addendum)) == ReportKind::Addendum);
    QVERIFY(std::string(kindKey(ReportKind::Report)) != kindKey(ReportKind::Addendum));
    QVERIFY(!parseKind("note").has_value());
  }

  void wordsAreTheSchemasWords() {
    // studies.status allows every status; reports.status every one but New (a version is at least a draft).
    const auto statusChecks = checkedWords(QStringLiteral("status"));
    QVERIFY2(statusChecks.size() >= 2, "the schema's status CHECK constraints were not found");
    const QSet<QString> all{statusKey(ReportStatus::New), statusKey(ReportStatus::Draft),
                            statusKey(ReportStatus::Preliminary), statusKey(ReportStatus::Final)};
    QSet<QString> versions = all;
    versions.remove(statusKey(ReportStatus::New));
    QCOMPARE(statusChecks[0], all);
    QCOMPARE(statusChecks[1], versions);
    const auto kindChecks = checkedWords(QStringLiteral("kind"));
    QCOMPARE(kindChecks.size(), 1);
    QCOMPARE(kindChecks[0], (QSet<QString>{kindKey(ReportKind::Report), kindKey(ReportKind::Addendum)}));
  }
};

QTEST_APPLESS_MAIN(TstReportStatus)
#include "tst_report_status.moc"

// The audit trail: one writer, entries read back with their patient and study, admin actions named
// after the admin, study openings recorded (repeats coalesced), filters as bound SQL, RFC 4180 CSV
// export, and who may read or export what.
#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/audit_trail.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"

using namespace fedmrg::app;

class TstAuditTrail : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int64_t admin_ = 0, rad_ = 0, alpha_ = 0, bravo_ = 0;

  int64_t addStudy(const std::string& uid, const std::string& name, const std::string& id, const std::string& date,
                   const std::string& accession, const std::string& description) {
    auto st = site_->store().prepare(
        "INSERT INTO studies(study_uid, patient_name, patient_id, study_date, accession_number, description, "
        "imported_at) VALUES(?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, uid).bind(2, name).bind(3, id).bind(4, date).bind(5, accession).bind(6, description).bind(7, nowUtc());
    st.run();
    return site_->store().lastInsertId();
  }

  int64_t lastEntryId() { return site_->store().queryInt("SELECT max(id) FROM audit_log"); }

  // Moves a stored entry to another time, as if it had been written then.
  void setEntryTime(int64_t entryId, const QDateTime& at) {
    auto st = site_->store().prepare("UPDATE audit_log SET at = ? WHERE id = ?");
    st.bind(1, at.toUTC().toString(Qt::ISODateWithMs).toStdString()).bind(2, entryId).run();
  }

  int count(const AuditQuery& query) { return int(auditLog(*site_, query).size()); }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "audit passphrase", "Audit Site", "admin", "Site Admin", "adminpass1");
    admin_ = UserDirectory(*site_).authenticate("admin", "adminpass1")->id;
    rad_ = UserDirectory(*site_, admin_).addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
    alpha_ = addStudy("1.2.3.1", "Alpha^Anna", "A001", "20260110", "ACC-1", "CHEST PA");
    bravo_ = addStudy("1.2.3.2", "Bravo^Ben", "B002", "20260111", "", "");
  }

  void adminActionsNameTheAdmin() {
    UserDirectory(*site_, admin_).addUser("rad2", "Dr Two", Role::Radiologist, "radpass456");
    AuditQuery added;
    added.action = "user.add";
    const auto entries = auditLog(*site_, added);
    QCOMPARE(int(entries.size()), 3);  // the first admin, rad, rad2
    QCOMPARE(entries[0].user, std::string("admin"));
    QCOMPARE(entries[0].detail, std::string("rad2 (radiologist)"));
    QCOMPARE(entries[1].user, std::string("admin"));
    // Only the site's creation, before any user existed, is the system's.
    QCOMPARE(entries[2].user, std::string("system"));
    QCOMPARE(entries[2].detail, std::string("admin (radiologist, admin)"));  // Site::create's default roles
    // Nobody else adds users: no acting user, or one who is no administrator, is refused.
    QVERIFY_THROWS_EXCEPTION(StoreError, UserDirectory(*site_).addUser("anon", "", Role::Admin, "longenough1"));
    QVERIFY_THROWS_EXCEPTION(StoreError, UserDirectory(*site_, rad_).addUser("sneaky", "", Role::Admin, "longenough1"));
    QCOMPARE(count(added), 3);
    QVERIFY(!UserDirectory(*site_).find(rad_ + 100).has_value());
  }

  void failedSignInNamesTheAccountTried() {
    QVERIFY(!UserDirectory(*site_).authenticate("rad", "wrong-password").has_value());
    AuditEntry e = auditLog(*site_, 0, 1).front();
    QCOMPARE(e.action, std::string("login.failed"));
    QCOMPARE(e.user, std::string("rad"));
    QVERIFY(!UserDirectory(*site_).authenticate("nobody", "whatever1").has_value());
    e = auditLog(*site_, 0, 1).front();
    QCOMPARE(e.action, std::string("login.failed"));
    QVERIFY(QString::fromStdString(e.detail).contains("'nobody'"));
  }

  void entriesShowTheirPatientAndStudy() {
    site_->audit(rad_, "report.save", alpha_, "version 1 (human)");
    const AuditEntry alpha = auditLog(*site_, alpha_, 1).front();
    QCOMPARE(alpha.studyId, alpha_);
    QCOMPARE(alpha.user, std::string("rad"));
    QCOMPARE(alpha.patient, std::string("Alpha, Anna (A001)"));
    QCOMPARE(alpha.study, std::string("2026-01-10, ACC-1, CHEST PA"));
    recordAudit(*site_, rad_, "report.save", bravo_, "version 1 (human)");
    const AuditEntry bravo = auditLog(*site_, bravo_, 1).front();
    QCOMPARE(bravo.patient, std::string("Bravo, Ben (B002)"));
    QCOMPARE(bravo.study, std::string("2026-01-11"));  // no accession, no description
    recordAudit(*site_, admin_, "import", 0, "1 imported");
    const AuditEntry none = auditLog(*site_, 0, 1).front();
    QCOMPARE(none.studyId, int64_t(0));
    QVERIFY(none.patient.empty());
    QVERIFY(none.study.empty());
  }

  void studyOpeningsAreRecordedAndRepeatsCoalesced() {
    AuditQuery opened;
    opened.action = "study.open";
    opened.studyId = alpha_;
    opened.userId = rad_;
    const int before = count(opened);
    QVERIFY(recordStudyOpened(*site_, rad_, alpha_));
    const AuditEntry e = auditLog(*site_, alpha_, 1).front();
    QCOMPARE(e.action, std::string("study.open"));
    QCOMPARE(e.user, std::string("rad"));
    QCOMPARE(e.patient, std::string("Alpha, Anna (A001)"));
    // Re-opening at once is the same access: one entry.
    QVERIFY(!recordStudyOpened(*site_, rad_, alpha_));
    QCOMPARE(count(opened), before + 1);
    // Another user's opening is theirs, and does not hide the next one of rad.
    QVERIFY(recordStudyOpened(*site_, admin_, alpha_));
    QVERIFY(!recordStudyOpened(*site_, rad_, alpha_));  // rad's own latest entry is still this opening
    // Another study in between: the next opening of alpha is an entry again.
    QVERIFY(recordStudyOpened(*site_, rad_, bravo_));
    QVERIFY(recordStudyOpened(*site_, rad_, alpha_));
    QCOMPARE(count(opened), before + 2);
    // More than a minute later: an entry again.
    setEntryTime(lastEntryId(), QDateTime::currentDateTimeUtc().addSecs(-(kReopenCoalesceSeconds + 1)));
    QVERIFY(recordStudyOpened(*site_, rad_, alpha_));
    QCOMPARE(count(opened), before + 3);
    // Another kind of access (a prior's report) is coalesced with itself only.
    QVERIFY(recordAccess(*site_, rad_, "report.view.prior", alpha_));
    QVERIFY(!recordAccess(*site_, rad_, "report.view.prior", alpha_));
    QVERIFY(recordStudyOpened(*site_, rad_, alpha_));
  }

  void filtersByUserActionDaysAndText() {
    // Entries on known local days.
    recordAudit(*site_, rad_, "report.sign.final", alpha_, "signed 50% of it_");
    const int64_t signedAlpha = lastEntryId();
    setEntryTime(signedAlpha, QDateTime(QDate(2025, 3, 10), QTime(0, 0, 1)));
    recordAudit(*site_, admin_, "report.sign.final", bravo_, "comma, \"quoted\"");
    const int64_t signedBravo = lastEntryId();
    setEntryTime(signedBravo, QDateTime(QDate(2025, 3, 12), QTime(23, 59, 59)));

    AuditQuery q;
    q.action = "report.sign.final";
    QCOMPARE(count(q), 2);
    q.userId = rad_;
    QCOMPARE(count(q), 1);
    q.userId = admin_;
    QCOMPARE(auditLog(*site_, q).front().studyId, bravo_);
    q.userId = kSystemUser;
    QCOMPARE(count(q), 0);
    AuditQuery system;
    system.userId = kSystemUser;
    for (const auto& e : auditLog(*site_, system)) QCOMPARE(e.user, std::string("system"));
    QVERIFY(count(system) >= 1);

    q = {};
    q.from = QDate(2025, 3, 10);
    q.to = QDate(2025, 3, 10);
    QCOMPARE(count(q), 1);  // the first second of the day is in it
    q.to = QDate(2025, 3, 12);
    QCOMPARE(count(q), 2);  // the last second of the 'to' day too
    q.from = QDate(2025, 3, 11);
    QCOMPARE(count(q), 1);
    q.to = QDate(2025, 3, 11);
    QCOMPARE(count(q), 0);
    q.from = QDate(2025, 3, 12);
    try {
      auditLog(*site_, q);
      QFAIL("a 'from' day after the 'to' day must be refused");
    } catch (const StoreError& e) {
      QVERIFY2(QString(e.what()).contains("'from'"), e.what());
    }

    q = {};
    q.text = "alpha anna";  // as typed: spaces, any case, for the stored "Alpha^Anna"
    const auto alphaEntries = auditLog(*site_, q);
    QVERIFY(!alphaEntries.empty());
    for (const auto& e : alphaEntries) QCOMPARE(e.studyId, alpha_);
    q.text = "b002";
    for (const auto& e : auditLog(*site_, q)) QCOMPARE(e.studyId, bravo_);
    QVERIFY(count(q) >= 2);
    q.text = "acc-1";
    QCOMPARE(count(q), int(alphaEntries.size()));
    q.text = "50%";  // LIKE's wildcards are plain characters in the text
    QCOMPARE(count(q), 1);
    q.text = "5_%";
    QCOMPARE(count(q), 0);
    q.text = "it_";
    QCOMPARE(count(q), 1);
    q.text = "' OR 1=1 --";  // a value, never SQL
    QCOMPARE(count(q), 0);

    q = {};
    q.studyId = bravo_;
    for (const auto& e : auditLog(*site_, q)) QCOMPARE(e.studyId, bravo_);
    q.limit = 1;
    QCOMPARE(count(q), 1);

    const auto actions = auditActions(*site_);
    QVERIFY(std::is_sorted(actions.begin(), actions.end()));
    QVERIFY(std::find(actions.begin(), actions.end(), "study.open") != actions.end());
    QCOMPARE(std::count(actions.begin(), actions.end(), "report.sign.final"), 1L);
  }

  void csvQuotesWhatNeedsIt() {
    AuditEntry plain{"2026-01-10T08:00:00.000Z", "rad", "study.open", "", 1, "Alpha, Anna (A001)", "2026-01-10"};
    AuditEntry tricky{"2026-01-10T09:00:00.000Z", "admin", "report.save", "said \"no\",\r\nthen\nyes; Zoë", 2, "", ""};
    const std::string csv = auditCsv({plain, tricky});
    QCOMPARE(csv,
             std::string("time (UTC),user,action,patient,study,detail\r\n"
                         "2026-01-10T08:00:00.000Z,rad,study.open,\"Alpha, Anna (A001)\",2026-01-10,\r\n"
                         "2026-01-10T09:00:00.000Z,admin,report.save,,,\"said \"\"no\"\",\r\nthen\nyes; Zoë\"\r\n"));
  }

  void exportWritesTheFileAndIsRecorded() {
    AuditQuery all;
    all.limit = 1;  // the export ignores the screen's limit: every matching entry
    const auto expected = auditCsv(auditLog(*site_, AuditQuery{0, {}, {}, {}, {}, {}, 0}));
    const QString file = dir_.filePath("audit export.csv");
    AuditTrail trail(*site_, admin_);
    const int written = trail.exportCsv(all, file);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray content = f.readAll();
    QCOMPARE(content.toStdString(), expected);
    QVERIFY(written > 10);
    QVERIFY(content.contains("\"comma, \"\"quoted\"\"\""));
    const AuditEntry recorded = auditLog(*site_, 0, 1).front();
    QCOMPARE(recorded.action, std::string("audit.export"));
    QCOMPARE(recorded.user, std::string("admin"));
    QVERIFY(QString::fromStdString(recorded.detail).contains(file));

    const QString nowhere = dir_.filePath("no such folder/audit.csv");
    try {
      trail.exportCsv(all, nowhere);
      QFAIL("an export into a missing folder must fail");
    } catch (const StoreError& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains(nowhere), e.what());
    }
    QCOMPARE(auditLog(*site_, 0, 1).front().action, std::string("audit.export"));
    QCOMPARE(auditLog(*site_, 0, 1).front().detail, recorded.detail);  // the failure is no export
  }

  void onlyAdministratorsReadAllStudiesAndExport() {
    AuditTrail admin(*site_, admin_);
    QVERIFY(admin.maySeeAllStudies());
    QVERIFY(admin.mayExport());
    QVERIFY(!admin.entries(AuditQuery{}).empty());

    AuditTrail rad(*site_, rad_);
    QVERIFY(!rad.maySeeAllStudies());
    QVERIFY(!rad.mayExport());
    QVERIFY_THROWS_EXCEPTION(StoreError, rad.entries(AuditQuery{}));
    AuditQuery alpha;
    alpha.studyId = alpha_;
    const auto own = rad.entries(alpha);
    QVERIFY(!own.empty());
    for (const auto& e : own) QCOMPARE(e.studyId, alpha_);
    const QString file = dir_.filePath("rad.csv");
    QVERIFY_THROWS_EXCEPTION(StoreError, rad.exportCsv(alpha, file));
    QVERIFY(!QFile::exists(file));
    // An unknown user is no administrator.
    QVERIFY(!AuditTrail(*site_, 9999).maySeeAllStudies());
  }
};

QTEST_GUILESS_MAIN(TstAuditTrail)
#include "tst_audit_trail.moc"

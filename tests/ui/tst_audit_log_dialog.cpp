// The audit log dialog on a real site: the columns with patient and study, the open study's log or
// (administrators) all of it, the user, action, day and text filters, the CSV export, and what a
// radiologist may not do (all studies, export).
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/audit_trail.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "ui/audit_log_dialog.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

class TstAuditLogDialog : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  int64_t admin_ = 0, rad_ = 0, alpha_ = 0, bravo_ = 0;

  int64_t addStudy(const std::string& uid, const std::string& name, const std::string& id) {
    auto st = site_->store().prepare(
        "INSERT INTO studies(study_uid, patient_name, patient_id, study_date, imported_at) VALUES(?, ?, ?, '20260110', "
        "?)");
    st.bind(1, uid).bind(2, name).bind(3, id).bind(4, app::nowUtc()).run();
    return site_->store().lastInsertId();
  }

  static QStringList column(const QTableWidget* table, int c) {
    QStringList out;
    for (int r = 0; r < table->rowCount(); ++r) out << table->item(r, c)->text();
    return out;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = app::Site::create(dir_.filePath("site"), "dialog passphrase", "Dialog Site", "admin", "Site Admin",
                              "adminpass1");
    admin_ = app::UserDirectory(*site_).authenticate("admin", "adminpass1")->id;
    rad_ = app::UserDirectory(*site_, admin_).addUser("rad", "Dr Rad", app::Role::Radiologist, "radpass123");
    alpha_ = addStudy("1.2.3.1", "Alpha^Anna", "A001");
    bravo_ = addStudy("1.2.3.2", "Bravo^Ben", "B002");
    app::recordStudyOpened(*site_, rad_, alpha_);
    app::recordAudit(*site_, rad_, "report.save", alpha_, "version 1, \"human\"");
    app::recordStudyOpened(*site_, admin_, bravo_);
    // One entry on a known past day, for the day filter.
    app::recordAudit(*site_, admin_, "report.save", bravo_, "old");
    auto st = site_->store().prepare("UPDATE audit_log SET at = ? WHERE id = (SELECT max(id) FROM audit_log)");
    st.bind(1, QDateTime(QDate(2025, 5, 20), QTime(12, 0)).toUTC().toString(Qt::ISODateWithMs).toStdString()).run();
  }

  void adminFiltersAndExports() {
    ui::AuditLogDialog dialog(*site_, admin_, alpha_);
    QCOMPARE(dialog.table->columnCount(), int(ui::AuditLogDialog::ColumnCount));
    QCOMPARE(dialog.table->horizontalHeaderItem(ui::AuditLogDialog::Patient)->text(), QString("Patient"));
    // The open study's log first: its entries only, with the patient and the study.
    QVERIFY(dialog.scope->isEnabled());
    QCOMPARE(dialog.table->rowCount(), 2);
    QCOMPARE(column(dialog.table, ui::AuditLogDialog::Action), QStringList({"report.save", "study.open"}));
    QCOMPARE(column(dialog.table, ui::AuditLogDialog::Patient), QStringList(2, "Alpha, Anna (A001)"));
    QCOMPARE(column(dialog.table, ui::AuditLogDialog::Study), QStringList(2, "2026-01-10"));
    QCOMPARE(column(dialog.table, ui::AuditLogDialog::User), QStringList(2, "rad"));

    dialog.scope->setCurrentIndex(dialog.scope->findText("All studies"));
    const int all = dialog.table->rowCount();
    QVERIFY(all >= 6);  // the site's creation, rad added, sign-in, and the four above
    QVERIFY(column(dialog.table, ui::AuditLogDialog::Patient).contains("Bravo, Ben (B002)"));
    QVERIFY(column(dialog.table, ui::AuditLogDialog::Patient).contains(""));  // entries without a study

    dialog.user->setCurrentIndex(dialog.user->findText("rad", Qt::MatchStartsWith));
    QCOMPARE(dialog.table->rowCount(), 2);
    dialog.user->setCurrentIndex(0);
    dialog.action->setCurrentIndex(dialog.action->findText("study.open"));
    QCOMPARE(column(dialog.table, ui::AuditLogDialog::Patient),
             QStringList({"Bravo, Ben (B002)", "Alpha, Anna (A001)"}));
    dialog.action->setCurrentIndex(0);
    dialog.text->setText("bravo");
    QCOMPARE(dialog.table->rowCount(), 2);
    dialog.text->clear();
    dialog.from->setDate(QDate(2025, 5, 20));
    dialog.to->setDate(QDate(2025, 5, 20));
    QCOMPARE(column(dialog.table, ui::AuditLogDialog::Detail), QStringList({"old"}));
    dialog.to->setDate(dialog.to->minimumDate());  // "any": open-ended
    QCOMPARE(dialog.table->rowCount(), all);
    dialog.from->setDate(dialog.from->minimumDate());

    // The export writes what the filter matches, as CSV.
    QVERIFY(dialog.exportButton->isEnabled());
    dialog.text->setText("alpha");
    const QString file = dir_.filePath("audit.csv");
    QVERIFY2(dialog.exportCsv(file), qPrintable(dialog.message()->text()));
    QVERIFY(dialog.message()->text().contains("2 entries"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 4);  // header, two entries, and the empty rest after the last CRLF
    QVERIFY(lines[0].startsWith("time (UTC),user,action,patient,study,detail"));
    QVERIFY(lines[1].contains(",rad,report.save,\"Alpha, Anna (A001)\",2026-01-10,\"version 1, \"\"human\"\"\""));
    QVERIFY(!dialog.exportCsv(dir_.filePath("missing/audit.csv")));
    QVERIFY(dialog.message()->text().contains("missing/audit.csv"));
  }

  void radiologistReadsTheOpenStudyOnly() {
    ui::AuditLogDialog dialog(*site_, rad_, bravo_);
    QVERIFY(!dialog.scope->isEnabled());
    QVERIFY(!dialog.exportButton->isEnabled());
    // Bravo's log, including what another user did on it.
    QCOMPARE(column(dialog.table, ui::AuditLogDialog::Patient), QStringList(2, "Bravo, Ben (B002)"));
    QVERIFY(!dialog.exportCsv(dir_.filePath("rad.csv")));
    QVERIFY(!QFile::exists(dir_.filePath("rad.csv")));

    ui::AuditLogDialog noStudy(*site_, rad_, 0);
    QCOMPARE(noStudy.table->rowCount(), 0);
    QVERIFY(noStudy.message()->text().contains("Open a study"));
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstAuditLogDialog)
#include "tst_audit_log_dialog.moc"

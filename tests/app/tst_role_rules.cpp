// Roles (issue 14, item 5): a user holds a set of roles; only radiologists sign (preliminary, final,
// addenda); only admins manage users, PACS nodes and the audit export; the site's first admin may
// hold both roles. Each refusal names the missing role and the roles the user has, is enforced by the
// service itself and is in the audit log. A site made before roles were a set keeps its users' roles.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/audit_trail.h"
#include "app/site/pacs_node.h"
#include "app/site/report_service.h"
#include "app/site/role_rules.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"

using namespace fedmrg::app;

namespace {

int64_t addStudy(Site& site, const std::string& uid) {
  auto st = site.store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES(?, ?)");
  st.bind(1, uid).bind(2, nowUtc()).run();
  return site.store().lastInsertId();
}

// The message of the StoreError `f` throws; empty when it throws none.
template <class F>
std::string refusalOf(F f) {
  try {
    f();
  } catch (const StoreError& e) {
    return e.what();
  }
  return {};
}

// The details of the site's "role.refused" entries, newest first.
std::vector<std::string> refusals(Site& site) {
  AuditQuery q;
  q.action = kRoleRefusedAction;
  std::vector<std::string> out;
  for (const auto& e : auditLog(site, q)) out.push_back(e.user + " | " + e.detail);
  return out;
}

}  // namespace

class TstRoleRules : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

 private slots:
  void adminOnlyUserCannotSign() {
    auto site = Site::create(dir_.filePath("admin-only"), "passphrase!", "North", "boss", "Site Admin", "adminpass1",
                             {Role::Admin});
    const auto boss = UserDirectory(*site).authenticate("boss", "adminpass1");
    QVERIFY(boss);
    QCOMPARE(boss->roles, Roles{Role::Admin});
    const int64_t study = addStudy(*site, "1.2.3.1");
    ReportService reports(*site, boss->id);
    reports.save(study, "Heart size normal.", "No acute disease.", "");  // editing a draft needs no role
    const std::string expected = "Signing needs the radiologist role; boss has: admin";
    QCOMPARE(reports.signRefusal(study, ReportStatus::Final), expected);
    QCOMPARE(refusalOf([&] { reports.sign(study, ReportStatus::Preliminary); }), expected);
    QCOMPARE(refusalOf([&] { reports.sign(study, ReportStatus::Final); }), expected);
    QVERIFY(reports.studyStatus(study) == ReportStatus::Draft);  // nothing was signed
    QCOMPARE(refusals(*site), (std::vector<std::string>{"boss | report.sign.final: " + expected,
                                                        "boss | report.sign.preliminary: " + expected}));

    // A radiologist the admin adds signs; the admin still may not add the addendum.
    const int64_t rad = UserDirectory(*site, boss->id).addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
    ReportService(*site, rad).sign(study, ReportStatus::Final);
    QCOMPARE(refusalOf([&] { reports.addAddendum(study, "Compared with the prior."); }),
             std::string("Adding an addendum needs the radiologist role; boss has: admin"));
    QCOMPARE(int(ReportService(*site, rad).addenda(study).size()), 0);
    ReportService(*site, rad).addAddendum(study, "Compared with the prior.");
    QCOMPARE(refusals(*site).front(),
             "boss | report.addendum: Adding an addendum needs the radiologist role; boss has: admin");
  }

  void radiologistCannotManageUsersPacsOrAudit() {
    auto site = Site::create(dir_.filePath("radiologist"), "passphrase!", "South", "boss", "Site Admin", "adminpass1",
                             {Role::Admin});
    const int64_t boss = UserDirectory(*site).authenticate("boss", "adminpass1")->id;
    const int64_t rad = UserDirectory(*site, boss).addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
    const std::string has = "; rad has: radiologist";

    QCOMPARE(refusalOf([&] { UserDirectory(*site, rad).addUser("mallory", "", Role::Admin, "longenough1"); }),
             "Managing users needs the admin role" + has);
    QVERIFY(!UserDirectory(*site).authenticate("mallory", "longenough1"));
    QCOMPARE(refusalOf([&] { UserDirectory(*site, rad).setRoles(rad, {Role::Radiologist, Role::Admin}); }),
             "Managing users needs the admin role" + has);
    QCOMPARE(UserDirectory(*site).find(rad)->roles, Roles{Role::Radiologist});

    PacsNode node;
    node.name = "Main PACS";
    node.aeTitle = "ORTHANC";
    node.host = "127.0.0.1";
    node.port = 4242;
    QCOMPARE(refusalOf([&] { PacsNodeStore(*site, rad).save(node); }), "Changing the PACS settings needs the admin role" + has);
    QCOMPARE(int(PacsNodeStore(*site, rad).nodes().size()), 0);

    AuditTrail trail(*site, rad);
    QVERIFY(!trail.mayExport());
    QCOMPARE(refusalOf([&] { trail.exportCsv({}, dir_.filePath("audit.csv")); }), "Exporting the audit log needs the admin role" + has);
    QVERIFY(!QFile::exists(dir_.filePath("audit.csv")));
    QCOMPARE(refusalOf([&] { trail.entries({}); }), "Reading the audit entries of all studies needs the admin role" + has);

    // Nobody signed in (the system) may not add a second user either.
    QCOMPARE(refusalOf([&] { UserDirectory(*site).addUser("ghost", "", Role::Radiologist, "longenough1"); }),
             std::string("Managing users needs the admin role; no user is signed in"));

    const auto logged = refusals(*site);
    QCOMPARE(int(logged.size()), 6);
    QCOMPARE(logged[5], "rad | user.add: Managing users needs the admin role" + has);
    QCOMPARE(logged[4], "rad | user.roles: Managing users needs the admin role" + has);
    QCOMPARE(logged[3], "rad | pacs.node.save: Changing the PACS settings needs the admin role" + has);
    QCOMPARE(logged[2], "rad | audit.export: Exporting the audit log needs the admin role" + has);
    QCOMPARE(logged[0], std::string("system | user.add: Managing users needs the admin role; no user is signed in"));

    // The admin does all of it, audited as theirs.
    PacsNodeStore(*site, boss).save(node);
    UserDirectory(*site, boss).setRoles(rad, {Role::Radiologist, Role::Admin});
    QCOMPARE(UserDirectory(*site).find(rad)->roles, (Roles{Role::Radiologist, Role::Admin}));
    AuditQuery changed;
    changed.action = "user.roles";
    const auto entries = auditLog(*site, changed);
    QCOMPARE(int(entries.size()), 1);
    QCOMPARE(entries.front().user, std::string("boss"));
    QCOMPARE(entries.front().detail, std::string("rad: radiologist -> radiologist, admin"));
    // The site keeps an admin, and a user keeps a role.
    QVERIFY(refusalOf([&] { UserDirectory(*site, boss).setRoles(rad, {}); }).find("needs a role") != std::string::npos);
    UserDirectory(*site, boss).setRoles(rad, {Role::Radiologist});
    QVERIFY(refusalOf([&] { UserDirectory(*site, boss).setRoles(boss, {Role::Radiologist}); })
                .find("only admin") != std::string::npos);
  }

  void dualRoleFirstAdminDoesBoth() {
    auto site = Site::create(dir_.filePath("dual"), "passphrase!", "East", "drboss", "Dr Boss", "adminpass1",
                             {Role::Admin, Role::Radiologist});
    const auto boss = UserDirectory(*site).authenticate("drboss", "adminpass1");
    QCOMPARE(boss->roles, (Roles{Role::Radiologist, Role::Admin}));
    const int64_t study = addStudy(*site, "1.2.3.2");
    ReportService reports(*site, boss->id);
    QCOMPARE(reports.signingRoleRefusal(), std::string());
    reports.save(study, "Heart size normal.", "No acute disease.", "");
    reports.sign(study, ReportStatus::Final);
    reports.addAddendum(study, "Compared with the prior.");
    UserDirectory(*site, boss->id).addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
    QVERIFY(AuditTrail(*site, boss->id).mayExport());
    QVERIFY(refusals(*site).empty());
    // The first user must be an admin: a site nobody can manage is refused.
    QVERIFY(refusalOf([&] {
              Site::create(dir_.filePath("nobody"), "passphrase!", "West", "rad", "Dr Rad", "adminpass1",
                           {Role::Radiologist});
            }).find("admin role") != std::string::npos);
  }

  // A site created by the previous schema (one role per user, no user_roles table) is migrated by
  // 012_user_roles.sql: every user keeps the role it had.
  void migrationKeepsTheRolesOfAnOlderSite() {
    const QString dir = dir_.filePath("older");
    {
      auto site = Site::create(dir, "passphrase!", "Old", "boss", "Site Admin", "adminpass1", {Role::Admin});
      const int64_t boss = UserDirectory(*site).authenticate("boss", "adminpass1")->id;
      UserDirectory(*site, boss).addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
      // Back to what the previous schema stored: the role column only.
      site->store().exec("DROP TABLE user_roles");
      site->store().exec("UPDATE users SET role = 'admin' WHERE username = 'boss'");
      site->store().exec("UPDATE users SET role = 'radiologist' WHERE username = 'rad'");
      // Later migrations run again on open: take back what they made (013: the model versions, the
      // federation settings and federation_rounds.approved, which this SQLite cannot drop in place).
      site->store().exec(
          "DROP TABLE model_activations; DROP TABLE model_version_scores; DROP TABLE model_versions;"
          "DROP TABLE federation_settings; DROP TABLE federation_rounds;"
          "CREATE TABLE federation_rounds (id INTEGER PRIMARY KEY, round INTEGER NOT NULL,"
          " base_version INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,"
          " bytes_up INTEGER NOT NULL DEFAULT 0, bytes_down INTEGER NOT NULL DEFAULT 0)");
      site->store().exec("PRAGMA user_version = 11");
    }
    auto site = Site::open(dir, "passphrase!");
    QCOMPARE(site->store().schemaVersion(), SiteStore::latestSchemaVersion());
    const auto boss = UserDirectory(*site).authenticate("boss", "adminpass1");
    const auto rad = UserDirectory(*site).authenticate("rad", "radpass123");
    QCOMPARE(boss->roles, Roles{Role::Admin});
    QCOMPARE(rad->roles, Roles{Role::Radiologist});
    const int64_t study = addStudy(*site, "1.2.3.3");
    ReportService(*site, rad->id).save(study, "Heart size normal.", "No acute disease.", "");
    ReportService(*site, rad->id).sign(study, ReportStatus::Final);
    QVERIFY(!ReportService(*site, boss->id).signingRoleRefusal().empty());
  }
};

QTEST_GUILESS_MAIN(TstRoleRules)
#include "tst_role_rules.moc"

// PACS node settings in the site store: what an AE title and a node must be, that only an
// administrator changes them, that one node at most is the default, and the workstation's own AE.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/pacs_node.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"

using namespace fedmrg::app;

class TstPacsNode : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int64_t admin_ = 0, radiologist_ = 0;

  static PacsNode node(const std::string& name, bool isDefault = false) {
    return PacsNode{0, name, "PACS1", "pacs.example", 104, RetrieveMethod::Get, isDefault};
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "node passphrase", "Node Site", "admin", "Admin", "adminpass1");
    admin_ = UserDirectory(*site_).authenticate("admin", "adminpass1")->id;
    radiologist_ = UserDirectory(*site_, admin_).addUser("rad", "Dr. Rad", Role::Radiologist, "radpass123");
  }

  void aeTitleRules() {
    QVERIFY(aeTitleProblem("ORTHANC").empty());
    QVERIFY(aeTitleProblem("SIXTEEN_CHARS_OK").empty());
    QVERIFY(!aeTitleProblem("").empty());
    QVERIFY(!aeTitleProblem("    ").empty());
    QVERIFY(QString::fromStdString(aeTitleProblem("SEVENTEEN_CHARS_X")).contains("16"));
    QVERIFY(QString::fromStdString(aeTitleProblem("BAD\\AE")).contains("backslash"));
    PacsNode n = node("Main");
    n.port = 0;
    QVERIFY(QString::fromStdString(pacsNodeProblem(n)).contains("port 0"));
    n = node("Main");
    n.host.clear();
    QVERIFY(QString::fromStdString(pacsNodeProblem(n)).contains("host"));
  }

  void onlyAnAdministratorChangesNodes() {
    QVERIFY_THROWS_EXCEPTION(StoreError, PacsNodeStore(*site_, radiologist_).save(node("Main")));
    QVERIFY_THROWS_EXCEPTION(StoreError, PacsNodeStore(*site_, radiologist_).setLocalAe(LocalAe{"WS", 11112}));
    QVERIFY(PacsNodeStore(*site_, radiologist_).nodes().empty());
  }

  void oneDefaultAtMost() {
    PacsNodeStore store(*site_, admin_);
    const int64_t main = store.save(node("Main"));
    // The only node is the default even without the mark.
    QCOMPARE(store.defaultNode()->id, main);
    const int64_t archive = store.save(node("Archive", true));
    QCOMPARE(store.defaultNode()->id, archive);
    store.setDefault(main);
    QCOMPARE(store.defaultNode()->id, main);
    QVERIFY(!store.node(archive)->isDefault);
    QVERIFY_THROWS_EXCEPTION(StoreError, store.save(node("main")));  // names are unique, whatever the case
    PacsNode bad = node("Bad");
    bad.aeTitle = "BAD\\AE";
    QVERIFY_THROWS_EXCEPTION(StoreError, store.save(bad));
    store.remove(main);
    QCOMPARE(store.defaultNode()->id, archive);  // the only one left
    QCOMPARE(int(store.nodes().size()), 1);
  }

  void workstationAe() {
    PacsNodeStore store(*site_, admin_);
    QCOMPARE(store.localAe().aeTitle, std::string("FEDMRG"));
    store.setLocalAe(LocalAe{"READING1", 11113});
    QCOMPARE(store.localAe().aeTitle, std::string("READING1"));
    QCOMPARE(store.localAe().port, 11113);
    QVERIFY_THROWS_EXCEPTION(StoreError, store.setLocalAe(LocalAe{"", 11113}));
    QVERIFY_THROWS_EXCEPTION(StoreError, store.setLocalAe(LocalAe{"OK", 70000}));
    QVERIFY(!store.autoSendReports());
    store.setAutoSendReports(true);
    QVERIFY(store.autoSendReports());
  }
};

QTEST_GUILESS_MAIN(TstPacsNode)
#include "tst_pacs_node.moc"

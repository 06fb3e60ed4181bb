// PacsClient against a real Orthanc on loopback, started by the suite with its own configuration and
// loaded with FL-MRG-Synth studies by C-STORE: C-ECHO, C-FIND by name and by date range, C-GET and
// C-MOVE with the pixel data identical byte for byte, retrieve into the site through the importer;
// and the bad peers: a PACS that is down, one that refuses the workstation's AE, one that never answers.
#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>

#include "app/pacs_fixture.h"
#include "app/site/pacs_client.h"
#include "app/site/pacs_retrieve.h"
#include "app/site/site.h"
#include "app/test_dicom.h"
#include "engine/synth/synth_generator.h"

using namespace fedmrg::app;
using fedmrg::testing::OrthancServer;

namespace {

struct SynthStudy {
  std::string file, studyUid, patientName, studyDate;
};

std::string tag(DcmDataset* ds, const DcmTagKey& key) {
  OFString v;
  ds->findAndGetOFString(key, v);
  return v.c_str();
}

}  // namespace

class TstPacsClient : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<OrthancServer> orthanc_;
  int workstationPort_ = 0;
  std::vector<SynthStudy> studies_;  // one image each

  PacsClient client(RetrieveMethod m = RetrieveMethod::Get) {
    return fedmrg::testing::orthancClient(*orthanc_, workstationPort_, m);
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QString why;
    orthanc_ = fedmrg::testing::startedOrthanc(dir_.filePath("orthanc"), &workstationPort_, &why);
    if (!orthanc_) FEDMRG_ORTHANC_UNAVAILABLE(why);

    fedmrg::engine::SynthOptions o;
    o.outDir = dir_.filePath("synth").toStdString();
    o.studiesPerSite = 2;
    o.size = 64;
    o.threads = 1;
    fedmrg::engine::generateSynthDataset(o);
    QDirIterator it(dir_.filePath("synth"), {"*.dcm"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const std::string file = it.next().toStdString();
      DcmFileFormat ff;
      QVERIFY(ff.loadFile(file.c_str()).good());
      studies_.push_back({file, tag(ff.getDataset(), DCM_StudyInstanceUID), tag(ff.getDataset(), DCM_PatientName),
                          tag(ff.getDataset(), DCM_StudyDate)});
    }
    QVERIFY(studies_.size() >= 8);
    PacsClient c = client();
    for (const auto& s : studies_) c.store(s.file);
  }

  void echoes() { client().echo(); }

  void findsByPatientName() {
    const SynthStudy& s = studies_.front();
    StudyQuery q;
    q.patientName = s.patientName;
    const auto matches = client().findStudies(q);
    QCOMPARE(int(matches.size()), 1);
    QCOMPARE(matches[0].studyUid, s.studyUid);
    QCOMPARE(matches[0].patientName, s.patientName);
    QCOMPARE(matches[0].images, 1);
    QVERIFY(!matches[0].modalities.empty());
    QVERIFY(!matches[0].description.empty());
    q.patientName = "NOBODY^HERE";
    QVERIFY(client().findStudies(q).empty());
  }

  void findsByDateRange() {
    std::set<std::string> dates;
    for (const auto& s : studies_) dates.insert(s.studyDate);
    QVERIFY(dates.size() >= 3);
    // From the second-earliest date to the second-latest: the range must leave studies out on both sides.
    const std::string from = *std::next(dates.begin()), to = *std::next(dates.rbegin());
    std::set<std::string> expected;
    for (const auto& s : studies_)
      if (s.studyDate >= from && s.studyDate <= to) expected.insert(s.studyUid);
    QVERIFY(expected.size() < studies_.size());
    StudyQuery q;
    q.fromDate = from;
    q.toDate = to;
    std::set<std::string> found;
    for (const auto& m : client().findStudies(q)) found.insert(m.studyUid);
    QCOMPARE(found, expected);
    q.fromDate = to;  // open-ended: from the second-latest date on
    q.toDate.clear();
    for (const auto& m : client().findStudies(q)) QVERIFY(m.studyDate >= to);
  }

  void getsTwoStudiesWithIdenticalPixelData() {
    // Two studies stored in different transfer syntaxes where the synthetic sites differ.
    std::map<QByteArray, const SynthStudy*> byTransferSyntax;
    for (const auto& s : studies_) byTransferSyntax.emplace(fedmrg::testing::storedPixelData(s.file).split('|')[0], &s);
    std::vector<const SynthStudy*> pick;
    for (const auto& [ts, s] : byTransferSyntax) pick.push_back(s);
    if (pick.size() < 2) pick = {&studies_[0], &studies_[1]};
    pick.resize(2);
    for (const SynthStudy* s : pick) {
      const QString folder = dir_.filePath(QString::fromStdString("get-" + s->studyUid));
      QVERIFY(QDir().mkpath(folder));
      int progressCalls = 0;
      const RetrieveResult r =
          client().retrieveStudy(s->studyUid, folder.toStdString(), [&](int, int) { ++progressCalls; });
      QCOMPARE(int(r.files.size()), 1);
      QCOMPARE(r.failed, 0);
      QCOMPARE(progressCalls, 1);
      const QByteArray original = fedmrg::testing::storedPixelData(s->file);
      QVERIFY(!original.isEmpty());
      QCOMPARE(fedmrg::testing::storedPixelData(r.files[0]), original);
    }
  }

  void movesAStudyToTheWorkstationScp() {
    const SynthStudy& s = studies_.back();
    const QString folder = dir_.filePath("move");
    QVERIFY(QDir().mkpath(folder));
    const RetrieveResult r = client(RetrieveMethod::Move).retrieveStudy(s.studyUid, folder.toStdString());
    QCOMPARE(int(r.files.size()), 1);
    QCOMPARE(fedmrg::testing::storedPixelData(r.files[0]), fedmrg::testing::storedPixelData(s.file));
  }

  void retrievedStudyEntersTheSiteOnce() {
    auto site = Site::create(dir_.filePath("site"), "pacs passphrase", "PACS Site", "admin", "Admin", "adminpass1");
    DicomImporter importer(*site);
    PacsRetriever retriever(*site, importer, client());
    const SynthStudy& s = studies_[2];
    const StudyRetrieval first = retriever.retrieve(s.studyUid);
    QVERIFY2(first.error.empty(), first.error.c_str());
    QCOMPARE(first.received, 1);
    QCOMPARE(first.import.imported, 1);
    QCOMPARE(first.import.studiesAdded, 1);
    auto st = site->store().prepare("SELECT count(*) FROM studies WHERE study_uid = ?");
    st.bind(1, s.studyUid);
    QVERIFY(st.step());
    QCOMPARE(st.int64(0), int64_t(1));
    // The same study again: the importer's de-duplication, nothing new.
    const StudyRetrieval again = retriever.retrieve(s.studyUid);
    QCOMPARE(again.import.imported, 0);
    QCOMPARE(again.import.duplicates, 1);
    // No temporary folder is left behind.
    QCOMPARE(QDir(site->dir() + "/incoming").entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 0);
    // A study the PACS does not have: a clear message, nothing imported.
    const StudyRetrieval none = retriever.retrieve("1.2.3.4.5.6.7.8.9");
    QVERIFY(!none.error.empty());
    QCOMPARE(none.import.imported, 0);
  }

  void malformedObjectIsNamedAndTheRestImports() {
    // A study on the PACS with one good image and one image object without its pixel data.
    fedmrg::testing::TestDicom d;
    d.studyUid = "1.2.826.0.1.3680043.10.99.1618";
    d.width = d.height = 32;
    const std::string good = dir_.filePath("good.dcm").toStdString();
    fedmrg::testing::writeTestDicom(good, d);
    const std::string broken = dir_.filePath("broken.dcm").toStdString();
    d.sopUid = d.studyUid + ".9.9";
    fedmrg::testing::writeTestDicom(broken, d);
    DcmFileFormat ff;
    QVERIFY(ff.loadFile(broken.c_str()).good());
    delete ff.getDataset()->remove(DCM_PixelData);
    QVERIFY(ff.saveFile(broken.c_str(), EXS_LittleEndianExplicit).good());
    client().store(good);
    client().store(broken);

    auto site = Site::create(dir_.filePath("site-bad"), "pacs passphrase", "PACS Site", "admin", "Admin", "adminpass1");
    DicomImporter importer(*site);
    const StudyRetrieval r = PacsRetriever(*site, importer, client()).retrieve(d.studyUid);
    QVERIFY2(r.error.empty(), r.error.c_str());
    QCOMPARE(r.received, 2);
    QCOMPARE(r.import.imported, 1);
    QCOMPARE(int(r.import.errors.size()), 1);
    QVERIFY(!r.import.errors[0].reason.isEmpty());
    QCOMPARE(site->store().queryInt("SELECT count(*) FROM images"), int64_t(1));
  }

  void cancelledQueryReturnsWithoutWaiting() {
    std::atomic<bool> cancel{true};
    const auto matches = client().findStudies(StudyQuery{}, &cancel);
    QVERIFY(matches.size() <= studies_.size());
    client().echo();  // the PACS still serves the next association
  }

  void refusedAssociationSaysWhichAeTitle() {
    PacsClient stranger(LocalAe{"STRANGER", workstationPort_}, fedmrg::testing::orthancNode(*orthanc_), PacsTimeouts{3, 5});
    try {
      stranger.echo();
      QFAIL("Orthanc served an AE title it does not know");
    } catch (const PacsError& e) {
      const QString m = e.what();
      QVERIFY2(m.contains("refused the association") && m.contains("STRANGER"), e.what());
    }
  }

  void pacsDownSaysNothingListens() {
    PacsNode down = fedmrg::testing::orthancNode(*orthanc_);
    down.port = fedmrg::testing::freeLoopbackPort();
    try {
      PacsClient(fedmrg::testing::workstationAe(workstationPort_), down, PacsTimeouts{3, 5}).findStudies({});
      QFAIL("a query to a closed port succeeded");
    } catch (const PacsError& e) {
      QVERIFY2(QString(e.what()).contains("connection refused"), e.what());
    }
  }

  void silentPeerTimesOut() {
    // A socket that listens but never speaks DICOM: the kernel accepts the connection, nobody answers.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    QVERIFY(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(fd, 4) == 0);
    QVERIFY(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    PacsNode silent = fedmrg::testing::orthancNode(*orthanc_);
    silent.port = ntohs(a.sin_port);
    const auto start = std::chrono::steady_clock::now();
    QString message;
    try {
      PacsClient(fedmrg::testing::workstationAe(workstationPort_), silent, PacsTimeouts{1, 1}).echo();
    } catch (const PacsError& e) {
      message = e.what();
    }
    ::close(fd);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QVERIFY2(message.contains("did not answer"), qPrintable(message));
    QVERIFY2(seconds < 10, qPrintable(QString::number(seconds)));
  }

  void notADicomFileIsRefusedBeforeConnecting() {
    const QString junk = dir_.filePath("junk.dcm");
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not DICOM");
    f.close();
    try {
      client().store(junk.toStdString());
      QFAIL("a junk file was stored");
    } catch (const PacsError& e) {
      QVERIFY2(QString(e.what()).contains("junk.dcm"), e.what());
    }
  }

  void cleanupTestCase() {
    if (orthanc_) orthanc_->stop();
  }
};

QTEST_GUILESS_MAIN(TstPacsClient)
#include "tst_pacs_client.moc"

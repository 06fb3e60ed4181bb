// fedmrg-coordinator's command line: help and version answer, bad arguments and an address it
// cannot listen on fail with a reason, and it answers the federation protocol on the port it reports.
#include <QtTest>

#include <cstring>

#include "federation/payload.h"
#include "federation/site_client.h"
#include "fedmrg_version.h"

using namespace fedmrg::federation;

namespace {

// A small update with known bytes: 2 x 3 float32 values 0.5, 1.5, ...
Payload smallUpdate() {
  Payload p;
  p.siteId = "site-test";
  p.round = 1;
  p.sampleCount = 4;
  WireTensor t;
  t.name = "model.layers.0.self_attn.q_proj.lora_A";
  t.shape = {2, 3};
  for (int i = 0; i < 6; ++i) {
    const float v = float(i) + 0.5f;
    char b[4];
    std::memcpy(b, &v, 4);
    t.bytes.append(b, 4);
  }
  p.tensors.push_back(t);
  return p;
}

}  // namespace

class TestCoordinatorArgs : public QObject {
  Q_OBJECT
 private:
  static int run(const QStringList& args, QString* out, QString* err) {
    QProcess p;
    p.start(FEDMRG_COORDINATOR, args);
    if (!p.waitForFinished(30000)) return -1;
    *out = QString::fromUtf8(p.readAllStandardOutput());
    *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitCode();
  }

 private slots:
  void helpAndVersionAnswer() {
    QString out, err;
    QCOMPARE(run({"--help"}, &out, &err), 0);
    QVERIFY(out.contains("usage: fedmrg-coordinator"));
    QCOMPARE(run({"--version"}, &out, &err), 0);
    QCOMPARE(out.trimmed(), QString("fedmrg-coordinator " FEDMRG_VERSION_STRING));
  }
  void badArgumentsAreRefused() {
    QString out, err;
    QCOMPARE(run({"--bogus"}, &out, &err), 2);
    QVERIFY(err.contains("unknown argument '--bogus'"));
    QCOMPARE(run({"--listen", "999.1.1.1:80"}, &out, &err), 1);
    QVERIFY2(err.contains("cannot listen on 999.1.1.1:80"), qPrintable(err));
  }
  // Real RPCs to the started program: an update uploads and the coordinator returns the digest it computed over
  // the bytes it received; a malformed one is refused with the reason; a download before any global update was
  // published is refused with the reason.
  void answersTheFederationProtocolOnTheReportedPort() {
    QProcess p;
    p.start(FEDMRG_COORDINATOR, {"--listen", "127.0.0.1:0"});
    QVERIFY(p.waitForReadyRead(30000));
    const QString line = QString::fromUtf8(p.readLine());
    QVERIFY2(line.startsWith("fedmrg-coordinator: listening on port "), qPrintable(line));
    const int port = line.section(' ', -1).trimmed().toInt();
    QVERIFY(port > 0);
    SiteClient client("127.0.0.1:" + std::to_string(port));

    const Payload update = smallUpdate();
    const UploadResult up = client.upload(update, 30);
    QVERIFY2(up.accepted, up.reason.c_str());
    QCOMPARE(toHex(up.coordinatorDigest), toHex(payloadDigest(update)));
    QVERIFY(up.bytesSent > update.totalBytes());

    Payload bad = update;
    bad.tensors[0].bytes.resize(8);  // 2 of the 6 values its shape announces
    const UploadResult refused = client.upload(bad, 30);
    QVERIFY(!refused.accepted);
    QVERIFY2(refused.reason.find("byte_size does not match its shape and dtype") != std::string::npos,
             refused.reason.c_str());

    const DownloadResult down = client.download(0, 30);
    QVERIFY(!down.ok);
    QVERIFY2(down.reason.find("no global update has been published yet") != std::string::npos, down.reason.c_str());

    p.terminate();
    QVERIFY(p.waitForFinished(10000));
  }
};

QTEST_GUILESS_MAIN(TestCoordinatorArgs)
#include "tst_coordinator_args.moc"

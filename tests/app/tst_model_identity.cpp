// A model folder's identity: its name and a digest of its files, which changes when any file of the
// model changes (a federated update of an adapter included) and not otherwise.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/model_identity.h"
#include "engine/model/model_folder.h"

using namespace fedmrg::app;

class TstModelIdentity : public QObject {
  Q_OBJECT

  static void write(const std::string& path, const QByteArray& bytes) {
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), qint64(bytes.size()));
  }

 private slots:
  void digestFollowsTheFiles() {
    QTemporaryDir dir;
    const QString model = dir.filePath("chest-model");
    QVERIFY(QDir().mkpath(model));
    const fedmrg::engine::ModelFolder folder(model.toStdString());
    write(folder.configPath(), "{}");
    write(folder.weightsPath(), "weights");
    write(folder.tokenizerPath(), "tokens");
    const ModelIdentity first = identifyModel(model);
    QCOMPARE(first.name, std::string("chest-model"));
    QVERIFY2(QString::fromStdString(first.version).contains(QRegularExpression("^sha256:[0-9a-f]{12}$")),
             first.version.c_str());
    QCOMPARE(first.label(), "chest-model " + first.version);
    QCOMPARE(identifyModel(model + "/").version, first.version);  // the same folder, however named
    // An adapter added by a federated round is another model version.
    write(folder.adapterPath(fedmrg::engine::AdapterKind::Generic), "adapter");
    const ModelIdentity adapted = identifyModel(model);
    QVERIFY(adapted.version != first.version);
    write(folder.weightsPath(), "weightz");
    QVERIFY(identifyModel(model).version != adapted.version);
  }

  void unknownModelIsSaidSo() {
    QVERIFY(ModelIdentity{}.empty());
    QCOMPARE(ModelIdentity{}.label(), std::string("the report model (version not recorded)"));
  }
};

QTEST_APPLESS_MAIN(TstModelIdentity)
#include "tst_model_identity.moc"

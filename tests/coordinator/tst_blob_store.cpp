// BlobStore: content-addressed files named by SHA-256 in a 0700 folder; a damaged or missing blob is
// reported, never returned; uploads spilled to a temp file are adopted; garbage collection.
#include <QtTest>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "coordinator/blob_store.h"

using namespace fedmrg::coordinator;

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

template <typename F>
std::string blobErrorOf(F call) {
  try {
    call();
  } catch (const BlobError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class TestBlobStore : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    const QString base = qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath());
    QDir().mkpath(base);
    dir_ = std::make_unique<QTemporaryDir>(base + "/blobs-XXXXXX");
    QVERIFY(dir_->isValid());
    folder_ = dir_->filePath("store/nested").toStdString();
  }

  void putAndGet() {
    BlobStore store(folder_);
    struct stat st {};
    QCOMPARE(::stat(folder_.c_str(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0700);

    const std::string bytes("update\0bytes", 12);
    const std::string digest = store.put(bytes);
    // The SHA-256 of "abc" pins the digest function and its spelling.
    QCOMPARE(sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(digest, sha256Hex(bytes));
    QCOMPARE(store.pathOf(digest), folder_ + "/" + digest);
    QCOMPARE(readAll(store.pathOf(digest)), bytes);
    QCOMPARE(store.get(digest), bytes);
    QVERIFY(store.contains(digest));
    QCOMPARE(store.put(bytes), digest);  // the same bytes: one file
    QCOMPARE(store.list(), std::vector<std::string>{digest});
    QCOMPARE(store.put(""), sha256Hex(""));
    QCOMPARE(store.get(sha256Hex("")), std::string());
  }

  void damagedAndMissing() {
    BlobStore store(folder_);
    const std::string digest = store.put("the original bytes");
    writeAll(store.pathOf(digest), "the original bytez");
    const std::string damaged = blobErrorOf([&] { store.get(digest); });
    QVERIFY2(damaged.find(store.pathOf(digest)) != std::string::npos && damaged.find("damaged") != std::string::npos,
             damaged.c_str());
    QVERIFY(!store.verify(digest));
    // Putting the bytes again repairs the file.
    QCOMPARE(store.put("the original bytes"), digest);
    QCOMPARE(store.get(digest), std::string("the original bytes"));

    const std::string absent = sha256Hex("never stored");
    const std::string missing = blobErrorOf([&] { store.get(absent); });
    QVERIFY2(missing.find("missing") != std::string::npos, missing.c_str());
    QVERIFY(!store.contains(absent));
    // A name that is not a digest never reaches the file system (no "../" escapes).
    const std::string bad = blobErrorOf([&] { store.get("../../etc/passwd"); });
    QVERIFY2(bad.find("is not a digest") != std::string::npos, bad.c_str());
    QVERIFY(!store.verify("../x"));
  }

  void putSpilledFile() {
    BlobStore store(folder_);
    // A writer spills into a temp file of the store, then hands it over: renamed, not copied.
    const std::string temp = store.newTempPath();
    QVERIFY(QFileInfo::exists(QString::fromStdString(temp)));
    writeAll(temp, "spilled upload");
    const std::string digest = store.putFile(temp);
    QCOMPARE(digest, sha256Hex("spilled upload"));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(temp)));
    QCOMPARE(store.get(digest), std::string("spilled upload"));
    QCOMPARE(store.list().size(), size_t(1));  // temp files are not blobs

    // A file outside the folder, and a second copy of bytes already stored.
    const std::string outside = dir_->filePath("outside.bin").toStdString();
    writeAll(outside, "spilled upload");
    QCOMPARE(store.putFile(outside), digest);
    QVERIFY(!QFileInfo::exists(QString::fromStdString(outside)));
    QVERIFY_THROWS_EXCEPTION(StateError, store.putFile(dir_->filePath("no-such-file").toStdString()));
  }

  void garbageCollection() {
    BlobStore store(folder_);
    const std::string kept = store.put("referenced");
    const std::string dropped = store.put("unreferenced");
    const std::string temp = store.newTempPath();  // as left by a killed writer
    writeAll(folder_ + "/notes.txt", "not ours");
    QCOMPARE(store.collectGarbage({kept}, 3600), size_t(0));  // all too young
    QCOMPARE(store.collectGarbage({kept}, 0), size_t(2));
    QVERIFY(store.contains(kept));
    QVERIFY(!store.contains(dropped));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(temp)));
    QVERIFY(QFileInfo::exists(QString::fromStdString(folder_ + "/notes.txt")));  // foreign files are left alone
  }

  // A writer killed in the middle of a put leaves no file under the digest's name, only a temp file that
  // garbage collection removes.
  void killedWriter() {
    BlobStore store(folder_);
    constexpr size_t kBytes = size_t(256) << 20;  // large enough that the kill lands inside the write
    const pid_t pid = ::fork();
    if (pid == 0) {
      store.put(std::string(kBytes, 'x'));
      ::_exit(0);
    }
    // Kill as soon as a file in the folder holds some bytes but not all.
    bool partial = false;
    for (int i = 0; i < 20000 && !partial; ++i) {
      for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(entry.path(), ec);
        if (!ec && size > 0 && size < kBytes) partial = true;
      }
      if (!partial) ::usleep(500);
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    QVERIFY2(partial, "the writer was never caught mid-write");
    QVERIFY(WIFSIGNALED(status));
    for (const auto& digest : store.list()) QVERIFY2(store.verify(digest), ("half blob under " + digest).c_str());
    QVERIFY(store.list().empty());
    QCOMPARE(store.collectGarbage({}, 0), size_t(1));  // the temp file
    QVERIFY(std::filesystem::is_empty(folder_));
  }

  void badFolder() {
    const std::string file = dir_->filePath("a-file").toStdString();
    writeAll(file, "x");
    QVERIFY_THROWS_EXCEPTION(StateError, BlobStore{file});
    QVERIFY_THROWS_EXCEPTION(StateError, BlobStore{""});
  }

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::string folder_;
};

QTEST_APPLESS_MAIN(TestBlobStore)
#include "tst_blob_store.moc"

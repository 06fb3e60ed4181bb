// The CoordinatorState contract, run over every backend: memory, SQLite, and PostgreSQL on a real server
// this suite starts (postgres_server.h). Sites, rounds, uploads with their duplicate rule (also under two
// racing connections), publishing a version and closing its round in one step, named values; reopening;
// refused input (a corrupt or foreign file, a newer schema, an unreachable server); a dropped connection;
// and crash safety: a writer process SIGKILLed at random points loses no acknowledged upload.
#include <QtTest>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "coordinator/blob_store.h"
#include "coordinator/coordinator_state.h"
#include "coordinator/state_factory.h"
#include "coordinator/state_schema.h"
#include "postgres_server.h"

using namespace fedmrg::coordinator;
using fedmrg::testing::PostgresServer;

namespace {

PostgresServer* g_postgres = nullptr;
QTemporaryDir* g_dir = nullptr;

// A backend by the spec of a fresh, empty store ("memory" is fresh each time it is opened).
struct Backend {
  const char* name;
  std::function<std::string()> freshSpec;
};

std::string freshSqliteSpec() {
  static int counter = 0;
  return "sqlite:" + g_dir->filePath(QString("state-%1.db").arg(counter++)).toStdString();
}

std::vector<Backend> backends() {
  return {{"memory", [] { return std::string("memory"); }},
          {"sqlite", freshSqliteSpec},
          {"postgresql", [] { return "postgresql:" + g_postgres->createDatabase(); }}};
}

// Ends the test function when the backend needs the PostgreSQL server and it is not there.
#define REQUIRE_BACKEND(name)                                                               \
  do {                                                                                      \
    if (std::string(name) == "postgresql" && !g_postgres->ok()) {                           \
      if (g_postgres->unavailable()) QSKIP(("PostgreSQL: " + g_postgres->error()).c_str()); \
      QFAIL(("PostgreSQL did not start: " + g_postgres->error()).c_str());                  \
    }                                                                                       \
  } while (0)

UploadRecord upload(uint64_t round, const std::string& site, const std::string& key, int64_t at) {
  UploadRecord u;
  u.round = round;
  u.siteId = site;
  u.idempotencyKey = key;
  u.blobDigest = std::string(64, 'a');
  u.sampleCount = 10;
  u.wireBytes = 1234;
  u.receivedAtMs = at;
  return u;
}

RoundRecord openRound(uint64_t n) { return {n, RoundPhase::Open, n - 1, 1000, 61000, "task", ""}; }

// The dbname of a PostgresServer conninfo.
std::string databaseOf(const std::string& conninfo) {
  const size_t at = conninfo.find("dbname=") + 7;
  return conninfo.substr(at, conninfo.find(' ', at) - at);
}

// Expects `call` to throw StateError whose text holds every one of `parts`.
template <typename F>
bool throwsWith(F call, std::initializer_list<std::string> parts, std::string* text = nullptr) {
  try {
    call();
  } catch (const StateError& e) {
    if (text) *text = e.what();
    for (const auto& p : parts)
      if (std::string(e.what()).find(p) == std::string::npos) {
        qWarning("error \"%s\" lacks \"%s\"", e.what(), p.c_str());
        return false;
      }
    return true;
  }
  qWarning("no StateError");
  return false;
}

// --- The crash-safety writer: a child process (this binary, re-executed) -------------------------------

constexpr int kSitesPerRound = 3;
constexpr size_t kPayloadBytes = 96 * 1024;  // big enough that a kill often lands inside a blob write

std::string payload(uint64_t round, int site) {
  std::mt19937_64 random(round * 1000 + uint64_t(site));
  std::string bytes(kPayloadBytes, '\0');
  for (auto& b : bytes) b = char(random());
  return bytes;
}

std::string uploadKey(uint64_t round, int site) { return "r" + std::to_string(round) + "-s" + std::to_string(site); }

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Spills an upload as the coordinator receives one, chunk by chunk into a temp file, then stores it.
std::string spill(BlobStore& blobs, const std::string& bytes) {
  const std::string temp = blobs.newTempPath();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw StateError("cannot open " + temp);
  constexpr size_t kChunkBytes = 4096;
  for (size_t at = 0; at < bytes.size(); at += kChunkBytes)
    if (::write(fd, bytes.data() + at, std::min(kChunkBytes, bytes.size() - at)) < 0) throw StateError("write failed");
  ::close(fd);
  return blobs.putFile(temp);
}

// Writes rounds forever, resuming the current one: three uploads, then the round's global version.
// Prints "ack <key> <digest>" after recordUpload() returned true and "pub <version>" after publishGlobal().
int runCrashWriter(const std::string& spec, const std::string& blobFolder) {
  try {
    auto state = openState(spec);
    BlobStore blobs(blobFolder);
    std::cout << "ready" << std::endl;
    for (;;) {
      auto latest = state->latestRound();
      RoundRecord round;
      if (!latest || latest->phase == RoundPhase::Closed) {
        round = openRound(latest ? latest->round + 1 : 1);
        state->putRound(round);
      } else {
        round = *latest;
      }
      std::set<std::string> have;
      for (const auto& u : state->uploads(round.round)) have.insert(u.siteId);
      for (int s = 0; s < kSitesPerRound; ++s) {
        const std::string site = "site-" + std::to_string(s);
        if (have.count(site)) continue;
        UploadRecord u = upload(round.round, site, uploadKey(round.round, s), nowMs());
        u.blobDigest = spill(blobs, payload(round.round, s));  // the blob first: a record never points at nothing
        if (state->recordUpload(u)) std::cout << "ack " << u.idempotencyKey << " " << u.blobDigest << std::endl;
      }
      const std::string global = blobs.put(payload(round.round, 99));
      state->publishGlobal({round.round, round.round, sha256Hex(payload(round.round, 99)), global, nowMs()}, round);
      std::cout << "pub " << round.round << std::endl;
    }
  } catch (const std::exception& e) {
    std::cout << "error " << e.what() << std::endl;
    return 1;
  }
}

struct WriterRun {
  std::vector<std::pair<std::string, std::string>> acks;  // key, blob digest
  std::vector<uint64_t> published;
  std::string error;
};

// Starts the writer, lets it run for a random time after it is ready, SIGKILLs it, and returns the
// complete lines it printed.
WriterRun runWriterAndKill(const std::string& spec, const std::string& blobs, std::mt19937& random) {
  WriterRun result;
  int fds[2];
  if (::pipe(fds) != 0) return {{}, {}, "pipe failed"};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    ::setenv("FEDMRG_CRASH_WRITER", spec.c_str(), 1);
    ::setenv("FEDMRG_CRASH_BLOBS", blobs.c_str(), 1);
    ::execl("/proc/self/exe", "tst_coordinator_state", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string text;
  auto readSome = [&](int timeoutMs) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0) return false;
    char buffer[4096];
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) return false;
    text.append(buffer, size_t(n));
    return true;
  };
  const auto start = std::chrono::steady_clock::now();
  while (text.find("ready\n") == std::string::npos &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(20))
    if (!readSome(100) && text.find("error") != std::string::npos) break;
  const auto killAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(30 + random() % 400);
  while (std::chrono::steady_clock::now() < killAt) readSome(5);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  while (readSome(0)) {
  }
  ::close(fds[0]);
  // Only complete lines count: a line cut by the kill was never acknowledged.
  std::istringstream lines(text.substr(0, text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind == "ack") {
      std::string key, digest;
      words >> key >> digest;
      result.acks.emplace_back(key, digest);
    } else if (kind == "pub") {
      uint64_t v = 0;
      words >> v;
      result.published.push_back(v);
    } else if (kind == "error") {
      result.error = line;
    }
  }
  if (text.find("ready\n") == std::string::npos && result.error.empty()) result.error = "the writer never got ready";
  return result;
}

}  // namespace

class TestCoordinatorState : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    const QString base = qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath());
    QDir().mkpath(base);
    g_dir = new QTemporaryDir(base + "/state-XXXXXX");
    QVERIFY(g_dir->isValid());
    g_postgres = new PostgresServer();
    if (!g_postgres->ok()) qWarning("PostgreSQL: %s", g_postgres->error().c_str());
  }
  void cleanupTestCase() {
    delete g_postgres;  // stops the server, removes its folder
    delete g_dir;
  }

  void contract_data() { backendRows(); }
  void contract() {
    QFETCH(int, backend);
    const Backend b = backends()[size_t(backend)];
    REQUIRE_BACKEND(b.name);
    auto state = openState(b.freshSpec());

    SiteRecord a{"site-a", std::string(64, '1'), false, 100, 100};
    state->putSite(a);
    state->putSite({"site-b", std::string(64, '2'), false, 200, 200});
    state->putSite({"Site-C", std::string(64, '3'), true, 300, 300});
    a.lastSeenMs = 500;
    state->putSite(a);
    QCOMPARE(state->sites().size(), size_t(3));
    QCOMPARE(state->sites()[0].siteId, std::string("Site-C"));  // byte order, whatever the locale
    QVERIFY(state->sites()[0].revoked);
    QCOMPARE(state->site("site-a")->lastSeenMs, int64_t(500));
    QVERIFY(!state->site("site-z"));

    QVERIFY(!state->latestRound());
    RoundRecord r1{1, RoundPhase::Open, 0, 1000, 61000, "task-1", ""};
    state->putRound(r1);
    QCOMPARE(state->latestRound()->task, std::string("task-1"));

    QVERIFY(state->recordUpload(upload(1, "site-a", "k-a-1", 2000)));
    QVERIFY(state->recordUpload(upload(1, "site-b", "k-b-1", 1500)));
    QVERIFY(!state->recordUpload(upload(1, "site-a", "k-a-other", 2100)));  // second upload, same round
    QVERIFY(!state->recordUpload(upload(2, "site-a", "k-a-1", 2200)));      // same key
    const auto ups = state->uploads(1);
    QCOMPARE(ups.size(), size_t(2));
    QCOMPARE(ups[0].siteId, std::string("site-b"));  // ordered by arrival
    QCOMPARE(state->uploadByKey("k-a-1")->receivedAtMs, int64_t(2000));
    QCOMPARE(state->uploadByKey("k-a-1")->wireBytes, uint64_t(1234));

    QVERIFY(!state->latestGlobal());
    state->publishGlobal({1, 1, std::string(64, 'd'), std::string(64, 'e'), 3000}, r1);
    QCOMPARE(state->round(1)->phase, RoundPhase::Closed);
    QCOMPARE(state->latestGlobal()->version, uint64_t(1));
    QCOMPARE(state->global(1)->digestHex, std::string(64, 'd'));
    QVERIFY_THROWS_EXCEPTION(StateError, state->publishGlobal({1, 2, "x", "y", 4000}, r1));
    QCOMPARE(state->global(1)->digestHex, std::string(64, 'd'));  // the refused call changed nothing

    state->putValue("basis", "v1");
    state->putValue("basis", "v2");
    QCOMPARE(*state->value("basis"), std::string("v2"));
    QVERIFY(!state->value("none"));
  }

  // What a durable backend wrote is there after reopening, bytes included (task and values are opaque).
  void reopen_data() { backendRows(true); }
  void reopen() {
    QFETCH(int, backend);
    const Backend b = backends()[size_t(backend)];
    REQUIRE_BACKEND(b.name);
    const std::string spec = b.freshSpec();
    const std::string binary("\0\x01\xff\x80 task\n\0", 11);
    {
      auto state = openState(spec);
      RoundRecord r = openRound(1);
      r.task = binary;
      r.note = "";
      state->putRound(r);
      QVERIFY(state->recordUpload(upload(1, "site-a", "k1", 10)));
      state->putValue("feedback", binary);
      state->putValue("empty", "");
      RoundRecord failed = openRound(2);
      failed.phase = RoundPhase::Failed;
      failed.note = "too few sites by the deadline";
      state->putRound(failed);
    }
    auto state = openState(spec);
    QCOMPARE(state->round(1)->task, binary);
    QCOMPARE(*state->value("feedback"), binary);
    QCOMPARE(*state->value("empty"), std::string());
    QCOMPARE(state->latestRound()->phase, RoundPhase::Failed);
    QCOMPARE(state->latestRound()->note, std::string("too few sites by the deadline"));
    QVERIFY(!state->recordUpload(upload(1, "site-a", "k2", 20)));  // the rule holds across opens
  }

  // Two connections race the same uploads; exactly one wins each time.
  void concurrentDuplicates_data() { backendRows(); }
  void concurrentDuplicates() {
    QFETCH(int, backend);
    const Backend b = backends()[size_t(backend)];
    REQUIRE_BACKEND(b.name);
    const std::string spec = b.freshSpec();
    std::shared_ptr<CoordinatorState> first = openState(spec);
    // The memory store is one object; the durable ones get a second, independent connection.
    std::shared_ptr<CoordinatorState> second = spec == "memory" ? first : std::shared_ptr(openState(spec));
    constexpr int kRounds = 40;
    for (int r = 1; r <= kRounds; ++r) first->putRound(openRound(uint64_t(r)));
    std::atomic<int> wins{0};
    auto racer = [&](CoordinatorState* state, int id) {
      for (int r = 1; r <= kRounds; ++r) {
        // Same site, different keys: the (round, site) rule; then different sites, same key.
        if (state->recordUpload(upload(uint64_t(r), "site-a", "a-" + std::to_string(r) + "-" + std::to_string(id), r)))
          ++wins;
        if (state->recordUpload(upload(uint64_t(r), "site-" + std::to_string(id), "same-" + std::to_string(r), r)))
          ++wins;
      }
    };
    std::thread t1(racer, first.get(), 1), t2(racer, second.get(), 2);
    t1.join();
    t2.join();
    QCOMPARE(wins.load(), 2 * kRounds);
    for (int r = 1; r <= kRounds; ++r) QCOMPARE(first->uploads(uint64_t(r)).size(), size_t(2));
  }

  void badSqliteFiles() {
    // Not SQLite at all: refused, named, untouched.
    const std::string garbage = g_dir->filePath("garbage.db").toStdString();
    {
      std::ofstream out(garbage, std::ios::binary);
      for (int i = 0; i < 8192; ++i) out.put(char(i * 31 + 7));
    }
    const auto before = QFile(QString::fromStdString(garbage)).size();
    QVERIFY(throwsWith([&] { openSqliteState(garbage); }, {"sqlite:" + garbage, "not a database"}));
    QCOMPARE(QFile(QString::fromStdString(garbage)).size(), before);

    // Another program's SQLite database: refused and left as it is.
    const std::string foreign = g_dir->filePath("foreign.db").toStdString();
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE patients (name TEXT); INSERT INTO patients VALUES ('x')", nullptr, nullptr,
                          nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    QVERIFY(throwsWith([&] { openSqliteState(foreign); }, {foreign, "not a FedMRG coordinator state"}));
    QCOMPARE(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "SELECT name FROM patients", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);

    // Our own file with a newer schema: refused, not downgraded.
    const std::string newer = g_dir->filePath("newer.db").toStdString();
    openSqliteState(newer)->putValue("k", "v");
    QCOMPARE(sqlite3_open(newer.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    QVERIFY(throwsWith([&] { openSqliteState(newer); }, {newer, "schema version 99 is newer"}));

    // Our own file with damaged pages: refused with the reason, not repaired by dropping data.
    const std::string damaged = g_dir->filePath("damaged.db").toStdString();
    {
      auto state = openSqliteState(damaged);
      for (int r = 1; r <= 200; ++r) state->putRound(openRound(uint64_t(r)));
    }
    {
      std::fstream file(damaged, std::ios::binary | std::ios::in | std::ios::out);
      file.seekp(4096);  // the tables' pages after page 1 (the header and the schema stay readable)
      for (int i = 0; i < 4 * 4096; ++i) file.put(char(0x5a));
    }
    QVERIFY(throwsWith([&] { openSqliteState(damaged); }, {"sqlite:" + damaged, "damaged"}));

    // A folder that does not exist, and no path at all.
    QVERIFY(throwsWith([&] { openSqliteState("/nonexistent-folder/state.db"); },
                       {"/nonexistent-folder/state.db", "cannot open"}));
    QVERIFY(throwsWith([&] { openState("sqlite:"); }, {"no file given"}));
  }

  // A store of schema version 1 (before sites.cert_not_before) opens as version 2 with its rows kept; the
  // upgrade runs once, and opening again changes nothing.
  void aVersion1StoreIsUpgraded_data() { backendRows(true); }
  void aVersion1StoreIsUpgraded() {
    QFETCH(int, backend);
    const Backend b = backends()[size_t(backend)];
    REQUIRE_BACKEND(b.name);
    const std::string spec = b.freshSpec();
    const std::string insert = "INSERT INTO sites VALUES ('site-a', '" + std::string(64, '1') + "', 0, 100, 200)";
    if (std::string(b.name) == "sqlite") {
      // Made by hand (this SQLite has no DROP COLUMN): version 1's text, our application id, user_version 1.
      sqlite3* db = nullptr;
      QCOMPARE(sqlite3_open(spec.substr(7).c_str(), &db), SQLITE_OK);
      const std::string v1 = schema::migrations(schema::Dialect::Sqlite)[0] +
                             "; PRAGMA application_id = " + std::to_string(schema::kSqliteApplicationId) +
                             "; PRAGMA user_version = 1; " + insert;
      char* error = nullptr;
      const int rc = sqlite3_exec(db, v1.c_str(), nullptr, nullptr, &error);
      const std::string why = error ? error : "";
      sqlite3_free(error);
      sqlite3_close(db);
      QVERIFY2(rc == SQLITE_OK, why.c_str());
    } else {
      // A fresh store taken back to version 1.
      openState(spec)->putValue("k", "v");
      QVERIFY2(g_postgres->psql(databaseOf(spec.substr(11)),
                                "ALTER TABLE sites DROP COLUMN cert_not_before; " + insert +
                                    "; UPDATE fedmrg_meta SET value = '1' WHERE key = 'schema_version'"),
               g_postgres->error().c_str());
    }
    {
      auto state = openState(spec);
      const auto site = state->site("site-a");
      QVERIFY(site);
      QCOMPARE(site->certFingerprint, std::string(64, '1'));
      QCOMPARE(site->lastSeenMs, int64_t(200));
      QCOMPARE(site->certNotBefore, int64_t(0));
      SiteRecord renewed = *site;
      renewed.certNotBefore = 1700000000;
      state->putSite(renewed);
    }
    QCOMPARE(openState(spec)->site("site-a")->certNotBefore, int64_t(1700000000));
  }

  void badPostgres() {
    REQUIRE_BACKEND("postgresql");
    // Nothing listens on a fresh port: a clear error naming the server, never the password.
    const int closed = 1;  // port 1 on loopback: privileged and unused
    std::string text;
    QVERIFY(throwsWith(
        [&] {
          openPostgresState("host=127.0.0.1 port=" + std::to_string(closed) +
                            " dbname=fedmrg user=fedmrg password=hunter2 connect_timeout=3");
        },
        {"postgresql:127.0.0.1:1/fedmrg", "cannot connect"}, &text));
    QVERIFY2(text.find("hunter2") == std::string::npos, text.c_str());
    QVERIFY(throwsWith([&] { openState("postgresql:host=127.0.0.1 port"); }, {"invalid connection string"}));

    // A newer schema is refused.
    const std::string conninfo = g_postgres->createDatabase();
    openPostgresState(conninfo)->putValue("k", "v");
    const std::string db = databaseOf(conninfo);
    QVERIFY2(g_postgres->psql(db, "UPDATE fedmrg_meta SET value = '99' WHERE key = 'schema_version'"),
             g_postgres->error().c_str());
    QVERIFY(throwsWith([&] { openPostgresState(conninfo); }, {"schema version 99 is newer"}));

    // A database with tables of our names but not ours: refused, untouched.
    const std::string other = g_postgres->createDatabase();
    const std::string otherDb = databaseOf(other);
    QVERIFY(g_postgres->psql(otherDb, "CREATE TABLE sites (id int); INSERT INTO sites VALUES (7)"));
    QVERIFY(throwsWith([&] { openPostgresState(other); }, {"refusing to touch it"}));
    std::string rows;
    QVERIFY(g_postgres->psql(otherDb, "SELECT id FROM sites", &rows));
    QCOMPARE(rows, std::string("7\n"));

    // describe() shows host, port and database, never the password.
    auto state = openState("postgresql:" + g_postgres->conninfo("postgres") + " password=hunter2");
    QVERIFY(state->describe().find("hunter2") == std::string::npos);
    QCOMPARE(state->describe(), "postgresql:127.0.0.1:" + std::to_string(g_postgres->port()) + "/postgres");
  }

  // The server drops an open connection (as on a restart, failover or idle timeout): the next call
  // reconnects once and succeeds; nothing committed is lost.
  void postgresReconnect() {
    REQUIRE_BACKEND("postgresql");
    const std::string conninfo = g_postgres->createDatabase();
    auto state = openState("postgresql:" + conninfo);
    state->putRound(openRound(1));
    QVERIFY(state->recordUpload(upload(1, "site-a", "k1", 10)));
    std::string killed;
    QVERIFY2(g_postgres->psql("postgres",
                              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                                  databaseOf(conninfo) + "'",
                              &killed),
             g_postgres->error().c_str());
    QCOMPARE(killed, std::string("1\n"));
    QVERIFY(!state->recordUpload(upload(1, "site-a", "k1", 10)));  // reconnected, and the row is there
    QVERIFY(state->recordUpload(upload(1, "site-b", "k2", 20)));
    QCOMPARE(state->uploads(1).size(), size_t(2));

    // The server itself stops as in a crash and starts again (recovery from its WAL).
    QVERIFY2(g_postgres->restartImmediate(), g_postgres->error().c_str());
    QVERIFY(state->recordUpload(upload(1, "site-c", "k3", 30)));
    QCOMPARE(state->uploads(1).size(), size_t(3));
  }

  // A writer SIGKILLed at random points, restarted each time: every acknowledged upload is there with an
  // intact blob, every published version has its round closed, no damaged blob lies under a digest name.
  void crashSafety_data() { backendRows(true); }
  void crashSafety() {
    QFETCH(int, backend);
    const Backend b = backends()[size_t(backend)];
    REQUIRE_BACKEND(b.name);
    const std::string spec = b.freshSpec();
    const std::string blobFolder = g_dir->filePath(QString("blobs-%1").arg(b.name)).toStdString();
    std::mt19937 random(20261201u + unsigned(backend));
    std::vector<std::pair<std::string, std::string>> acks;
    std::set<uint64_t> published;
    constexpr int kKills = 5;
    for (int run = 0; run < kKills; ++run) {
      const WriterRun w = runWriterAndKill(spec, blobFolder, random);
      QVERIFY2(w.error.empty(), w.error.c_str());
      acks.insert(acks.end(), w.acks.begin(), w.acks.end());
      published.insert(w.published.begin(), w.published.end());

      auto state = openState(spec);
      BlobStore blobs(blobFolder);
      for (const auto& [key, digest] : acks) {
        const auto u = state->uploadByKey(key);
        QVERIFY2(u, ("acknowledged upload " + key + " is lost").c_str());
        QCOMPARE(u->blobDigest, digest);
        QVERIFY2(blobs.verify(digest), ("blob of " + key + " is damaged or missing").c_str());
      }
      for (uint64_t v : published) QVERIFY2(state->global(v), ("published version lost: " + std::to_string(v)).c_str());
      const auto latest = state->latestGlobal();
      for (uint64_t v = 1; latest && v <= latest->version; ++v) {
        const auto g = state->global(v);
        QVERIFY(g);
        QCOMPARE(state->round(g->round)->phase, RoundPhase::Closed);
        QVERIFY(blobs.verify(g->blobDigest));
      }
      if (const auto open = state->latestRound(); open && open->phase != RoundPhase::Closed)
        QVERIFY(!state->global(open->round));  // an open round has no version yet
      for (const auto& digest : blobs.list()) QVERIFY2(blobs.verify(digest), ("half blob " + digest).c_str());
    }
    // What the kills left is temp files at most, and garbage collection removes them and nothing acknowledged.
    std::set<std::string> referenced;
    for (const auto& [key, digest] : acks) referenced.insert(digest);
    auto state = openState(spec);
    for (uint64_t v = 1; v <= (state->latestGlobal() ? state->latestGlobal()->version : 0); ++v)
      referenced.insert(state->global(v)->blobDigest);
    for (uint64_t r = 1; r <= (state->latestRound() ? state->latestRound()->round : 0); ++r)
      for (const auto& u : state->uploads(r)) referenced.insert(u.blobDigest);
    BlobStore blobs(blobFolder);
    blobs.collectGarbage(referenced, 0);
    const auto left = QDir(QString::fromStdString(blobFolder)).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(size_t(left.size()), blobs.list().size());
    for (const auto& digest : referenced) QVERIFY(blobs.verify(digest));
    QVERIFY2(acks.size() >= 3, "the writer acknowledged almost nothing: the kills came too early to test anything");
    qInfo("%s: %d kills, %zu acknowledged uploads, %zu versions published", b.name, kKills, acks.size(),
          published.size());
  }

  void phaseNames() {
    for (RoundPhase p : {RoundPhase::Open, RoundPhase::Aggregating, RoundPhase::Closed, RoundPhase::Failed})
      QCOMPARE(*parseRoundPhase(roundPhaseName(p)), p);
    QVERIFY(!parseRoundPhase("done"));
  }

 private:
  static void backendRows(bool durableOnly = false) {
    QTest::addColumn<int>("backend");
    const auto all = backends();
    for (size_t i = 0; i < all.size(); ++i)
      if (!durableOnly || std::string(all[i].name) != "memory") QTest::newRow(all[i].name) << int(i);
  }
};

int main(int argc, char** argv) {
  // Re-executed as the crash-safety writer (runWriterAndKill).
  if (const char* spec = std::getenv("FEDMRG_CRASH_WRITER")) {
    const char* blobs = std::getenv("FEDMRG_CRASH_BLOBS");
    return runCrashWriter(spec, blobs ? blobs : "");
  }
  TestCoordinatorState test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_coordinator_state.moc"

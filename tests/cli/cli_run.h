#pragma once
// Runs the fedmrg-cli program (FEDMRG_CLI, set by the test's CMakeLists.txt) as a child process and keeps its
// exit code, stdout and stderr apart, for the suites that check what the command line answers (tests/cli and
// the end-to-end suites of tests/engine).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace clirun {

struct Result {
  int code = -1;  // -1: did not finish in time; -2: crashed (never mistaken for an exit code)
  QString out, err;
};

// Any program of the build (e.g. fedmrg-bench-plots), the same way.
inline Result runProgram(const QString& program, const QStringList& args, int timeoutMs = 60000) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    return {-1, QString(), "timed out"};
  }
  const int code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  return {code, QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

inline Result run(const QStringList& args, int timeoutMs = 60000) {
  return runProgram(QStringLiteral(FEDMRG_CLI), args, timeoutMs);
}

// The JSON object a command wrote with --json (empty when the file is missing or not an object).
inline QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

// One run of `bench fl`'s results.json by its method (empty when absent).
inline QJsonObject benchRunOf(const QJsonObject& results, const QString& method) {
  for (const QJsonValue& v : results.value("runs").toArray())
    if (v.toObject().value("method").toString() == method) return v.toObject();
  return {};
}

}  // namespace clirun

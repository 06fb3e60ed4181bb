#pragma once
// Runs a program of the build (the fedmrg workstation) as a child process, stdout and stderr together, without
// $FEDMRG_MODEL_DIR so that only the command line and the install layout choose the model.
#include <QProcess>
#include <QString>
#include <QStringList>

namespace fedmrg::testing {

struct ProgramRun {
  int code = -1;  // -1: did not finish in 5 minutes; -2: crashed
  QString out;
};

inline ProgramRun runProgram(const QString& program, const QStringList& args) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("FEDMRG_MODEL_DIR");  // only the layout decides here
  p.setProcessEnvironment(env);
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(program, args);
  if (!p.waitForFinished(300000)) {
    p.kill();
    p.waitForFinished();
    return {-1, "timed out"};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, QString::fromUtf8(p.readAll())};
}

}  // namespace fedmrg::testing

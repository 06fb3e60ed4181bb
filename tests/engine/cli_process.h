#pragma once
// Runs the fedmrg-cli program (FEDMRG_CLI, set by tests/engine/CMakeLists.txt) for the end-to-end tests, and
// makes their tiny FL-MRG-Synth set and tiny pretrained model.
#include <QString>
#include <QStringList>

#include "cli/cli_run.h"

namespace clitest {

struct Run {
  int code = -1;  // -1: did not finish in 5 minutes; -2: crashed
  QString out;    // stdout, then stderr
};

inline Run cli(const QStringList& args) {
  const clirun::Result r = clirun::run(args, 300000);
  return {r.code, r.out + r.err};
}

// synth (64 px, seed 5) into data, then pretrain --tiny (4 steps, 400 tokens) into model. Returns the
// output of the step that failed, or an empty string.
inline QString makeTinySynthModel(const QString& data, const QString& model, int studiesPerSite) {
  Run s = cli({"synth", "--out", data, "--studies-per-site", QString::number(studiesPerSite), "--size", "64", "--seed",
               "5", "--threads", "1"});
  if (s.code != 0) return "synth failed: " + s.out;
  Run p = cli({"pretrain", "--data", data, "--out", model, "--tiny", "--steps", "4", "--batch", "4", "--vocab", "400",
               "--threads", "1"});
  if (p.code != 0) return "pretrain failed: " + p.out;
  return QString();
}

}  // namespace clitest

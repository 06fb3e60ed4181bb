#pragma once
// Which report model folder the workstation drafts with: the user's choice, the site's own, or the
// default model installed with the program.
#include <QString>

namespace fedmrg::app {

// Where a model may come from, as the program's main reads them (the option and the environment
// are user input and read only there).
struct ModelSources {
  QString option;       // --model DIR; empty when not given
  QString environment;  // $FEDMRG_MODEL_DIR; empty when unset
  QString siteDir;      // the open site's folder
  QString programDir;   // the folder of the running program (QCoreApplication::applicationDirPath())
};

// The default model installed beside the program: <programDir>/../share/fedmrg/models/default, where
// the package and `cmake --install` put it (bin/ and share/ under one prefix).
QString installedModelDir(const QString& programDir);

// The first that applies: the option, the environment variable, the site's model folder when it
// exists, the installed default model when it exists; else the site's model folder (so the editor's
// "no report model installed" names where a site keeps its model).
QString chooseModelDir(const ModelSources& sources);

}  // namespace fedmrg::app

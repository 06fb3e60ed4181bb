#pragma once
// Screenshots taken at an event of the running workstation (scripts/run.sh writes docs/'s from them): the status
// bar's training progress once background training is a fifth of the way through a run, and the federation panel's
// status tab (with the bytes chart) once the site recorded a round. Each waits for its event up to a timeout, then
// shoots what there is and says so on the console, so that a screenshot never silently shows less than its name
// promises.
#include <QString>

namespace fedmrg::app {
class BackgroundTrainer;
class Site;
struct User;
}  // namespace fedmrg::app

namespace fedmrg::ui {
class MainWindow;
}

namespace fedmrg::programs {

// The main window once `trainer` reported a fifth of a run's steps, or after `timeoutMs`. False when the file
// cannot be written.
bool shootTrainingProgress(ui::MainWindow& window, app::BackgroundTrainer& trainer, const QString& file, int timeoutMs);

// The federation panel's status tab once the site has recorded a round with its bytes (the loop's record), or after
// `timeoutMs`; the panel first asks the coordinator (Test connection) so its round and version are current. False
// when the panel is refused to `user` or the file cannot be written.
bool shootFederationPanel(ui::MainWindow& window, app::Site& site, const app::User& user, const QString& file,
                          int timeoutMs);

}  // namespace fedmrg::programs

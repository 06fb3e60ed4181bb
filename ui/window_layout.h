#pragma once
// Remembers where the reader left the window: its geometry, its docks (the PACS query panel) and
// the positions of its named splitters, per signed-in user, in the OS user's QSettings (issue 14,
// item 8). Two radiologists sharing one workstation account each get their own layout back.
#include <QString>

class QMainWindow;

namespace fedmrg::ui {

class WindowLayout {
 public:
  // The settings group of `user` (a site's user name).
  static QString group(const QString& user);
  // Restores what save() kept for `user`; nothing when there is nothing kept yet.
  static void restore(QMainWindow* window, const QString& user);
  // Keeps the window's geometry, dock state and the sizes of every QSplitter with an object name.
  static void save(const QMainWindow* window, const QString& user);
};

}  // namespace fedmrg::ui

#include "ui/window_layout.h"

#include <QMainWindow>
#include <QSettings>
#include <QSplitter>
#include <QUrl>

namespace fedmrg::ui {

namespace {
// Bumped when the window's docks or toolbars change, so that an older state is not applied to them.
constexpr int kStateVersion = 1;
}  // namespace

QString WindowLayout::group(const QString& user) {
  // A user name is free text: percent-encoded so that '/' or '\' cannot make nested groups.
  return QStringLiteral("layout/") + QString::fromLatin1(QUrl::toPercentEncoding(user));
}

void WindowLayout::restore(QMainWindow* window, const QString& user) {
  QSettings settings;
  settings.beginGroup(group(user));
  if (settings.contains(QStringLiteral("geometry")))
    window->restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
  if (settings.contains(QStringLiteral("state")))
    window->restoreState(settings.value(QStringLiteral("state")).toByteArray(), kStateVersion);
  settings.beginGroup(QStringLiteral("splitters"));
  for (QSplitter* splitter : window->findChildren<QSplitter*>()) {
    const QString name = splitter->objectName();
    if (!name.isEmpty() && settings.contains(name)) splitter->restoreState(settings.value(name).toByteArray());
  }
}

void WindowLayout::save(const QMainWindow* window, const QString& user) {
  QSettings settings;
  settings.beginGroup(group(user));
  settings.setValue(QStringLiteral("geometry"), window->saveGeometry());
  settings.setValue(QStringLiteral("state"), window->saveState(kStateVersion));
  settings.beginGroup(QStringLiteral("splitters"));
  for (const QSplitter* splitter : window->findChildren<QSplitter*>())
    if (!splitter->objectName().isEmpty()) settings.setValue(splitter->objectName(), splitter->saveState());
}

}  // namespace fedmrg::ui

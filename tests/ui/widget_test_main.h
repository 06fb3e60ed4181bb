#pragma once
// The main() of a widget suite. Without X the offscreen platform lets QApplication start, so that a
// suite that needs the VTK view (OpenGL) can skip itself with a message; the default surface format is
// the one the VTK view needs, set before QApplication as Qt requires. The suite's QSettings (window
// layout, language) live in a folder of its own run, so that no run sees another's or the user's.
#include <QApplication>
#include <QSettings>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/vtk_view_widget.h"

#define FEDMRG_WIDGET_TEST_MAIN(TestClass)                                               \
  int main(int argc, char** argv) {                                                      \
    if (qEnvironmentVariableIsEmpty("DISPLAY")) qputenv("QT_QPA_PLATFORM", "offscreen"); \
    QSurfaceFormat::setDefaultFormat(fedmrg::ui::VtkViewWidget::defaultFormat());        \
    QApplication app(argc, argv);                                                        \
    QTemporaryDir settings;                                                              \
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());  \
    TestClass test;                                                                      \
    return QTest::qExec(&test, argc, argv);                                              \
  }

#pragma once
// The main() of a widget suite. Without X the offscreen platform lets QApplication start, so that a
// suite that needs the VTK view (OpenGL) can skip itself with a message; the default surface format is
// the one the VTK view needs, set before QApplication as Qt requires.
#include <QApplication>
#include <QSurfaceFormat>
#include <QtTest>

#include "ui/vtk_view_widget.h"

#define FEDMRG_WIDGET_TEST_MAIN(TestClass)                                                  \
  int main(int argc, char** argv) {                                                         \
    if (qEnvironmentVariableIsEmpty("DISPLAY")) qputenv("QT_QPA_PLATFORM", "offscreen");    \
    QSurfaceFormat::setDefaultFormat(fedmrg::ui::VtkViewWidget::defaultFormat());           \
    QApplication app(argc, argv);                                                           \
    TestClass test;                                                                         \
    return QTest::qExec(&test, argc, argv);                                                 \
  }

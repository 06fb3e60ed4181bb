#include "ui/finding_text.h"

#include <QCoreApplication>

namespace fedmrg::ui {
namespace {

constexpr const char* kContext = "fedmrg::ui::FindingText";

// The engine's names (engine/labeler/observations), marked here so that lupdate finds them; tr() at
// run time looks them up by the same English text.
[[maybe_unused]] constexpr const char* kWords[] = {
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "No Finding"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Enlarged Cardiomediastinum"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Cardiomegaly"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Lung Lesion"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Lung Opacity"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Edema"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Consolidation"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Pneumonia"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Atelectasis"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Pneumothorax"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Pleural Effusion"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Pleural Other"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Fracture"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "Support Devices"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "blank"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "positive"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "negative"),
    QT_TRANSLATE_NOOP("fedmrg::ui::FindingText", "uncertain")};

}  // namespace

QString findingText(int index, app::FindingState state) {
  return QCoreApplication::translate("fedmrg::ui::FindingText", "%1: %2")
      .arg(QCoreApplication::translate(kContext, app::findingName(index)),
           QCoreApplication::translate(kContext, app::findingStateName(state)));
}

}  // namespace fedmrg::ui

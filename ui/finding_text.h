#pragma once
// A chip's words in the reader's language: the CheXpert observation and its state ("Kardiomegalie:
// positiv"). The stored labels and the report text keep the English names (app/site/finding_labels).
#include <QString>

#include "app/site/finding_labels.h"

namespace fedmrg::ui {

// "<observation>: <state>", translated, for the observation at `index` (0 .. app::kFindingCount - 1).
QString findingText(int index, app::FindingState state);

}  // namespace fedmrg::ui

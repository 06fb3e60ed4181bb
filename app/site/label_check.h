#pragma once
// Compares the editor's chips with what the report labeler reads from the report's text, so that a
// report is not signed with chips that say the opposite of its sentences.
#include <string>
#include <vector>

#include "app/site/finding_labels.h"

namespace fedmrg::app {

// One finding whose chip is set and says something other than the text ("no effusion" in the text,
// Pleural Effusion: positive on the chip). A blank chip claims nothing and never disagrees.
struct LabelDisagreement {
  int finding = 0;  // index as in finding_labels.h
  FindingState chip = FindingState::Blank;
  FindingState text = FindingState::Blank;  // blank: the text does not mention the finding
};

// The disagreements between `labels` (encoded chips) and the labeler's reading of the findings and
// the impression, in finding order.
std::vector<LabelDisagreement> chipsAgainstText(const std::string& findings, const std::string& impression,
                                                const std::string& labels);

// "Pleural Effusion: chip positive, text negative; ..." for messages and the audit log.
std::string describe(const std::vector<LabelDisagreement>& disagreements);

}  // namespace fedmrg::app

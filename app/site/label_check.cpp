#include "app/site/label_check.h"

#include "engine/labeler/labeler.h"

namespace fedmrg::app {
namespace {

static_assert(kFindingCount == engine::kNumObservations, "one chip per labeler observation");

// Compiling the lexicon takes a while; label() is thread-safe, so one labeler serves every call.
const engine::ReportLabeler& labeler() {
  static const engine::ReportLabeler instance;
  return instance;
}

}  // namespace

std::vector<LabelDisagreement> chipsAgainstText(const std::string& findings, const std::string& impression,
                                                const std::string& labels) {
  // A blank line ends a sentence for the labeler: no negation reaches from one section into the other.
  const auto read = labeler().states(findings + "\n\n" + impression);
  const FindingStates chips = decodeLabels(labels);
  std::vector<LabelDisagreement> out;
  for (int i = 0; i < kFindingCount; ++i) {
    const auto chip = chips[size_t(i)];
    const auto text = static_cast<FindingState>(read[size_t(i)]);  // the two enums share their values
    if (chip != FindingState::Blank && chip != text) out.push_back({i, chip, text});
  }
  return out;
}

std::string describe(const std::vector<LabelDisagreement>& disagreements) {
  std::string out;
  for (const auto& d : disagreements) {
    if (!out.empty()) out += "; ";
    out += std::string(findingName(d.finding)) + ": chip " + findingStateName(d.chip) + ", text " +
           (d.text == FindingState::Blank ? "does not mention it" : findingStateName(d.text));
  }
  return out;
}

}  // namespace fedmrg::app

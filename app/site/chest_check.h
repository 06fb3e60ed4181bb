#pragma once
// The chest radiograph check made before a model drafted a report (engine/infer/chest_gate.h), as the site
// keeps it with the draft's report versions and writes it into the exported SR.
#include <optional>
#include <string>

namespace fedmrg::app {

struct ChestCheck {
  std::string decision;         // "yes" or "uncertain"; empty: no check (a person's report, or kept before checks)
  std::string reason;           // the gate's sentence
  std::optional<double> score;  // the image's distance from the training images; none without an image check
  bool empty() const { return decision.empty(); }
};

// "Chest check: uncertain — <reason> (score 1.23)", or "... (no image check)": one line a reader of the
// report understands. Empty for an empty check.
std::string chestCheckStatement(const ChestCheck& check);

}  // namespace fedmrg::app

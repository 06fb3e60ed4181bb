#include "app/site/chest_check.h"

#include <cstdio>

namespace fedmrg::app {

std::string chestCheckStatement(const ChestCheck& check) {
  if (check.empty()) return {};
  std::string s = "Chest check: " + check.decision;
  if (!check.reason.empty()) s += " \u2014 " + check.reason;
  if (check.score) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " (score %.2f)", *check.score);
    s += buf;
  } else {
    s += " (no image check)";
  }
  return s;
}

}  // namespace fedmrg::app

#include "app/site/version_comparison.h"

namespace fedmrg::app {

const ReportVersion* comparedWith(const std::vector<ReportVersion>& versions, size_t index) {
  if (index >= versions.size() || versions[index].kind == ReportKind::Addendum) return nullptr;
  for (size_t i = index; i-- > 0;)
    if (versions[i].kind == ReportKind::Report) return &versions[i];
  return nullptr;
}

std::string comparableText(const ReportVersion& version) {
  if (version.kind == ReportKind::Addendum) return "ADDENDUM: " + version.findings;
  return "FINDINGS: " + version.findings + "\nIMPRESSION: " + version.impression;
}

std::vector<DiffPiece> versionDiff(const std::vector<ReportVersion>& versions, size_t index) {
  if (index >= versions.size()) return {};
  const ReportVersion* base = comparedWith(versions, index);
  return diffWords(base ? comparableText(*base) : std::string(), comparableText(versions[index]));
}

}  // namespace fedmrg::app

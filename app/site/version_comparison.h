#pragma once
// What the versions dialog compares a version with. A report version is compared with the report
// version before it: an addendum in between changed no report text. An addendum replaces nothing:
// its difference is its own text, added.
#include <string>
#include <vector>

#include "app/site/report_service.h"
#include "app/site/text_diff.h"

namespace fedmrg::app {

// The version that versions[index] is compared with (`versions` oldest first, as
// ReportService::versions gives them); null for an addendum and for the first report version.
const ReportVersion* comparedWith(const std::vector<ReportVersion>& versions, size_t index);

// The text a version is compared by: "FINDINGS: ...\nIMPRESSION: ..." for a report version,
// "ADDENDUM: ..." for an addendum.
std::string comparableText(const ReportVersion& version);

// The word diff of versions[index] against comparedWith(): all added when it has none.
std::vector<DiffPiece> versionDiff(const std::vector<ReportVersion>& versions, size_t index);

}  // namespace fedmrg::app

#pragma once
// What the reader of a study sees of its prior: the prior's signed report (read-only), and the
// report's COMPARISON line that names the prior.
#include <optional>
#include <string>
#include <vector>

#include "app/site/report_service.h"
#include "app/site/study_catalog.h"

namespace fedmrg::app {

// The report a study was signed with: the final version with its addenda; else, when the report
// was never signed final, its latest preliminary sign-off (status Preliminary, so the window says
// so); drafts are never shown as a prior's report.
struct SignedReport {
  ReportVersion report;                // status Final or Preliminary
  std::vector<ReportVersion> addenda;  // oldest first; only after a final report
};
std::optional<SignedReport> latestSignedReport(ReportService& reports, int64_t studyId);

// "COMPARISON: 2025-01-05 CHEST PA." for the prior (its date, else "undated"; its description,
// else its modality).
std::string comparisonLine(const StudySummary& prior);

// `findings` with `line` as its first line: an existing COMPARISON line (the first line starting
// with "COMPARISON:", any case, leading spaces allowed) is replaced where it is; else the line is
// put before the text. Nothing else of the text changes.
std::string withComparisonLine(const std::string& findings, const std::string& line);

}  // namespace fedmrg::app

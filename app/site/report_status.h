#pragma once
// Where a study's report stands (new, draft, preliminary, final) and what a kept version is (the
// report or an addendum). The words are the store's: only the SQL code and printed text convert.
#include <optional>
#include <string>

namespace fedmrg::app {

// New: the study has no report yet (a study status only, never a version's).
enum class ReportStatus { New, Draft, Preliminary, Final };
enum class ReportKind { Report, Addendum };

// The word the store keeps and the worklist shows: "new", "draft", "preliminary", "final".
const char* statusKey(ReportStatus status);
// The status a stored word names; nothing for an unknown word.
std::optional<ReportStatus> parseStatus(const std::string& key);

// "report" or "addendum".
const char* kindKey(ReportKind kind);
std::optional<ReportKind> parseKind(const std::string& key);

}  // namespace fedmrg::app

#include "app/site/report_status.h"

namespace fedmrg::app {

const char* statusKey(ReportStatus status) {
  switch (status) {
    case ReportStatus::New: return "new";
    case ReportStatus::Draft: return "draft";
    case ReportStatus::Preliminary: return "preliminary";
    case ReportStatus::Final: return "final";
  }
  return "new";
}

std::optional<ReportStatus> parseStatus(const std::string& key) {
  for (auto s : {ReportStatus::New, ReportStatus::Draft, ReportStatus::Preliminary, ReportStatus::Final})
    if (key == statusKey(s)) return s;
  return std::nullopt;
}

const char* kindKey(ReportKind kind) { return kind == ReportKind::Addendum ? "addendum" : "report"; }

std::optional<ReportKind> parseKind(const std::string& key) {
  for (auto k : {ReportKind::Report, ReportKind::Addendum})
    if (key == kindKey(k)) return k;
  return std::nullopt;
}

}  // namespace fedmrg::app

#include "app/site/prior_report.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include "app/site/patient_identity.h"

namespace fedmrg::app {

std::optional<SignedReport> latestSignedReport(ReportService& reports, int64_t studyId) {
  std::optional<SignedReport> out;
  std::optional<ReportVersion> preliminary;
  for (const auto& v : reports.versions(studyId)) {  // oldest first
    if (v.kind == ReportKind::Report && v.status == ReportStatus::Final) out = SignedReport{v, {}};
    else if (v.kind == ReportKind::Report && v.status == ReportStatus::Preliminary) preliminary = v;
    else if (v.kind == ReportKind::Addendum && out) out->addenda.push_back(v);
  }
  if (!out && preliminary) out = SignedReport{*preliminary, {}};
  return out;
}

std::string comparisonLine(const StudySummary& prior) {
  const std::string date = prior.studyDate.empty() ? std::string("undated") : displayDate(prior.studyDate);
  std::string what = QString::fromStdString(prior.description).simplified().toStdString();
  if (what.empty()) what = QString::fromStdString(prior.modality).simplified().toStdString();
  return "COMPARISON: " + date + (what.empty() ? "" : " " + what) + ".";
}

std::string withComparisonLine(const std::string& findings, const std::string& line) {
  QStringList lines = QString::fromStdString(findings).split(QLatin1Char('\n'));
  static const QRegularExpression comparison(QStringLiteral("^\\s*COMPARISON\\s*:"),
                                             QRegularExpression::CaseInsensitiveOption);
  for (QString& l : lines) {
    if (comparison.match(l).hasMatch()) {
      l = QString::fromStdString(line);
      return lines.join(QLatin1Char('\n')).toStdString();
    }
  }
  return findings.empty() ? line : line + "\n" + findings;
}

}  // namespace fedmrg::app

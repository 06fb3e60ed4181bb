#include "app/site/demo_reports.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <map>

#include "app/site/draft_service.h"
#include "app/site/finding_labels.h"
#include "app/site/report_service.h"
#include "app/site/site_store.h"
#include "app/site/study_catalog.h"

namespace fedmrg::app {
namespace {

// reports.jsonl's labels ({"cardiomegaly": "positive", ...}) in the editor's chip encoding.
std::string chipsOf(const QJsonObject& labels) {
  std::string text;
  for (auto it = labels.begin(); it != labels.end(); ++it)
    text += it.key().toStdString() + "=" + it.value().toString().toStdString() + ";";
  return encodeLabels(decodeLabels(text));  // blank states and unknown keys drop out
}

}  // namespace

int signDemoReports(Site& site, int64_t userId, const QStringList& reportFiles, int count) {
  std::map<std::string, int64_t> studyOf;  // StudyInstanceUID -> study id, for studies without a report
  ReportService reports(site, userId);
  for (const auto& s : listStudies(site)) {
    if (reports.latest(s.id)) return 0;  // someone reported here already: the head start was given, or is not wanted
    studyOf[s.studyUid] = s.id;
  }
  int signedCount = 0;
  for (const QString& file : reportFiles) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) throw StoreError(file.toStdString() + ": cannot read the demo reports");
    for (int line = 1; signedCount < count && !f.atEnd(); ++line) {
      const QByteArray bytes = f.readLine().trimmed();
      if (bytes.isEmpty()) continue;
      const QJsonObject o = QJsonDocument::fromJson(bytes).object();
      const std::string where = file.toStdString() + ":" + std::to_string(line);
      if (!o.contains("study_uid") || !o.value("report").isString())
        throw StoreError(where + ": not a report line (study_uid and report are required)");
      const auto it = studyOf.find(o.value("study_uid").toString().toStdString());
      if (it == studyOf.end()) continue;
      const ReportSections sections = splitReportText(o.value("report").toString().toStdString());
      reports.save(it->second, sections.findings, sections.impression, chipsOf(o.value("labels").toObject()));
      reports.sign(it->second, ReportStatus::Final, ChipsAgainstText::ConfirmedByUser);
      studyOf.erase(it);
      ++signedCount;
    }
  }
  return signedCount;
}

}  // namespace fedmrg::app

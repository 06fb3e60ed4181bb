#pragma once
// Demo only (fedmrg --demo-site, scripts/run.sh): the demo site starts with a few signed final reports, so that
// background training (and with it the federation's rounds) has something to learn from within minutes. The
// texts are FL-MRG-Synth's reference reports of the imported synthetic studies (reports.jsonl), never a model's
// draft: the demo radiologist's sign-off goes through the report workflow (a kept version, an audit entry, the
// training queue) like any other.
#include <QString>
#include <QStringList>
#include <cstdint>

namespace fedmrg::app {

class Site;

// Once: while no study of the site has a report, signs up to `count` of them from the reports.jsonl files (matched
// by study_uid; lines of studies the site lacks are skipped). Returns how many it signed (0 on a later start). Throws
// StoreError naming the file and line when a file cannot be read or a line is not a report.
int signDemoReports(Site& site, int64_t userId, const QStringList& reportFiles, int count);

}  // namespace fedmrg::app

#include "app/site/study_catalog.h"

#include <QDir>

#include "app/site/site.h"

namespace fedmrg::app {
namespace {

// The summary columns; `where` narrows the rows (bound parameters follow the caller's binds).
constexpr const char* kSummarySelect =
    "SELECT s.id, s.study_uid, s.patient_name, s.patient_id, s.study_date, s.modality, s.body_part, "
    "s.description, s.status, (SELECT count(*) FROM images i JOIN series r ON i.series_id = r.id "
    "WHERE r.study_id = s.id), s.patient_sex, s.patient_birth_date, s.accession_number, s.study_time FROM studies s ";

StudySummary summaryOf(const Statement& st) {
  const auto status = parseStatus(st.text(8));
  if (!status) throw StoreError("unknown study status '" + st.text(8) + "' in the store");
  return {st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.text(7),
          *status,     int(st.int64(9)), st.text(10), st.text(11), st.text(12), st.text(13)};
}

}  // namespace

std::vector<StudySummary> listStudies(Site& site) {
  std::vector<StudySummary> out;
  auto st = site.store().prepare(std::string(kSummarySelect) + "ORDER BY s.study_date DESC, s.id");
  while (st.step()) out.push_back(summaryOf(st));
  return out;
}

std::optional<StudySummary> findStudy(Site& site, int64_t studyId) {
  auto st = site.store().prepare(std::string(kSummarySelect) + "WHERE s.id = ?");
  st.bind(1, studyId);
  if (!st.step()) return std::nullopt;
  return summaryOf(st);
}

std::vector<ImageEntry> studyImages(Site& site, int64_t studyId) {
  std::vector<ImageEntry> out;
  auto st = site.store().prepare(
      "SELECT i.id, i.sop_uid, i.view_position, i.file_path, i.rows, i.columns FROM images i "
      "JOIN series r ON i.series_id = r.id WHERE r.study_id = ? ORDER BY r.id, i.id");
  st.bind(1, studyId);
  const QDir dir(site.dir());
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.text(2), dir.absoluteFilePath(QString::fromStdString(st.text(3))),
                   int(st.int64(4)), int(st.int64(5))});
  return out;
}

}  // namespace fedmrg::app

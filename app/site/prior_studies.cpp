#include "app/site/prior_studies.h"

#include <QDate>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace fedmrg::app {
namespace {

std::string trimmed(const std::string& s) { return QString::fromStdString(s).trimmed().toStdString(); }

// The name and birth date as one key; empty when either is missing (such a study matches by ID only).
std::string nameAndBirthKey(const StudySummary& s) {
  const std::string name = normalizedPersonName(s.patientName), born = trimmed(s.patientBirthDate);
  return name.empty() || born.empty() ? std::string() : name + '\n' + born;
}

// DICOM TM ("HHMMSS.FFFFFF", shorter forms, the old "HH:MM:SS") as "HHMMSS.FFFFFF"; empty when
// it is no time.
std::string normalizedTime(const std::string& tm) {
  QString t = QString::fromStdString(tm).trimmed().remove(QLatin1Char(':'));
  const qsizetype dot = t.indexOf(QLatin1Char('.'));
  QString whole = dot < 0 ? t : t.left(dot), fraction = dot < 0 ? QString() : t.mid(dot + 1);
  bool ok = whole.size() >= 2 && whole.size() <= 6;
  for (const QChar c : whole + fraction) ok = ok && c.isDigit();
  if (!ok) return {};
  return (whole.leftJustified(6, QLatin1Char('0')) + QLatin1Char('.') + fraction.leftJustified(6, QLatin1Char('0')))
      .toStdString();
}

}  // namespace

std::string normalizedPersonName(const std::string& dicomName) {
  const QString firstGroup = QString::fromStdString(dicomName).section(QLatin1Char('='), 0, 0);
  QStringList parts = firstGroup.split(QLatin1Char('^'));
  for (QString& p : parts) p = p.simplified().toUpper();
  while (!parts.isEmpty() && parts.last().isEmpty()) parts.removeLast();
  return parts.join(QLatin1Char('^')).toStdString();
}

PatientMatch samePatient(const StudySummary& a, const StudySummary& b) {
  const std::string idA = trimmed(a.patientId), idB = trimmed(b.patientId);
  if (!idA.empty() && idA == idB) return PatientMatch::SamePatientId;
  const std::string keyA = nameAndBirthKey(a);
  if (!keyA.empty() && keyA == nameAndBirthKey(b)) return PatientMatch::SameNameAndBirthDate;
  return PatientMatch::None;
}

bool StudyMoment::operator<(const StudyMoment& o) const {
  return std::tie(date, time, importOrder) < std::tie(o.date, o.time, o.importOrder);
}

std::optional<StudyMoment> studyMoment(const StudySummary& study) {
  const QString da = QString::fromStdString(study.studyDate).trimmed().remove(QLatin1Char('.'));
  if (da.size() != 8 || !QDate::fromString(da, QStringLiteral("yyyyMMdd")).isValid()) return std::nullopt;
  // The study id is the import order: ids only grow.
  return StudyMoment{da.toStdString(), normalizedTime(study.studyTime), study.id};
}

PatientStudies patientStudies(const std::vector<StudySummary>& all, int64_t studyId) {
  PatientStudies out;
  const auto current = std::find_if(all.begin(), all.end(), [&](const StudySummary& s) { return s.id == studyId; });
  if (current == all.end()) return out;
  out.current = *current;
  struct Other {
    StudySummary study;
    PatientMatch match;
    std::optional<StudyMoment> moment;
  };
  std::vector<Other> others;
  for (const auto& s : all)
    if (s.id != studyId)
      if (const PatientMatch m = samePatient(*current, s); m != PatientMatch::None)
        others.push_back({s, m, studyMoment(s)});
  // Newest first; undated last, in import order: their place in time is unknown.
  std::sort(others.begin(), others.end(), [](const Other& a, const Other& b) {
    if (a.moment && b.moment) return *b.moment < *a.moment;
    if (a.moment || b.moment) return bool(a.moment);
    return a.study.id < b.study.id;
  });
  const auto now = studyMoment(*current);
  for (const auto& o : others) {
    out.others.push_back(o.study);
    out.matches.push_back(o.match);
    if (!o.moment) ++out.undatedOthers;
    // An undated study is never the prior: shown beside the current study as "the previous one",
    // it could be a later study, or a study whose date was lost, and the reader would compare the
    // wrong way round without being told. It stays listed with the patient's studies.
    if (!out.prior && now && o.moment && *o.moment < *now) {
      out.prior = o.study;
      out.priorMatch = o.match;
    }
  }
  using NoPrior = PatientStudies::NoPrior;
  if (out.prior) out.whyNoPrior = NoPrior::NotNeeded;
  else if (others.empty()) out.whyNoPrior = NoPrior::NoOtherStudy;
  else if (!now) out.whyNoPrior = NoPrior::CurrentUndated;
  else out.whyNoPrior = NoPrior::OnlyLaterOrUndated;
  return out;
}

PatientStudies patientStudies(Site& site, int64_t studyId) { return patientStudies(listStudies(site), studyId); }

std::vector<int> priorCounts(const std::vector<StudySummary>& all) {
  std::unordered_map<std::string, std::vector<size_t>> byId, byKey;
  std::vector<std::optional<StudyMoment>> moments;
  for (size_t i = 0; i < all.size(); ++i) {
    moments.push_back(studyMoment(all[i]));
    if (const auto id = trimmed(all[i].patientId); !id.empty()) byId[id].push_back(i);
    if (const auto key = nameAndBirthKey(all[i]); !key.empty()) byKey[key].push_back(i);
  }
  std::vector<int> counts(all.size(), 0);
  std::vector<size_t> candidates;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!moments[i]) continue;
    candidates.clear();
    if (const auto it = byId.find(trimmed(all[i].patientId)); it != byId.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    if (const auto it = byKey.find(nameAndBirthKey(all[i])); it != byKey.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const size_t j : candidates)
      if (j != i && moments[j] && *moments[j] < *moments[i] && samePatient(all[i], all[j]) != PatientMatch::None)
        ++counts[i];
  }
  return counts;
}

}  // namespace fedmrg::app

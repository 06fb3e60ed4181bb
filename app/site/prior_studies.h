#pragma once
// Which studies of a site belong to the same patient, and which one is "the prior" of a study: the
// rule the worklist's Priors column and the prior viewer share, so that both always agree.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/site/study_catalog.h"

namespace fedmrg::app {

// How two studies were found to be of one patient. The prior viewer says so when the IDs differ.
enum class PatientMatch { None, SamePatientId, SameNameAndBirthDate };

// A DICOM PN compared as one patient's name: the first component group ('=' separates the
// ideographic and phonetic ones), each '^' component trimmed with inner spaces collapsed, upper
// case, trailing empty components dropped ("doe ^ john^^" and "DOE^JOHN" are one name). Empty
// when the name has no letters at all.
std::string normalizedPersonName(const std::string& dicomName);

// Same patient: the same non-empty Patient ID (IDs are the site's: one issuer), or, when the IDs
// differ or one is empty, the same normalized name and the same non-empty birth date. A name alone
// never matches (namesakes are common); an empty ID never matches another empty ID.
PatientMatch samePatient(const StudySummary& a, const StudySummary& b);

// Where a study stands in time: its date (YYYYMMDD; DICOM's old "YYYY.MM.DD" too), its time
// padded to HHMMSS (empty: start of the day) and the import order as the last tie-break. Nothing
// when the study has no valid date.
struct StudyMoment {
  std::string date, time;
  int64_t importOrder = 0;
  bool operator<(const StudyMoment& o) const;
};
std::optional<StudyMoment> studyMoment(const StudySummary& study);

struct PatientStudies {
  std::optional<StudySummary> current;  // nothing when the site has no such study
  // The patient's other studies, newest first; those without a date last, in import order.
  std::vector<StudySummary> others;
  // How each of `others` matched (same order).
  std::vector<PatientMatch> matches;
  // The newest dated study strictly before the current one; nothing for the patient's oldest study
  // or when the current study has no date.
  std::optional<StudySummary> prior;
  PatientMatch priorMatch = PatientMatch::None;
  // Why there is no prior although the patient has other studies, so that the window can say so
  // rather than silently show nothing.
  enum class NoPrior { NotNeeded, NoOtherStudy, CurrentUndated, OnlyLaterOrUndated };
  NoPrior whyNoPrior = NoPrior::NotNeeded;
  int undatedOthers = 0;  // how many of `others` have no date (never chosen as the prior)
};

// The patient's studies around `studyId` in `all` (e.g. listStudies()).
PatientStudies patientStudies(const std::vector<StudySummary>& all, int64_t studyId);
PatientStudies patientStudies(Site& site, int64_t studyId);

// For every study in `all` (same order), how many of the patient's dated studies lie strictly
// before it (the worklist's Priors column). Grouped through hash maps, not every pair: a site's
// worklist reloads after each save.
std::vector<int> priorCounts(const std::vector<StudySummary>& all);

}  // namespace fedmrg::app

#pragma once
// Who and which study an open report is about, as the patient banner shows it: the values the
// site imported from DICOM, formatted once here so every widget shows the same identity.
#include <string>

#include "app/site/study_catalog.h"

namespace fedmrg::app {

struct PatientIdentity {
  int64_t studyId = 0;
  std::string name;        // "Family, Given Middle" from a DICOM PN
  std::string patientId;
  std::string birthDate;   // YYYY-MM-DD, or as stored when it is no DICOM date
  std::string age;         // at the study date: "54 y", "18 mo", "12 d"; empty when unknown
  std::string sex;         // "female", "male", "other", or the stored code
  std::string studyDate;   // YYYY-MM-DD
  std::string accessionNumber;
};

PatientIdentity patientIdentity(const StudySummary& study);

// "Family^Given^Middle^Prefix^Suffix" -> "Family, Given Middle"; a name without '^' unchanged.
std::string displayPersonName(const std::string& dicomName);
// A DICOM DA (YYYYMMDD) as YYYY-MM-DD; anything else unchanged.
std::string displayDate(const std::string& dicomDate);
// Age on `onDate` of a patient born on `birthDate` (both DICOM DA): whole years from 2 years on,
// whole months under 2 years, days under one month. Empty when a date is missing, invalid or
// the birth is after `onDate`.
std::string ageOn(const std::string& birthDate, const std::string& onDate);

}  // namespace fedmrg::app

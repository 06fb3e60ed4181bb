#pragma once
// Writes a synthetic radiograph as a DICOM CR or DX file with the attributes a PACS export carries,
// byte-identical for the same inputs (no current time, no random UID).
#include <cstdint>
#include <string>

#include "engine/synth/chest_renderer.h"
#include "engine/synth/synth_site.h"

namespace fedmrg::engine {

struct SynthDicomInfo {
  std::string studyUid, seriesUid, sopUid;
  std::string patientName, patientId, patientSex, patientAge, patientBirthDate;
  std::string studyDate, studyTime, accessionNumber;
  std::string institution, manufacturer, model, modality = "DX";
  std::string viewPosition = "PA";
};

// A "2.25.<decimal>" UID derived from a 128-bit hash of (seed, salt): deterministic and unique.
std::string synthUid(uint64_t seed, uint64_t salt);

// A YYYYMMDD date `days` after 2023-01-01.
std::string synthDate(int days);

// Fills the identifiers of one study deterministically from its seed.
SynthDicomInfo synthDicomInfo(uint64_t studySeed, const SiteProfile& site, bool female, int ageYears, bool apView,
                              int serial);

// Writes the file; throws std::runtime_error naming the path and DCMTK's reason on failure.
void writeSynthDicom(const std::string& path, const SynthImage& image, const SynthDicomInfo& info, TransferSyntax ts);

}  // namespace fedmrg::engine

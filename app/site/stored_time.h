#pragma once
// The store's timestamps (ISO 8601 UTC with milliseconds, see nowUtc()) as people and DICOM read
// them: a sign-off banner says the local minute, an SR's verification says the exact UTC instant.
#include <string>

namespace fedmrg::app {

// "2026-12-01 10:32" in the workstation's local time zone; the stored text unchanged when it is not
// a stored timestamp (nothing shown is ever blank).
std::string localMinute(const std::string& storedUtc);

// DICOM DT, "20261201103205.123+0000"; empty when the text is not a stored timestamp.
std::string dicomDateTime(const std::string& storedUtc);

}  // namespace fedmrg::app

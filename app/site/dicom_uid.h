#pragma once
// The DICOM UID grammar (PS3.5 section 9.1): components of digits separated by dots, no component
// empty or with a leading zero (except "0" itself), at most 64 characters in all.
#include <string>

namespace fedmrg::app {

// Why `uid` breaks the grammar ("" when it is a valid UID), phrased for an import report:
// e.g. "component 3 (\"012\") has a leading zero".
std::string dicomUidProblem(const std::string& uid);

}  // namespace fedmrg::app

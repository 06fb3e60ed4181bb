#pragma once
// A user's display name as a DICOM person name (PN), for the SR's verifying observer: components
// "Family^Given^Middle^Prefix^Suffix", trailing empty ones left out, so that PACS and viewers list
// the radiologist by family name instead of showing "Jane Smith" as a family name.
#include <string>

namespace fedmrg::app {

// "Jane Smith" -> "Smith^Jane"; "Smith, Jane" -> "Smith^Jane"; "Dr. Jane Smith" -> "Smith^Jane^^Dr.";
// "Jane A. van der Berg, MD" -> "van der Berg^Jane^A.^^MD"; a name that holds '^' already is taken
// as PN. Characters PN reserves ('\', '=') are dropped and the result is cut to PN's 64 characters.
// Empty for a blank name.
std::string dicomPersonName(const std::string& displayName);

}  // namespace fedmrg::app

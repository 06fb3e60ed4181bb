#include "app/site/dicom_uid.h"

namespace fedmrg::app {

std::string dicomUidProblem(const std::string& uid) {
  if (uid.empty()) return "is empty";
  if (uid.size() > 64) return "is " + std::to_string(uid.size()) + " characters long (at most 64)";
  size_t start = 0;
  for (int component = 1;; ++component) {
    const size_t dot = uid.find('.', start);
    const std::string part = uid.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const std::string where = "component " + std::to_string(component);
    if (part.empty()) return where + " is empty (two dots, or a dot at an end)";
    for (const char c : part)
      if (c < '0' || c > '9') return where + " (\"" + part + "\") holds a character other than a digit";
    if (part.size() > 1 && part[0] == '0') return where + " (\"" + part + "\") has a leading zero";
    if (dot == std::string::npos) return {};
    start = dot + 1;
  }
}

}  // namespace fedmrg::app

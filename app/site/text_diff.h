#pragma once
// Word-level difference between two report versions, for the editor's version diff view.
#include <string>
#include <vector>

namespace fedmrg::app {

struct DiffPiece {
  enum Kind { Same, Removed, Added } kind;
  std::string text;  // words joined with their original spacing
};

// Longest-common-subsequence diff on whitespace-separated words (with their trailing spaces).
std::vector<DiffPiece> diffWords(const std::string& before, const std::string& after);

}  // namespace fedmrg::app

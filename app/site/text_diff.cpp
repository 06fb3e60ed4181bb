#include "app/site/text_diff.h"

#include <cctype>

namespace fedmrg::app {
namespace {

// Splits into tokens: a word with the whitespace that follows it.
std::vector<std::string> tokens(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::string trimmed(const std::string& t) {
  size_t end = t.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(t[end - 1]))) --end;
  return t.substr(0, end);
}

void append(std::vector<DiffPiece>& out, DiffPiece::Kind kind, const std::string& text) {
  if (!out.empty() && out.back().kind == kind) out.back().text += text;
  else out.push_back({kind, text});
}

}  // namespace

std::vector<DiffPiece> diffWords(const std::string& before, const std::string& after) {
  const auto a = tokens(before), b = tokens(after);
  const size_t n = a.size(), m = b.size();
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], comparing words without their spacing.
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = trimmed(a[i]) == trimmed(b[j]) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<DiffPiece> out;
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (trimmed(a[i]) == trimmed(b[j])) {
      append(out, DiffPiece::Same, b[j]);
      ++i;
      ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      append(out, DiffPiece::Removed, a[i++]);
    } else {
      append(out, DiffPiece::Added, b[j++]);
    }
  }
  while (i < n) append(out, DiffPiece::Removed, a[i++]);
  while (j < m) append(out, DiffPiece::Added, b[j++]);
  return out;
}

}  // namespace fedmrg::app

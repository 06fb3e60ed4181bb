// fedmrg:internal
#pragma once
// Reads RFC 4180 CSV (quoted fields with commas, doubled quotes and newlines) with a header row,
// as the public data sets ship their label and split tables.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fedmrg::engine {

class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CsvTable {
 public:
  // Throws CsvError naming `name` and the line for an unterminated quote.
  static CsvTable parse(std::string_view text, const std::string& name = "csv");
  // Throws CsvError naming the path when the file cannot be read.
  static CsvTable readFile(const std::string& path);

  const std::vector<std::string>& header() const { return header_; }
  size_t rows() const { return rows_.size(); }
  // Column index by name (exact, then case-insensitive), or -1.
  int column(std::string_view name) const;
  // The cell, or "" when the row is short or the column is -1.
  const std::string& cell(size_t row, int column) const;
  // 1-based line in the file where the row starts (for error messages).
  int line(size_t row) const { return lines_[row]; }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> lines_;
};

}  // namespace fedmrg::engine

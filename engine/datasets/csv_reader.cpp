#include "engine/datasets/csv_reader.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace fedmrg::engine {

CsvTable CsvTable::parse(std::string_view text, const std::string& name) {
  CsvTable t;
  std::vector<std::vector<std::string>> records;
  std::vector<int> starts;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, fieldStarted = false;
  int line = 1, rowLine = 1, quoteLine = 1;
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark
  auto endRow = [&] {
    row.push_back(field);
    field.clear();
    fieldStarted = false;
    if (!(row.size() == 1 && row[0].empty())) {
      records.push_back(row);
      starts.push_back(rowLine);
    }
    row.clear();
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !fieldStarted) {
      quoted = fieldStarted = true;
      quoteLine = line;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      fieldStarted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      endRow();
      ++line;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw CsvError(name + ": line " + std::to_string(quoteLine) + ": unterminated quoted field");
  if (fieldStarted || !row.empty()) endRow();
  if (records.empty()) throw CsvError(name + ": empty file (no header row)");
  t.header_ = records.front();
  t.rows_.assign(records.begin() + 1, records.end());
  t.lines_.assign(starts.begin() + 1, starts.end());
  return t;
}

CsvTable CsvTable::readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CsvError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return parse(s.str(), path);
}

int CsvTable::column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return int(i);
  for (size_t i = 0; i < header_.size(); ++i) {
    const std::string& h = header_[i];
    if (h.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < h.size() && same; ++k)
      same = std::tolower(static_cast<unsigned char>(h[k])) == std::tolower(static_cast<unsigned char>(name[k]));
    if (same) return int(i);
  }
  return -1;
}

const std::string& CsvTable::cell(size_t row, int column) const {
  static const std::string empty;
  if (column < 0 || row >= rows_.size() || size_t(column) >= rows_[row].size()) return empty;
  return rows_[row][size_t(column)];
}

}  // namespace fedmrg::engine

// Readers for the report files the evaluation tools take: JSONL ({"id": ..., "report": ...} per line)
// and CSV (RFC 4180: quoted fields may hold commas, doubled quotes and newlines).
// Bad input never throws past a line: problems are collected with file and line number.
#pragma once

#include <string>
#include <vector>

namespace fedmrg::engine {

struct IdReport {
    std::string id;
    std::string report;
    int line = 0;  // 1-based line of the record in its file
};

struct ReadProblem {
    std::string file;
    int line = 0;
    std::string reason;
    std::string message() const;  // "file:line: reason"
};

// JSONL: each non-blank line an object with "id" (string or number) and "report" (or "text") string.
// Malformed lines, missing fields and repeated ids are reported and skipped. Throws std::runtime_error
// only when the file cannot be opened.
std::vector<IdReport> readReportJsonl(const std::string& path, std::vector<ReadProblem>& problems);

struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int> rowLines;  // 1-based line where each row starts
};

// Parses CSV text. An unterminated quote is reported (the rest of the file is that field's text, and
// the row is dropped); rows whose field count differs from the header are reported and kept (padded).
CsvTable parseCsv(const std::string& text, const std::string& fileName, std::vector<ReadProblem>& problems);
CsvTable readCsvFile(const std::string& path, std::vector<ReadProblem>& problems);  // throws if unreadable

// Quotes a field for CSV output when it needs it.
std::string csvField(const std::string& value);

}  // namespace fedmrg::engine

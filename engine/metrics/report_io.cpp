#include "engine/metrics/report_io.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

#include "engine/core/json.h"

namespace fedmrg::engine {
namespace {

std::string readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string numberId(double v) {
    std::ostringstream ss;
    ss.precision(17);
    ss << v;
    return ss.str();
}

}  // namespace

std::string ReadProblem::message() const { return file + ":" + std::to_string(line) + ": " + reason; }

std::vector<IdReport> readReportJsonl(const std::string& path, std::vector<ReadProblem>& problems) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<IdReport> out;
    std::unordered_set<std::string> seen;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        try {
            Json j = Json::parse(line);
            if (!j.isObject()) throw JsonError("not a JSON object");
            const Json* id = j.find("id");
            if (!id || !(id->isString() || id->isNumber())) {
                problems.push_back({path, lineNo, "missing \"id\" (string or number)"});
                continue;
            }
            const Json* text = j.find("report");
            if (!text) text = j.find("text");
            if (!text || !text->isString()) {
                problems.push_back({path, lineNo, "missing \"report\" (or \"text\") string"});
                continue;
            }
            IdReport r;
            r.id = id->isString() ? id->asString() : numberId(id->asNumber());
            r.report = text->asString();
            r.line = lineNo;
            if (!seen.insert(r.id).second) {
                problems.push_back({path, lineNo, "duplicate id '" + r.id + "' (first one kept)"});
                continue;
            }
            out.push_back(std::move(r));
        } catch (const JsonError& e) {
            problems.push_back({path, lineNo, std::string("malformed JSON: ") + e.what()});
        }
    }
    return out;
}

CsvTable parseCsv(const std::string& text, const std::string& fileName, std::vector<ReadProblem>& problems) {
    CsvTable table;
    std::vector<std::string> row;
    std::string field;
    bool inQuotes = false, fieldStarted = false, any = false;
    int line = 1, rowStart = 1, quoteLine = 0;
    size_t i = 0;
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 BOM
    auto endRow = [&]() {
        row.push_back(field);
        field.clear();
        if (!(row.size() == 1 && row[0].empty() && !fieldStarted)) {
            if (table.header.empty() && table.rows.empty()) {
                table.header = row;
            } else {
                if (row.size() != table.header.size()) {
                    problems.push_back({fileName, rowStart, "expected " + std::to_string(table.header.size()) +
                                                               " fields, found " + std::to_string(row.size())});
                    row.resize(table.header.size());
                }
                table.rows.push_back(row);
                table.rowLines.push_back(rowStart);
            }
        }
        row.clear();
        fieldStarted = false;
        any = false;
    };
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') { field.push_back('"'); ++i; }
                else inQuotes = false;
            } else {
                if (c == '\n') ++line;
                field.push_back(c);
            }
            continue;
        }
        if (!any) { rowStart = line; any = true; }
        if (c == '"' && field.empty()) { inQuotes = true; fieldStarted = true; quoteLine = line; }
        else if (c == ',') { row.push_back(field); field.clear(); fieldStarted = true; }
        else if (c == '\r') {}
        else if (c == '\n') { endRow(); ++line; }
        else { field.push_back(c); fieldStarted = true; }
    }
    if (inQuotes) {
        problems.push_back({fileName, quoteLine, "unterminated quoted field (row dropped)"});
    } else if (any) {
        endRow();
    }
    return table;
}

CsvTable readCsvFile(const std::string& path, std::vector<ReadProblem>& problems) {
    return parseCsv(readWholeFile(path), path, problems);
}

std::string csvField(const std::string& value) {
    if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

}  // namespace fedmrg::engine

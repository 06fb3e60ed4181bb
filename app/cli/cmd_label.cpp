// fedmrg-cli label: runs the CheXpert-style labeler over a CSV of reports and writes the 14 states and
// the evidence spans per report.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/cli/cli.h"
#include "engine/labeler/labeler.h"
#include "engine/metrics/report_io.h"

namespace fedmrg::cli {
namespace {

std::string evidenceText(const engine::LabelResult& r) {
  std::string out;
  for (const auto& e : r.evidence) {
    if (!out.empty()) out += "; ";
    out += (e.observation == 0 ? std::string("other finding") : engine::observationName(e.observation));
    out += "=" + std::string(engine::stateName(e.state)) + " [" + std::to_string(e.begin) + "," +
           std::to_string(e.end) + ") \"" + e.phrase + "\"";
    if (!e.cue.empty()) out += " cue \"" + e.cue + "\"";
  }
  return out;
}

int runLabel(const Args& a) {
  if (a.positional().size() != 1) throw UsageError("label needs exactly one CSV file");
  const std::string path = a.positional()[0];
  std::vector<engine::ReadProblem> problems;
  engine::CsvTable table = engine::readCsvFile(path, problems);
  if (a.has("no-header") && !table.header.empty()) {
    table.rows.insert(table.rows.begin(), table.header);
    table.rowLines.insert(table.rowLines.begin(), 1);
    table.header.assign(table.header.size(), "");
  }
  for (const auto& p : problems) std::fprintf(stderr, "warning: %s\n", p.message().c_str());
  int reportCol = 0, idCol = -1;
  const std::string wanted = a.get("column", "report");
  bool found = false;
  for (size_t i = 0; i < table.header.size(); ++i) {
    if (table.header[i] == wanted) { reportCol = int(i); found = true; }
    if (table.header[i] == "id" || table.header[i] == "uid") idCol = int(i);
  }
  if (!found && a.has("column")) throw UsageError("no column named '" + wanted + "' in " + path);

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (auto o = a.get("out")) {
    file.open(*o);
    if (!file) throw std::runtime_error("cannot write " + *o);
    out = &file;
  }
  *out << (idCol >= 0 ? table.header[idCol] : std::string("row"));
  for (int k = 0; k < engine::kNumObservations; ++k) *out << "," << engine::csvField(engine::observationName(k));
  *out << ",evidence\n";
  engine::ReportLabeler labeler;
  size_t n = 0;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const engine::LabelResult res = labeler.label(row[reportCol]);
    *out << engine::csvField(idCol >= 0 ? row[idCol] : std::to_string(r + 1));
    for (int k = 0; k < engine::kNumObservations; ++k) {
      const auto s = res.states[k];
      *out << "," << (s == engine::ObservationState::Blank ? "" : engine::stateName(s));
    }
    *out << "," << engine::csvField(evidenceText(res)) << "\n";
    ++n;
  }
  std::fprintf(stderr, "%zu reports labeled from column '%s' of %s%s\n", n,
               table.header.empty() ? "" : table.header[reportCol].c_str(), path.c_str(),
               problems.empty() ? "" : (" (" + std::to_string(problems.size()) + " problem(s) reported)").c_str());
  return 0;
}

const CommandRegistration reg({"label", "label reports with the 14 CheXpert observations (states + evidence)",
                               "reports.csv [--out labels.csv] [--column NAME] [--no-header]",
                               {{"out", true, "write the CSV here instead of standard output"},
                                {"column", true, "the report column (default: 'report', else the first column)"},
                                {"no-header", false, "the file has no header row: every row is a report"}},
                               runLabel});

}  // namespace
}  // namespace fedmrg::cli

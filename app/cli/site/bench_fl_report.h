#pragma once
// The FL benchmark's outputs besides the per-run files: TABLE.md (a row per method, mean ± std over seeds of the
// test scores and the bytes) and the per-round series the plots draw (plots.csv).
#include <string>
#include <vector>

#include "engine/core/json.h"

namespace fedmrg::cli::benchfl {

// `runs`: every finished run's JSON (bench_fl_run.h), `header`: lines printed above the table.
std::string tableMarkdown(const std::vector<engine::Json>& runs, const std::vector<std::string>& methodOrder,
                          const std::vector<std::string>& header);

// One row per method, seed and round: val CE-F1 and BLEU-4 (seen, held-out), cumulative bytes.
std::string roundsCsv(const std::vector<engine::Json>& runs);

}  // namespace fedmrg::cli::benchfl

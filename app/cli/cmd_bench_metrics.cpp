// fedmrg-cli bench metrics (alias bench-metrics): labeling throughput on one core and the time for every report
// metric on N report pairs (IU X-ray reports when the reference folder is present, else generated sentences).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "engine/labeler/labeler.h"
#include "engine/metrics/meteor.h"
#include "engine/metrics/report_evaluation.h"
#include "engine/metrics/report_io.h"
#include "engine/metrics/text_metrics.h"
#include "engine/metrics/wordnet_synonyms.h"

namespace fedmrg::cli {
namespace {

using bench::Clock;

double secondsSince(Clock::time_point t0) { return bench::seconds(t0, Clock::now()); }

std::vector<std::string> iuReports(const std::string& path) {
  std::vector<std::string> out;
  if (!std::ifstream(path)) return out;
  std::vector<engine::ReadProblem> problems;
  const engine::CsvTable t = engine::readCsvFile(path, problems);
  int findings = -1, impression = -1;
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i] == "findings") findings = int(i);
    if (t.header[i] == "impression") impression = int(i);
  }
  if (findings < 0 || impression < 0) return out;
  for (const auto& row : t.rows) out.push_back(row[findings] + " " + row[impression]);
  return out;
}

// Report-like text from a few sentence shapes, for machines without the IU reports.
std::vector<std::string> generatedReports(size_t n, uint64_t seed) {
  const char* heart[] = {"The heart is normal in size.", "Heart size is mildly enlarged.", "Stable cardiomegaly.",
                         "The cardiomediastinal silhouette is within normal limits."};
  const char* lungs[] = {"The lungs are clear.", "There is a small left pleural effusion.",
                         "Patchy opacity in the right lower lobe may represent pneumonia.",
                         "No focal consolidation, pneumothorax or pleural effusion.",
                         "Minimal bibasilar atelectasis.", "Mild pulmonary vascular congestion."};
  const char* other[] = {"No acute bony abnormality.", "Degenerative changes of the thoracic spine.",
                         "A right internal jugular catheter tip projects over the superior vena cava.",
                         "Healed left rib fracture.", ""};
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string r = heart[rng() % 4];
    r += std::string(" ") + lungs[rng() % 6] + " " + lungs[rng() % 6] + " " + other[rng() % 5];
    out.push_back(r);
  }
  return out;
}

int runBenchMetrics(const Args& a) {
  const long long n = a.getInt("reports", 10000);
  if (n < 1) throw UsageError("--reports must be at least 1");
  const std::string iuPath = a.get("iu", "../shared/reference/iu-xray-dev/indiana_reports_dev.csv");
  std::printf("command: %s (--reports %lld --iu %s)\n", bench::commandLine().c_str(), n, iuPath.c_str());
  std::vector<std::string> base = iuReports(iuPath);
  const bool fromIu = !base.empty();
  if (!fromIu) base = generatedReports(2000, 7);
  std::printf("source: %s (%zu distinct reports)\n", fromIu ? "IU X-ray dev reports" : "generated sentences",
              base.size());

  // Labeling throughput, single thread.
  engine::ReportLabeler labeler;
  size_t labeled = 0, bytes = 0, positives = 0;
  const auto t0 = Clock::now();
  while (labeled < size_t(n) || secondsSince(t0) < 1.0) {
    const std::string& r = base[labeled % base.size()];
    const auto states = labeler.states(r);
    positives += states[2] == engine::ObservationState::Positive;
    bytes += r.size();
    ++labeled;
  }
  const double labelSeconds = secondsSince(t0);
  std::printf("labeling: %zu reports in %.3f s on one thread: %.0f reports/s (%.1f MB/s; checksum %zu)\n", labeled,
              labelSeconds, labeled / labelSeconds, bytes / labelSeconds / 1e6, positives);

  // All metrics on n pairs: prediction i = report i, reference = another report.
  std::vector<engine::IdReport> preds, refs;
  preds.reserve(size_t(n));
  refs.reserve(size_t(n));
  for (long long i = 0; i < n; ++i) {
    const std::string id = std::to_string(i);
    preds.push_back({id, base[size_t(i) % base.size()], int(i + 1)});
    refs.push_back({id, base[size_t(i * 7 + 3) % base.size()], int(i + 1)});
  }
  const auto tw = Clock::now();
  const bool wordnet = engine::WordNetSynonyms::shared().available();
  const double wordnetSeconds = secondsSince(tw);

  const auto te = Clock::now();
  const engine::EvaluationResult r = engine::evaluateReports(preds, refs);
  const double evalSeconds = secondsSince(te);
  std::printf("all metrics (BLEU-1..4, METEOR, ROUGE-L, CIDEr-D, clinical efficacy) on %lld pairs: %.3f s "
              "(+ %.3f s one-time WordNet load%s)\n",
              n, evalSeconds, wordnetSeconds, wordnet ? "" : ", not found: synonyms skipped");

  // Per-metric breakdown.
  engine::TokenCorpus corpus;
  auto step = [](const char* name, auto&& fn) {
    const auto t = Clock::now();
    fn();
    std::printf("  %-34s %.3f s\n", name, secondsSince(t));
  };
  step("tokenize (r2gen)", [&] {
    for (long long i = 0; i < n; ++i) {
      corpus.hyps.push_back(engine::tokenize(preds[size_t(i)].report, engine::TokenizeMode::R2Gen));
      corpus.refs.push_back({engine::tokenize(refs[size_t(i)].report, engine::TokenizeMode::R2Gen)});
    }
  });
  step("BLEU-1..4", [&] { (void)engine::corpusBleu(corpus); });
  step("ROUGE-L", [&] { (void)engine::corpusRougeL(corpus); });
  step("CIDEr-D", [&] { (void)engine::corpusCiderD(corpus); });
  step("METEOR", [&] { (void)engine::Meteor().corpusScore(corpus); });
  step("labeling both sides + clinical", [&] {
    std::vector<engine::ObservationStates> p, q;
    for (long long i = 0; i < n; ++i) {
      p.push_back(labeler.states(preds[size_t(i)].report));
      q.push_back(labeler.states(refs[size_t(i)].report));
    }
    (void)engine::clinicalEfficacy(p, q);
  });
  std::printf("scores: BLEU-4 %.4f METEOR %.4f ROUGE-L %.4f CIDEr-D %.4f clinical micro F1 %.4f\n", r.bleu[3],
              r.meteor, r.rougeL, r.ciderD, r.clinical.micro14.f1);
  std::printf("targets: labeling >= 10000 reports/s: %s; all metrics on 10000 pairs < 10 s: %s\n",
              labeled / labelSeconds >= 10000 ? "met" : "NOT met",
              n != 10000 ? "n/a (run with --reports 10000)" : (evalSeconds + wordnetSeconds < 10 ? "met" : "NOT met"));
  return 0;
}

const CommandRegistration reg({"bench-metrics", "benchmark the labeler and the report metrics",
                               "[--reports N] [--iu indiana_reports_dev.csv]",
                               {{"reports", true, "report pairs to score (default 10000)"},
                                {"iu", true, "IU X-ray reports CSV (default ../shared/reference/iu-xray-dev/...)"}},
                               runBenchMetrics, true});

}  // namespace
}  // namespace fedmrg::cli

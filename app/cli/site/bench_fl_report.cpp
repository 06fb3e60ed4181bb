#include "app/cli/site/bench_fl_report.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace fedmrg::cli::benchfl {
namespace {

using engine::Json;

struct Stat {
  double mean = 0, sd = 0;
  size_t n = 0;
};

Stat stat(const std::vector<double>& v) {
  Stat s;
  s.n = v.size();
  if (v.empty()) return s;
  for (double x : v) s.mean += x;
  s.mean /= double(v.size());
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(ss / double(v.size() - 1));  // sample standard deviation over seeds
  }
  return s;
}

std::string fmt(const Stat& s, const char* f = "%.3f") {
  char a[64], b[64];
  std::snprintf(a, sizeof a, f, s.mean);
  if (s.n < 2) return a;
  std::snprintf(b, sizeof b, f, s.sd);
  return std::string(a) + " ± " + b;
}

}  // namespace

std::string tableMarkdown(const std::vector<Json>& runs, const std::vector<std::string>& order,
                          const std::vector<std::string>& header) {
  std::map<std::string, std::vector<const Json*>> byMethod;
  for (const Json& r : runs) byMethod[r.at("method").asString()].push_back(&r);
  auto meanBytes = [&](const std::string& m) {
    auto it = byMethod.find(m);
    if (it == byMethod.end()) return -1.0;
    std::vector<double> v;
    for (const Json* r : it->second) v.push_back(r->at("total_bytes").asNumber());
    return stat(v).mean;
  };
  const double fedavg = meanBytes("fedavg"), lora = meanBytes("fedavg-lora");

  std::string out;
  for (const auto& h : header) out += h + "\n";
  out +=
      "\n| method | seeds | seen CE-F1 | seen CE-F1 macro | seen BLEU-4 | seen METEOR | seen ROUGE-L | seen CIDEr-D "
      "| held-out CE-F1 | held-out CE-F1 macro | held-out BLEU-4 | MB sent (up + down) | fewer bytes than FedAvg "
      "| than FedAvg-LoRA | round kept | minutes |\n";
  out += "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const std::string& m : order) {
    auto it = byMethod.find(m);
    if (it == byMethod.end()) continue;
    auto collect = [&](const char* side, const char* key) {
      std::vector<double> v;
      for (const Json* r : it->second) v.push_back(r->at("test").at(side).at(key).asNumber());
      return stat(v);
    };
    auto field = [&](const char* key) {
      std::vector<double> v;
      for (const Json* r : it->second) v.push_back(r->at(key).asNumber());
      return stat(v);
    };
    const Stat bytes = field("total_bytes");
    auto saving = [&](double baseline) {
      if (baseline <= 0 || bytes.mean <= 0) return std::string("–");
      char b[32];
      std::snprintf(b, sizeof b, "%.1f%%", 100.0 * (1.0 - bytes.mean / baseline));
      return std::string(b);
    };
    Stat mb = bytes;
    mb.mean /= 1048576.0;
    mb.sd /= 1048576.0;
    Stat minutes = field("seconds");
    minutes.mean /= 60;
    minutes.sd /= 60;
    out += "| " + it->second.front()->at("label").asString() + " | " + std::to_string(it->second.size()) + " | " +
           fmt(collect("seen", "ce_f1")) + " | " + fmt(collect("seen", "ce_macro_f1")) + " | " +
           fmt(collect("seen", "bleu4")) + " | " + fmt(collect("seen", "meteor")) + " | " +
           fmt(collect("seen", "rouge_l")) + " | " + fmt(collect("seen", "cider_d")) + " | " +
           fmt(collect("held_out", "ce_f1")) + " | " + fmt(collect("held_out", "ce_macro_f1")) + " | " +
           fmt(collect("held_out", "bleu4")) + " | " + (bytes.mean > 0 ? fmt(mb, "%.3f") : "0 (nothing sent)") + " | " +
           saving(fedavg) + " | " + saving(lora) + " | " + fmt(field("best_round"), "%.1f") + " | " +
           fmt(minutes, "%.1f") + " |\n";
  }
  return out;
}

std::string roundsCsv(const std::vector<Json>& runs) {
  std::string out = "method,seed,round,seen_ce_f1,seen_bleu4,held_out_ce_f1,held_out_bleu4,cumulative_bytes\n";
  for (const Json& r : runs)
    for (const Json& k : r.at("rounds").asArray()) {
      char line[256];
      const Json& v = k.at("val");
      std::snprintf(line, sizeof line, "%s,%lld,%lld,%.6f,%.6f,%.6f,%.6f,%.0f\n", r.at("method").asString().c_str(),
                    (long long)r.at("seed").asNumber(), (long long)k.at("round").asNumber(),
                    v.at("seen").at("ce_f1").asNumber(), v.at("seen").at("bleu4").asNumber(),
                    v.at("held_out").at("ce_f1").asNumber(), v.at("held_out").at("bleu4").asNumber(),
                    k.at("cumulative_up_bytes").asNumber() + k.at("cumulative_down_bytes").asNumber());
      out += line;
    }
  return out;
}

}  // namespace fedmrg::cli::benchfl

#include "app/cli/bench_common.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fedmrg::cli::bench {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5));
  return v[i];
}

double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

std::string commandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string out;
  for (char c : all) out += c ? c : ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

double peakRssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return double(std::stol(line.substr(6))) / 1024.0;
  return 0;
}

bool resetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return bool(out);
}

double loadAverage1() {
  std::ifstream in("/proc/loadavg");
  double l = -1;
  if (!(in >> l)) return -1;
  return l;
}

Machine machine() {
  Machine m;
  m.cores = int(std::max(1u, std::thread::hardware_concurrency()));
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, flags;
  while (std::getline(cpu, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && m.cpuModel.empty()) m.cpuModel = value;
    if (key == "flags" && flags.empty()) flags = " " + value + " ";
  }
  m.avx2 = flags.find(" avx2 ") != std::string::npos;
  m.fma = flags.find(" fma ") != std::string::npos;
  m.f16c = flags.find(" f16c ") != std::string::npos;
  std::ifstream load("/proc/loadavg");
  if (!(load >> m.load1 >> m.load5 >> m.load15)) m.load1 = m.load5 = m.load15 = -1;
  return m;
}

engine::Json machineJson(const Machine& m) {
  engine::Json j = engine::Json::object();
  j["cores"] = m.cores;
  j["cpu_model"] = m.cpuModel;
  j["avx2"] = m.avx2;
  j["fma"] = m.fma;
  j["f16c"] = m.f16c;
  j["load_average_1m"] = m.load1;
  j["load_average_5m"] = m.load5;
  j["load_average_15m"] = m.load15;
  return j;
}

bool Target::pass() const {
  switch (kind) {
    case Kind::AtLeast: return value >= target;
    case Kind::AtMost: return value <= target;
    case Kind::None: return true;
  }
  return true;
}

namespace {

std::string targetText(const Target& t) {
  if (t.kind == Target::Kind::None) return "no target";
  std::ostringstream s;
  s << (t.kind == Target::Kind::AtLeast ? ">= " : "<= ") << t.target << ' ' << t.unit;
  return s.str();
}

const char* verdict(const Target& t) {
  if (t.kind == Target::Kind::None) return "-";
  return t.pass() ? "PASS" : "MISS";
}

void printRow(const Target& t) {
  std::printf("  %-42s %11.3f %-9s %-20s %s\n", t.figure.c_str(), t.value, t.unit.c_str(), targetText(t).c_str(),
              verdict(t));
  std::fflush(stdout);
}

}  // namespace

const Target& TargetTable::add(Target t) {
  rows_.push_back(std::move(t));
  printRow(rows_.back());
  return rows_.back();
}

void TargetTable::print(const char* title) const {
  std::printf("\n%s\n", title);
  for (const Target& t : rows_) printRow(t);
}

engine::Json TargetTable::json() const {
  engine::Json a = engine::Json::array();
  for (const Target& t : rows_) {
    engine::Json j = engine::Json::object();
    j["figure"] = t.figure;
    j["value"] = t.value;
    j["unit"] = t.unit;
    j["target"] = targetText(t);
    j["verdict"] = verdict(t);
    a.push_back(j);
  }
  return a;
}

int TargetTable::misses() const {
  return int(std::count_if(rows_.begin(), rows_.end(), [](const Target& t) { return !t.pass(); }));
}

void writeJson(const std::string& path, const engine::Json& j) {
  std::ofstream out(path);
  if (!(out << j.dump(2) << "\n")) throw std::runtime_error(path + ": cannot write");
}

void checkWritable(const std::string& path) {
  std::ofstream out(path, std::ios::app);
  if (!out) throw std::runtime_error(path + ": cannot write");
}

}  // namespace fedmrg::cli::bench

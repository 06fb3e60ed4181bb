#include "engine/datasets/dataset_loaders.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/core/json.h"
#include "engine/datasets/csv_reader.h"
#include "engine/imaging/dicom_image.h"

namespace fedmrg::engine {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

// The reason an image file cannot be used, or "" when it looks readable.
std::string imageProblem(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "file not found";
  if (!fs::is_regular_file(path, ec)) return "not a regular file";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open";
  unsigned char head[132] = {0};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const std::streamsize n = in.gcount();
  const std::string ext = lower(fs::path(path).extension().string());
  if (ext == ".png") {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (n < 8 || std::memcmp(head, sig, 8) != 0) return "not a PNG file (bad signature)";
    if (fs::file_size(path, ec) < 67) return "truncated PNG file";
  } else if (ext == ".jpg" || ext == ".jpeg") {
    if (n < 3 || head[0] != 0xFF || head[1] != 0xD8 || head[2] != 0xFF) return "not a JPEG file (bad signature)";
    in.clear();
    in.seekg(-2, std::ios::end);
    unsigned char tail[2] = {0, 0};
    in.read(reinterpret_cast<char*>(tail), 2);
    if (tail[0] != 0xFF || tail[1] != 0xD9) return "truncated JPEG file (no end-of-image marker)";
  } else if (ext == ".dcm" || ext.empty()) {
    try {
      (void)readDicomMetadata(path);
    } catch (const std::exception& e) {
      return std::string("not a readable DICOM file: ") + e.what();
    }
  } else if (n == 0) {
    return "empty file";
  }
  return "";
}

void skip(LoadResult& r, const std::string& path, const std::string& reason) {
  ++r.skipped;
  r.issues.push_back({path, reason});
}

void accept(LoadResult& r, DatasetRecord rec) {
  ++r.loaded;
  r.records.push_back(std::move(rec));
}

std::string readText(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = bool(in);
  if (!ok) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string normalizeSplit(const std::string& s) {
  const std::string l = lower(trim(s));
  if (l == "validate" || l == "validation" || l == "valid") return "val";
  return l;
}

// "FINDINGS: ... IMPRESSION: ..." from the two sections, leaving out empty ones.
std::string joinSections(const std::string& findings, const std::string& impression) {
  std::string out;
  if (!trim(findings).empty()) out += "FINDINGS: " + trim(findings);
  if (!trim(impression).empty()) out += std::string(out.empty() ? "" : "\n") + "IMPRESSION: " + trim(impression);
  return out;
}

}  // namespace

bool parseStateCell(const std::string& cell, ObservationState& state) {
  const std::string c = lower(trim(cell));
  if (c.empty() || c == "blank" || c == "nan") state = ObservationState::Blank;
  else if (c == "1" || c == "1.0" || c == "positive") state = ObservationState::Positive;
  else if (c == "0" || c == "0.0" || c == "negative") state = ObservationState::Negative;
  else if (c == "-1" || c == "-1.0" || c == "uncertain") state = ObservationState::Uncertain;
  else return false;
  return true;
}

LoadResult loadR2GenAnnotation(const std::string& annotationJson, const std::string& imageRoot, const std::string& site) {
  LoadResult r;
  Json ann;
  try {
    ann = Json::parseFile(annotationJson);
  } catch (const std::exception& e) {
    skip(r, annotationJson, e.what());
    return r;
  }
  if (!ann.isObject()) {
    skip(r, annotationJson, "expected an object with train/val/test arrays");
    return r;
  }
  for (const auto& [split, items] : ann.asObject()) {
    if (!items.isArray()) {
      skip(r, annotationJson, "'" + split + "' is not an array");
      continue;
    }
    for (size_t i = 0; i < items.size(); ++i) {
      const Json& item = items.at(i);
      const std::string where = annotationJson + " [" + split + "][" + std::to_string(i) + "]";
      const Json* report = item.isObject() ? item.find("report") : nullptr;
      const Json* images = item.isObject() ? item.find("image_path") : nullptr;
      if (!report || !report->isString() || !images || !images->isArray() || images->size() == 0 ||
          !images->at(0).isString()) {
        skip(r, where, "missing report or image_path");
        continue;
      }
      const std::string path = (fs::path(imageRoot) / images->at(0).asString()).string();
      const std::string problem = imageProblem(path);
      if (!problem.empty()) {
        skip(r, path, problem);
        continue;
      }
      DatasetRecord rec;
      rec.id = item.value("id", (split + "-" + std::to_string(i)).c_str());
      rec.imagePath = path;
      rec.report = trim(report->asString());
      rec.split = normalizeSplit(split);
      rec.site = site;
      accept(r, std::move(rec));
    }
  }
  return r;
}

LoadResult loadIndianaCsv(const std::string& reportsCsv, const std::string& projectionsCsv, const std::string& imageDir) {
  LoadResult r;
  CsvTable reports, projections;
  try {
    reports = CsvTable::readFile(reportsCsv);
    projections = CsvTable::readFile(projectionsCsv);
  } catch (const std::exception& e) {
    skip(r, "", e.what());
    return r;
  }
  const int uidR = reports.column("uid"), findings = reports.column("findings"), impression = reports.column("impression");
  const int uidP = projections.column("uid"), file = projections.column("filename"), proj = projections.column("projection");
  if (uidR < 0 || (findings < 0 && impression < 0)) {
    skip(r, reportsCsv, "needs columns uid and findings/impression");
    return r;
  }
  if (uidP < 0 || file < 0) {
    skip(r, projectionsCsv, "needs columns uid and filename");
    return r;
  }
  // Frontal image per uid (else the first listed).
  std::map<std::string, std::pair<std::string, bool>> frontal;  // uid -> (file, is frontal)
  for (size_t i = 0; i < projections.rows(); ++i) {
    const std::string uid = trim(projections.cell(i, uidP));
    const bool isFrontal = lower(projections.cell(i, proj)).find("frontal") != std::string::npos;
    auto it = frontal.find(uid);
    if (it == frontal.end() || (isFrontal && !it->second.second)) frontal[uid] = {projections.cell(i, file), isFrontal};
  }
  for (size_t i = 0; i < reports.rows(); ++i) {
    const std::string uid = trim(reports.cell(i, uidR));
    const std::string where = reportsCsv + " line " + std::to_string(reports.line(i));
    const std::string text = joinSections(reports.cell(i, findings), reports.cell(i, impression));
    if (text.empty()) {
      skip(r, where, "empty report (no findings or impression)");
      continue;
    }
    auto it = frontal.find(uid);
    if (it == frontal.end()) {
      skip(r, where, "uid " + uid + " has no image in " + projectionsCsv);
      continue;
    }
    const std::string path = (fs::path(imageDir) / it->second.first).string();
    const std::string problem = imageProblem(path);
    if (!problem.empty()) {
      skip(r, path, problem);
      continue;
    }
    DatasetRecord rec;
    rec.id = uid;
    rec.imagePath = path;
    rec.report = text;
    rec.site = "iu_xray";
    accept(r, std::move(rec));
  }
  return r;
}

LoadResult loadMimicCxrJpg(const std::string& jpgRoot, const std::string& reportsRoot) {
  LoadResult r;
  const std::string splitPath = (fs::path(jpgRoot) / "mimic-cxr-2.0.0-split.csv").string();
  CsvTable split;
  try {
    split = CsvTable::readFile(splitPath);
  } catch (const std::exception& e) {
    skip(r, splitPath, e.what());
    return r;
  }
  const int dId = split.column("dicom_id"), stId = split.column("study_id"), suId = split.column("subject_id"),
            spl = split.column("split");
  if (dId < 0 || stId < 0 || suId < 0 || spl < 0) {
    skip(r, splitPath, "needs columns dicom_id, study_id, subject_id, split");
    return r;
  }
  // Optional tables: view positions and CheXpert labels.
  std::map<std::string, std::string> view;
  const std::string metaPath = (fs::path(jpgRoot) / "mimic-cxr-2.0.0-metadata.csv").string();
  if (fs::exists(metaPath)) {
    try {
      const CsvTable meta = CsvTable::readFile(metaPath);
      const int md = meta.column("dicom_id"), mv = meta.column("ViewPosition");
      for (size_t i = 0; i < meta.rows(); ++i) view[meta.cell(i, md)] = meta.cell(i, mv);
    } catch (const std::exception& e) {
      r.issues.push_back({metaPath, e.what()});
    }
  }
  std::map<std::string, std::pair<ObservationStates, bool>> labels;  // study id -> states
  const std::string chexPath = (fs::path(jpgRoot) / "mimic-cxr-2.0.0-chexpert.csv").string();
  if (fs::exists(chexPath)) {
    try {
      const CsvTable chex = CsvTable::readFile(chexPath);
      const int cs = chex.column("study_id");
      std::vector<int> cols(kNumObservations);
      for (int o = 0; o < kNumObservations; ++o) cols[size_t(o)] = chex.column(observationName(o));
      for (size_t i = 0; i < chex.rows(); ++i) {
        ObservationStates st{};
        bool ok = true;
        for (int o = 0; o < kNumObservations; ++o) ok &= parseStateCell(chex.cell(i, cols[size_t(o)]), st[size_t(o)]);
        if (!ok) {
          r.issues.push_back({chexPath + " line " + std::to_string(chex.line(i)), "unreadable label value; labels ignored"});
          continue;
        }
        labels[chex.cell(i, cs)] = {st, true};
      }
    } catch (const std::exception& e) {
      r.issues.push_back({chexPath, e.what()});
    }
  }
  // Group images by study; prefer PA, then AP, then anything.
  struct Study {
    std::string subject, split, image;
    int rank = 99;
  };
  std::map<std::string, Study> studies;
  std::vector<std::string> order;
  for (size_t i = 0; i < split.rows(); ++i) {
    const std::string st = trim(split.cell(i, stId)), su = trim(split.cell(i, suId)), di = trim(split.cell(i, dId));
    auto v = view.find(di);
    const std::string vp = v == view.end() ? "" : v->second;
    const int rank = vp == "PA" ? 0 : (vp == "AP" ? 1 : (vp.empty() ? 2 : 3));
    if (!studies.count(st)) order.push_back(st);
    Study& s = studies[st];
    if (rank < s.rank) {
      s.rank = rank;
      s.subject = su;
      s.split = normalizeSplit(split.cell(i, spl));
      s.image = di;
    }
  }
  for (const std::string& st : order) {
    const Study& s = studies[st];
    const std::string prefix = "p" + s.subject.substr(0, 2);
    const fs::path studyDir = fs::path("files") / prefix / ("p" + s.subject) / ("s" + st);
    const std::string image = (fs::path(jpgRoot) / studyDir / (s.image + ".jpg")).string();
    const std::string problem = imageProblem(image);
    if (!problem.empty()) {
      skip(r, image, problem);
      continue;
    }
    const std::string reportPath =
        (fs::path(reportsRoot) / "files" / prefix / ("p" + s.subject) / ("s" + st + ".txt")).string();
    bool ok = false;
    const std::string text = trim(readText(reportPath, ok));
    if (!ok || text.empty()) {
      skip(r, reportPath, ok ? "empty report" : "report file not found");
      continue;
    }
    DatasetRecord rec;
    rec.id = "s" + st;
    rec.imagePath = image;
    rec.report = text;
    rec.split = s.split;
    rec.site = "mimic_cxr";
    auto l = labels.find(st);
    if (l != labels.end()) {
      rec.states = l->second.first;
      rec.hasStates = true;
    }
    accept(r, std::move(rec));
  }
  return r;
}

LoadResult loadDicomFolder(const std::string& folder, const std::string& reportsCsv) {
  LoadResult r;
  CsvTable csv;
  try {
    csv = CsvTable::readFile(reportsCsv);
  } catch (const std::exception& e) {
    skip(r, reportsCsv, e.what());
    return r;
  }
  int fileCol = csv.column("file");
  if (fileCol < 0) fileCol = csv.column("path");
  const int reportCol = csv.column("report"), splitCol = csv.column("split"), siteCol = csv.column("site"),
            idCol = csv.column("id");
  if (fileCol < 0 || reportCol < 0) {
    skip(r, reportsCsv, "needs columns file and report");
    return r;
  }
  std::vector<int> obsCols(kNumObservations, -1);
  bool anyLabels = false;
  for (int o = 0; o < kNumObservations; ++o) {
    obsCols[size_t(o)] = csv.column(observationKey(o));
    if (obsCols[size_t(o)] < 0) obsCols[size_t(o)] = csv.column(observationName(o));
    anyLabels |= obsCols[size_t(o)] >= 0;
  }
  std::set<std::string> named;
  for (size_t i = 0; i < csv.rows(); ++i) {
    const std::string where = reportsCsv + " line " + std::to_string(csv.line(i));
    const std::string rel = trim(csv.cell(i, fileCol));
    const std::string path = (fs::path(folder) / rel).lexically_normal().string();
    named.insert(path);
    const std::string text = trim(csv.cell(i, reportCol));
    if (rel.empty() || text.empty()) {
      skip(r, where, rel.empty() ? "empty file name" : "empty report");
      continue;
    }
    DatasetRecord rec;
    if (anyLabels) {
      bool ok = true;
      for (int o = 0; o < kNumObservations; ++o) ok &= parseStateCell(csv.cell(i, obsCols[size_t(o)]), rec.states[size_t(o)]);
      if (!ok) {
        skip(r, where, "unreadable label value (use positive/negative/uncertain/blank or 1/0/-1)");
        continue;
      }
      rec.hasStates = true;
    }
    const std::string problem = imageProblem(path);
    if (!problem.empty()) {
      skip(r, path, problem);
      continue;
    }
    rec.id = idCol >= 0 && !csv.cell(i, idCol).empty() ? csv.cell(i, idCol) : rel;
    rec.imagePath = path;
    rec.report = text;
    rec.split = normalizeSplit(csv.cell(i, splitCol));
    rec.site = siteCol >= 0 ? csv.cell(i, siteCol) : fs::path(folder).filename().string();
    accept(r, std::move(rec));
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file() || lower(it->path().extension().string()) != ".dcm") continue;
    const std::string path = it->path().lexically_normal().string();
    if (!named.count(path)) skip(r, path, "no report in " + reportsCsv);
  }
  if (ec) r.issues.push_back({folder, "cannot list folder: " + ec.message()});
  return r;
}

LoadResult loadSynthDataset(const std::string& root) {
  LoadResult r;
  const std::string manifestPath = (fs::path(root) / "manifest.json").string();
  Json manifest;
  try {
    manifest = Json::parseFile(manifestPath);
    (void)manifest.at("sites").asArray();
  } catch (const std::exception& e) {
    skip(r, manifestPath, e.what());
    return r;
  }
  for (const Json& site : manifest.at("sites").asArray()) {
    const std::string id = site.value("id", "");
    const std::string jsonl = (fs::path(root) / site.value("reports", (id + "/reports.jsonl").c_str())).string();
    std::ifstream in(jsonl);
    if (!in) {
      skip(r, jsonl, "reports file not found");
      continue;
    }
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
      ++lineNo;
      if (trim(line).empty()) continue;
      const std::string where = jsonl + " line " + std::to_string(lineNo);
      try {
        const Json j = Json::parse(line);
        DatasetRecord rec;
        rec.id = j.at("study_uid").asString();
        rec.imagePath = (fs::path(root) / id / j.at("file").asString()).string();
        rec.report = j.at("report").asString();
        rec.split = j.value("split", "");
        rec.site = id;
        const Json& labels = j.at("labels");
        for (int o = 0; o < kNumObservations; ++o)
          if (!parseStateCell(labels.value(observationKey(o), ""), rec.states[size_t(o)]))
            throw std::runtime_error(std::string("bad label for ") + observationKey(o));
        rec.hasStates = true;
        const std::string problem = imageProblem(rec.imagePath);
        if (!problem.empty()) {
          skip(r, rec.imagePath, problem);
          continue;
        }
        accept(r, std::move(rec));
      } catch (const std::exception& e) {
        skip(r, where, e.what());
      }
    }
  }
  return r;
}

}  // namespace fedmrg::engine

// Real-world sanity check of the labeler: agreement of "positive" with the human MeSH tags of the
// IU X-ray (Open-i) development reports in ../shared/reference/iu-xray-dev. Prints a per-observation
// table; asserts macro F1 >= 0.85 over the mapped observations (the direct mapping and the concept mapping). Set FEDMRG_IU_VERBOSE=1 to print the
// disagreements.
#include <QtTest>

#include <cstdio>
#include <fstream>

#include "engine/labeler/labeler.h"
#include "engine/metrics/report_io.h"
#include "reference_data.h"

using namespace fedmrg::engine;

namespace {

// A MeSH term matches when its heading (the part before the first '/') is `heading` and, when
// `qualifier` is set, one of its '/'-separated qualifiers contains it.
struct TagRule {
    const char* heading;
    const char* qualifier;
};

struct TagMap {
    const char* key;
    std::vector<TagRule> rules;
};

// The direct mapping, each observation to the MeSH heading of its name: Cardiomegaly, Pleural Effusion,
// Pneumothorax, Edema, Consolidation, Pneumonia, Atelectasis, Fracture, Opacity -> lung opacity,
// Nodule/Mass -> lung lesion.
const std::vector<TagMap>& directMap() {
    static const std::vector<TagMap> map = {
        {"cardiomegaly", {{"Cardiomegaly", nullptr}}},
        {"pleural_effusion", {{"Pleural Effusion", nullptr}}},
        {"pneumothorax", {{"Pneumothorax", nullptr}}},
        {"edema", {{"Pulmonary Edema", nullptr}, {"Edema", nullptr}}},
        {"consolidation", {{"Consolidation", nullptr}}},
        {"pneumonia", {{"Pneumonia", nullptr}}},
        {"atelectasis", {{"Pulmonary Atelectasis", nullptr}, {"Atelectasis", nullptr}}},
        {"fracture", {{"Fractures, Bone", nullptr}}},
        {"lung_opacity", {{"Opacity", nullptr}}},
        {"lung_lesion", {{"Nodule", nullptr}, {"Mass", nullptr}}},
    };
    return map;
}

// The same, with the MeSH headings that name what CheXpert counts under the observation: an enlarged
// cardiac shadow is cardiomegaly; airspace disease, infiltrate, lung scarring (Cicatrix/lung) and
// interstitial markings are lung opacity in CheXpert's definition (its phrase list has all of them); a
// round density or opacity is a nodule (CheXpert's "nodular density/opacity" are lung lesion mentions).
// The test prints and asserts both.
const std::vector<TagMap>& conceptMap() {
    static const std::vector<TagMap> map = [] {
        std::vector<TagMap> m = directMap();
        m[0].rules.push_back({"Cardiac Shadow", "enlarged"});
        m[9].rules.insert(m[9].rules.end(), {{"Density", "round"}, {"Opacity", "round"}});
        m[8].rules.insert(m[8].rules.end(), {{"Airspace Disease", nullptr}, {"Infiltrate", nullptr},
                                             {"Cicatrix", "lung"}, {"Markings", "interstitial"},
                                             {"Lung Diseases, Interstitial", nullptr}});
        return m;
    }();
    return map;
}

bool tagged(const std::vector<std::vector<std::string>>& terms, const TagMap& map) {
    for (const auto& term : terms)
        for (const TagRule& rule : map.rules) {
            if (term.empty() || term[0] != rule.heading) continue;
            if (!rule.qualifier) return true;
            for (size_t q = 1; q < term.size(); ++q)
                if (term[q].find(rule.qualifier) != std::string::npos) return true;
        }
    return false;
}

// "Opacity/lung/base;Cardiomegaly" -> {{"Opacity","lung","base"},{"Cardiomegaly"}}
std::vector<std::vector<std::string>> meshTerms(const std::string& mesh) {
    std::vector<std::vector<std::string>> out;
    auto trim = [](std::string t) {
        while (!t.empty() && t.front() == ' ') t.erase(t.begin());
        while (!t.empty() && t.back() == ' ') t.pop_back();
        return t;
    };
    size_t pos = 0;
    while (pos <= mesh.size()) {
        size_t semi = mesh.find(';', pos);
        if (semi == std::string::npos) semi = mesh.size();
        std::string term = mesh.substr(pos, semi - pos);
        std::vector<std::string> parts;
        size_t p = 0;
        while (p <= term.size()) {
            size_t slash = term.find('/', p);
            if (slash == std::string::npos) slash = term.size();
            parts.push_back(trim(term.substr(p, slash - p)));
            p = slash + 1;
        }
        out.push_back(parts);
        pos = semi + 1;
    }
    return out;
}

struct Counts {
    std::vector<int> tp, fp, fn, support;
    explicit Counts(size_t n) : tp(n), fp(n), fn(n), support(n) {}
};

double printTable(const char* title, const std::vector<TagMap>& map, const Counts& c) {
    double macro = 0;
    std::printf("\n%s\n%-18s %7s %9s %7s %7s\n", title, "observation", "tagged", "precision", "recall", "F1");
    for (size_t k = 0; k < map.size(); ++k) {
        double p = c.tp[k] + c.fp[k] ? double(c.tp[k]) / (c.tp[k] + c.fp[k]) : 0;
        double r = c.tp[k] + c.fn[k] ? double(c.tp[k]) / (c.tp[k] + c.fn[k]) : 0;
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        macro += f1;
        std::printf("%-18s %7d %9.3f %7.3f %7.3f\n", map[k].key, c.support[k], p, r, f1);
    }
    macro /= map.size();
    std::printf("%-18s %7s %9s %7s %7.3f\n", "macro", "", "", "", macro);
    return macro;
}

}  // namespace

class TestLabelerIuXray : public QObject {
  Q_OBJECT
 private slots:
  void positiveAgreesWithMeshTags() {
    const std::string path = fedmrg::testing::referencePath("iu-xray-dev/indiana_reports_dev.csv");
    if (!std::ifstream(path))
      FEDMRG_REFERENCE_MISSING("iu-xray-dev/indiana_reports_dev.csv", "IU X-ray agreement not measured");
    std::vector<ReadProblem> problems;
    CsvTable table = readCsvFile(path, problems);
    QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().message().c_str());
    auto column = [&](const char* name) {
      for (size_t i = 0; i < table.header.size(); ++i)
        if (table.header[i] == name) return static_cast<int>(i);
      return -1;
    };
    const int mesh = column("MeSH"), findings = column("findings"), impression = column("impression");
    QVERIFY(mesh >= 0 && findings >= 0 && impression >= 0);
    QVERIFY(table.rows.size() > 1000);

    const bool verbose = qEnvironmentVariableIsSet("FEDMRG_IU_VERBOSE");
    const auto& strict = directMap();
    const auto& concept = conceptMap();
    Counts strictCounts(strict.size()), conceptCounts(concept.size());
    ReportLabeler labeler;
    for (const auto& row : table.rows) {
      const std::string text = row[findings] + "\n\n" + row[impression];
      LabelResult r = labeler.label(text);
      const auto terms = meshTerms(row[mesh]);
      for (int pass = 0; pass < 2; ++pass) {
        const auto& map = pass == 0 ? strict : concept;
        Counts& c = pass == 0 ? strictCounts : conceptCounts;
        for (size_t k = 0; k < map.size(); ++k) {
          const int obs = observationIndex(map[k].key);
          const bool tag = tagged(terms, map[k]);
          const bool positive = r.states[obs] == ObservationState::Positive;
          c.support[k] += tag;
          c.tp[k] += tag && positive;
          c.fp[k] += !tag && positive;
          c.fn[k] += tag && !positive;
          if (verbose && pass == 1 && tag != positive) {
            std::string why;
            for (const LabelEvidence& e : r.evidence)
              if (e.observation == obs)
                why += "[" + e.phrase + "=" + stateName(e.state) + (e.cue.empty() ? "" : " by '" + e.cue + "'") + "] ";
            std::string flat = text;
            for (char& ch : flat) ch = ch == '\n' ? ' ' : ch;
            std::printf("%s %s | %s | %s| %s\n", tag ? "FN" : "FP", map[k].key, row[mesh].c_str(), why.c_str(),
                        flat.c_str());
          }
        }
      }
    }
    const double strictMacro = printTable("Positive vs MeSH tags, direct mapping:", strict, strictCounts);
    const double macro = printTable("Positive vs MeSH tags, concept mapping:", concept, conceptCounts);
    std::printf("\n");
    QVERIFY2(strictMacro >= 0.85, qPrintable(QString("direct-mapping macro F1 %1 < 0.85").arg(strictMacro)));
    QVERIFY2(macro >= 0.85, qPrintable(QString("macro F1 %1 < 0.85").arg(macro)));
  }
};

QTEST_APPLESS_MAIN(TestLabelerIuXray)
#include "tst_labeler_iu_xray.moc"

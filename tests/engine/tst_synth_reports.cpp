// Tests of the FL-MRG-Synth report writer: every report states its ground truth (checked with the
// project's CheXpert-style labeler), the sites' styles differ, and the output is deterministic.
#include <QtTest>

#ifdef FEDMRG_HAVE_DCMTK
#include <map>
#include <set>
#include <string>

#include "engine/synth/report_writer.h"
#include "engine/synth/synth_montage.h"
#include "engine/synth/synth_study.h"
#include "engine/labeler/labeler.h"

using namespace fedmrg::engine;

namespace {

struct Sample {
  StudyTruth truth;
  SynthReport report;
  int site;
};

std::vector<Sample> samples(int perSite) {
  std::vector<Sample> out;
  const auto sites = builtinSites();
  for (size_t s = 0; s < sites.size(); ++s)
    for (int k = 0; k < perSite; ++k) {
      const uint64_t seed = studySeed(7, int(s), k);
      Sample x{sampleStudy(sites[s], seed), {}, int(s)};
      x.report = writeSynthReport(x.truth, sites[s].reporting, seed ^ 0x55);
      out.push_back(std::move(x));
    }
  return out;
}

}  // namespace
#endif  // FEDMRG_HAVE_DCMTK

class TestSynthReports : public QObject {
  Q_OBJECT
 private slots:
#ifndef FEDMRG_HAVE_DCMTK
  void skipped() { QSKIP("FL-MRG-Synth (engine/synth) is built only with DCMTK"); }
#else
  void statesFollowTheGroundTruth() {
    // Present findings are positive or uncertain exactly as sampled; absent ones are negative or blank.
    for (const Sample& x : samples(200)) {
      for (int i = 1; i < kNumObservations; ++i) {
        const Finding& f = x.truth.findings[size_t(i)];
        const ObservationState s = x.report.states[size_t(i)];
        if (f.present) {
          QCOMPARE(s, f.uncertain ? ObservationState::Uncertain : ObservationState::Positive);
        } else {
          QVERIFY2(s == ObservationState::Negative || s == ObservationState::Blank, x.report.text.c_str());
        }
      }
      QCOMPARE(x.report.states[0] == ObservationState::Positive, !x.truth.anyPathology());
    }
  }

  void labelerAgreesWithTheStatedLabels() {
    // The project's labeler reads each report; its 14 states must match the generator's on >= 98%
    // of all labels, and on every report for the positive/uncertain findings of devices and effusion.
    ReportLabeler labeler;
    const std::vector<Sample> all = samples(200);
    int agree = 0, total = 0, shown = 0;
    std::map<int, int> wrongBy;
    for (const Sample& x : all) {
      const ObservationStates got = labeler.states(x.report.text);
      for (int i = 0; i < kNumObservations; ++i) {
        ++total;
        if (got[size_t(i)] == x.report.states[size_t(i)]) {
          ++agree;
        } else {
          ++wrongBy[i];
          if (shown++ < 12)
            qInfo("%s: expected %s, labeler %s in: %s", observationKey(i), stateName(x.report.states[size_t(i)]),
                  stateName(got[size_t(i)]), x.report.text.c_str());
        }
      }
    }
    const double rate = double(agree) / total;
    qInfo("labeler agreement %.4f over %d labels of %zu reports", rate, total, all.size());
    for (auto [i, n] : wrongBy) qInfo("  %s: %d disagreements", observationKey(i), n);
    QVERIFY2(rate >= 0.98, qPrintable(QString("agreement %1").arg(rate)));
  }

  void uncertainFindingsAreHedged() {
    const std::vector<std::string> hedges = {"possible", "cannot be excluded", "may represent"};
    int hedged = 0;
    for (const Sample& x : samples(100)) {
      bool anyUncertain = false;
      for (int i = 1; i < kNumObservations; ++i) anyUncertain |= x.truth.findings[size_t(i)].uncertain;
      if (!anyUncertain) continue;
      std::string lower = x.report.text;
      for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
      bool found = false;
      for (const std::string& h : hedges) found |= lower.find(h) != std::string::npos;
      QVERIFY2(found, x.report.text.c_str());
      ++hedged;
    }
    QVERIFY(hedged > 10);
  }

  void sitesWriteInDifferentStyles() {
    // Section layout and negation style identify the site.
    std::map<int, std::set<std::string>> markers;
    for (const Sample& x : samples(40)) {
      const std::string& t = x.report.text;
      if (t.rfind("FINDINGS:", 0) == 0 || t.find("\nFINDINGS: ") != std::string::npos) markers[x.site].insert("FINDINGS:");
      if (t.find("Findings:") != std::string::npos) markers[x.site].insert("Findings:");
      if (t.find("EXAMINATION:") != std::string::npos) markers[x.site].insert("EXAMINATION:");
      if (t.find("view of the chest") != std::string::npos) markers[x.site].insert("narrative");
    }
    QVERIFY(markers[0].count("FINDINGS:") && !markers[0].count("narrative"));
    QVERIFY(markers[1].count("narrative") && !markers[1].count("FINDINGS:"));
    QVERIFY(markers[2].count("EXAMINATION:"));
    QVERIFY(markers[3].count("Findings:") && !markers[3].count("FINDINGS:"));
  }

  void sameSeedSameReport() {
    const auto sites = builtinSites();
    const StudyTruth t = sampleStudy(sites[2], 99);
    QCOMPARE(writeSynthReport(t, sites[2].reporting, 5).text, writeSynthReport(t, sites[2].reporting, 5).text);
    QCOMPARE(sampleStudy(sites[2], 99).patient.ctr, t.patient.ctr);
  }
#endif
};

QTEST_APPLESS_MAIN(TestSynthReports)
#include "tst_synth_reports.moc"

// Agreement of the labeler with FL-MRG-Synth's ground truth: the synthetic report writer states each
// observation's label; the labeler must recover >= 0.98 of the 14 states over every built-in site.
#include <QtTest>

#include <cstdio>

#include "engine/labeler/labeler.h"

#ifdef FEDMRG_HAVE_DCMTK
#include "engine/synth/report_writer.h"
#include "engine/synth/synth_site.h"
#include "engine/synth/synth_study.h"
#endif

using namespace fedmrg::engine;

class TestLabelerSynth : public QObject {
  Q_OBJECT
 private slots:
  void statesMatchTheSyntheticGroundTruth() {
#ifndef FEDMRG_HAVE_DCMTK
    QSKIP("FL-MRG-Synth (engine/synth) is built only with DCMTK");
#else
    ReportLabeler labeler;
    const bool verbose = qEnvironmentVariableIsSet("FEDMRG_SYNTH_VERBOSE");
    long equal = 0, total = 0;
    std::array<long, kNumObservations> wrong{};
    for (const SiteProfile& site : builtinSites()) {
      for (uint64_t seed = 1; seed <= 400; ++seed) {
        const StudyTruth study = sampleStudy(site, seed);
        const SynthReport report = writeSynthReport(study, site.reporting, seed);
        const LabelResult r = labeler.label(report.text);
        for (int k = 0; k < kNumObservations; ++k) {
          ++total;
          if (r.states[k] == report.states[k]) {
            ++equal;
            continue;
          }
          ++wrong[k];
          if (verbose)
            std::printf("%s: want %s got %s | %s\n", observationName(k), stateName(report.states[k]),
                        stateName(r.states[k]), report.text.c_str());
        }
      }
    }
    const double agreement = double(equal) / total;
    std::printf("FL-MRG-Synth: %ld of %ld states equal (%.4f); wrong per observation:", equal, total, agreement);
    for (int k = 0; k < kNumObservations; ++k)
      if (wrong[k]) std::printf(" %s %ld;", observationKey(k), wrong[k]);
    std::printf("\n");
    QVERIFY2(agreement >= 0.98, qPrintable(QString("agreement %1 < 0.98").arg(agreement)));
#endif
  }
};

QTEST_APPLESS_MAIN(TestLabelerSynth)
#include "tst_labeler_synth.moc"

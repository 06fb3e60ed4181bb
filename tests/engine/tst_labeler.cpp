// Tests of the CheXpert-style report labeler: the 4 golden reports of the CheXpert labeler exactly,
// and the trigger/scope/aggregation rules on sentences written for this test.
#include <QtTest>

#include <fstream>

#include "engine/labeler/labeler.h"
#include "engine/labeler/observations.h"
#include "engine/metrics/report_io.h"
#include "reference_data.h"

using namespace fedmrg::engine;

namespace {

ObservationState stateFromCsv(const std::string& v) {
  if (v.empty()) return ObservationState::Blank;
  double x = std::stod(v);
  if (x == 1.0) return ObservationState::Positive;
  if (x == 0.0) return ObservationState::Negative;
  return ObservationState::Uncertain;
}

ObservationState stateOf(const ReportLabeler& l, const char* text, const char* observation) {
  return l.label(text).states[observationIndex(observation)];
}

}  // namespace

class TestLabeler : public QObject {
  Q_OBJECT
 private slots:
  void observationTable() {
    QCOMPARE(kNumObservations, 14);
    QCOMPARE(std::string(observationName(0)), std::string("No Finding"));
    QCOMPARE(std::string(observationName(13)), std::string("Support Devices"));
    QCOMPARE(std::string(observationKey(1)), std::string("enlarged_cardiomediastinum"));
    QCOMPARE(observationIndex("Pleural Effusion"), 10);
    QCOMPARE(observationIndex("pleural_effusion"), 10);
    QCOMPARE(observationIndex("LUNG OPACITY"), 4);
    QCOMPARE(observationIndex("pleural"), -1);
    QVERIFY(observationName(14) == nullptr && observationKey(-1) == nullptr);
    QCOMPARE(std::string(stateName(ObservationState::Uncertain)), std::string("uncertain"));
    for (int i = 0; i < kNumObservations; ++i) {
      QCOMPARE(observationIndex(observationName(i)), i);
      QCOMPARE(observationIndex(observationKey(i)), i);
    }
  }

  void goldenReportsMatchTheReferenceLabeler() {
    const std::string dir = fedmrg::testing::referencePath("chexpert-labeler/");
    if (!std::ifstream(dir + "labeled_reports.csv"))
      FEDMRG_REFERENCE_MISSING("chexpert-labeler/labeled_reports.csv", "the golden reports not checked");
    std::vector<ReadProblem> problems;
    CsvTable labeled = readCsvFile(dir + "labeled_reports.csv", problems);
    QVERIFY(problems.empty());
    QCOMPARE(labeled.header.size(), size_t(1 + kNumObservations));
    for (int i = 0; i < kNumObservations; ++i) QCOMPARE(labeled.header[1 + i], std::string(observationName(i)));
    QCOMPARE(labeled.rows.size(), size_t(4));
    ReportLabeler labeler;
    for (const auto& row : labeled.rows) {
      const LabelResult r = labeler.label(row[0]);
      for (int i = 0; i < kNumObservations; ++i)
        QVERIFY2(r.states[i] == stateFromCsv(row[1 + i]),
                 qPrintable(QString("%1 | %2: got %3, want '%4'").arg(row[0].c_str()).arg(observationName(i))
                                .arg(stateName(r.states[i])).arg(row[1 + i].c_str())));
    }
    // The same reports as the sample file gives them (one column, quoted multi-line cells).
    CsvTable sample = readCsvFile(dir + "sample_reports.csv", problems);
    QVERIFY(problems.empty());
    QCOMPARE(sample.rows.size() + 1, size_t(4));  // the file has no header: its first report is read as one
    QCOMPARE(sample.header[0], labeled.rows[0][0]);
    QCOMPARE(sample.rows[0][0], labeled.rows[1][0]);
  }

  void negationScopeAndTerminators() {
    ReportLabeler l;
    QCOMPARE(stateOf(l, "No pneumothorax, pleural effusion, or focal consolidation.", "consolidation"),
             ObservationState::Negative);
    QCOMPARE(stateOf(l, "No pneumothorax, pleural effusion, or focal consolidation.", "pneumothorax"),
             ObservationState::Negative);
    QCOMPARE(stateOf(l, "No pneumothorax but there is a small pleural effusion.", "pleural_effusion"),
             ObservationState::Positive);
    QCOMPARE(stateOf(l, "No acute fracture. Small left effusion.", "pleural_effusion"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "Cardiomegaly without pulmonary edema.", "edema"), ObservationState::Negative);
    QCOMPARE(stateOf(l, "Cardiomegaly without pulmonary edema.", "cardiomegaly"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "The heart is not enlarged.", "cardiomegaly"), ObservationState::Negative);
    QCOMPARE(stateOf(l, "Heart size is within normal limits.", "cardiomegaly"), ObservationState::Negative);
    QCOMPARE(stateOf(l, "The heart is enlarged.", "cardiomegaly"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "The heart and lungs have been examined.", "cardiomegaly"), ObservationState::Blank);
    QCOMPARE(stateOf(l, "Mild cardiomegaly with normal pulmonary vascularity.", "cardiomegaly"),
             ObservationState::Positive);
  }

  void uncertaintyAndItsPrecedence() {
    ReportLabeler l;
    QCOMPARE(stateOf(l, "Findings may represent early pneumonia.", "pneumonia"), ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "Pneumonia cannot be excluded.", "pneumonia"), ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "Cannot exclude a small effusion.", "pleural_effusion"), ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "No new consolidation.", "consolidation"), ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "Mild pulmonary vascular congestion.", "edema"), ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "No pulmonary vascular congestion.", "edema"), ObservationState::Negative);
    QCOMPARE(stateOf(l, "Stable cardiomediastinal silhouette.", "enlarged_cardiomediastinum"),
             ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "Stable mild cardiomegaly.", "cardiomegaly"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "Is there pneumonia?", "pneumonia"), ObservationState::Uncertain);
    // CheXpert: heart failure also makes Cardiomegaly uncertain.
    QCOMPARE(stateOf(l, "Congestive heart failure.", "cardiomegaly"), ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "Congestive heart failure.", "edema"), ObservationState::Positive);
  }

  void aggregationPositiveBeatsUncertainBeatsNegative() {
    ReportLabeler l;
    QCOMPARE(stateOf(l, "No right effusion. Small left effusion.", "pleural_effusion"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "No right effusion. Possible left effusion.", "pleural_effusion"),
             ObservationState::Uncertain);
    QCOMPARE(stateOf(l, "No effusion. No effusion.", "pleural_effusion"), ObservationState::Negative);
  }

  void noFindingAndSupportDevices() {
    ReportLabeler l;
    QCOMPARE(stateOf(l, "Lungs are clear. No effusion.", "no_finding"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "", "no_finding"), ObservationState::Positive);  // CheXpert: nothing found
    QCOMPARE(stateOf(l, "Right PICC line in place. Lungs clear.", "no_finding"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "Right PICC line in place. Lungs clear.", "support_devices"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "Mild thoracic scoliosis.", "no_finding"), ObservationState::Blank);
    QCOMPARE(stateOf(l, "Possible small effusion.", "no_finding"), ObservationState::Blank);
    QCOMPARE(stateOf(l, "Pericardial effusion.", "pleural_effusion"), ObservationState::Blank);
  }

  // Rules found on the IU X-ray dev half (the sentences are the project's own), as a data table.
  void hedgedCauseAndLungLesionWording_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("observation");
    QTest::addColumn<int>("expected");
    constexpr int P = int(ObservationState::Positive), U = int(ObservationState::Uncertain),
                  B = int(ObservationState::Blank);
    struct Row {
      const char* name;
      const char* text;
      const char* observation;
      int expected;
    };
    const Row rows[] = {
        // A hedge before a cause hedges the cause, not the finding it explains.
        {"due to: finding", "Patchy basal opacity, possibly due to atelectasis.", "lung_opacity", P},
        {"due to: cause", "Patchy basal opacity, possibly due to atelectasis.", "atelectasis", U},
        {"compatible with", "Left base opacities may be compatible with scarring.", "lung_opacity", P},
        {"comma possibly: finding", "Bibasilar airspace disease, possibly atelectasis.", "lung_opacity", P},
        {"comma possibly: cause", "Bibasilar airspace disease, possibly atelectasis.", "atelectasis", U},
        // Hedges still hedge what they govern.
        {"may be", "Opacity may be atelectasis.", "lung_opacity", U},
        {"there is suspected", "There is suspected lingular opacity.", "lung_opacity", U},
        {"suggestion of", "Faint suggestion of basal consolidation.", "consolidation", U},
        // Round densities and nodular prominence name a nodule; a pericardial mass is not a lung one.
        {"rounded density", "A 9 mm rounded density projects over the right midlung.", "lung_lesion", P},
        {"nodular prominence", "Nodular prominence of the left hilum.", "lung_lesion", P},
        {"pericardial mass", "Appearance favors a pericardial mass.", "lung_lesion", B},
        // An opaque lobe is an opacity; a radio-opaque marker and pleural scarring are not.
        {"opaque lobe", "The left lower lobe is opaque.", "lung_opacity", P},
        {"radio-opaque", "Radio-opaque skin marker.", "lung_opacity", B},
        {"pleural-peripheral scar", "Apical pleural-peripheral scarring.", "lung_opacity", B},
        // Not in CheXpert's opacity list; it still blanks No Finding ("prominen*").
        {"interstitial prominence", "Mild interstitial prominence.", "lung_opacity", B},
    };
    for (const Row& r : rows) QTest::newRow(r.name) << QString(r.text) << QString(r.observation) << r.expected;
  }
  void hedgedCauseAndLungLesionWording() {
    QFETCH(QString, text);
    QFETCH(QString, observation);
    QFETCH(int, expected);
    ReportLabeler l;
    const QByteArray t = text.toUtf8(), o = observation.toUtf8();
    QCOMPARE(stateName(stateOf(l, t.constData(), o.constData())), stateName(ObservationState(expected)));
  }

  void evidenceSpansPointIntoTheText() {
    ReportLabeler l;
    const std::string text = "Heart size normal.\n\nSmall LEFT pleural effusion, no pneumothorax.";
    LabelResult r = l.label(text);
    QVERIFY(r.evidence.size() >= 3);
    bool sawEffusion = false;
    for (const LabelEvidence& e : r.evidence) {
      QCOMPARE(text.substr(e.begin, e.end - e.begin), e.phrase);
      if (e.observation == observationIndex("pleural_effusion")) {
        sawEffusion = true;
        QCOMPARE(e.state, ObservationState::Positive);
        QVERIFY(e.phrase == "effusion" || e.phrase == "pleural effusion");
      }
      if (e.observation == observationIndex("pneumothorax")) QCOMPARE(e.cue, std::string("no"));
    }
    QVERIFY(sawEffusion);
  }

  void oddInputDoesNotCrash() {
    ReportLabeler l;
    const char* odd[] = {"....", "no", "?", "\n\n\n", "effusion", "2.5 cm nodule.", "\xC3\xA9panchement pleural",
                         "NO EFFUSION;PNEUMOTHORAX"};
    for (const char* t : odd) (void)l.label(t);
    QCOMPARE(stateOf(l, "2.5 cm nodule.", "lung_lesion"), ObservationState::Positive);
    QCOMPARE(stateOf(l, "NO EFFUSION;PNEUMOTHORAX", "pneumothorax"), ObservationState::Positive);
  }
};

QTEST_APPLESS_MAIN(TestLabeler)
#include "tst_labeler.moc"

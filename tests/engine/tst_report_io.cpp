// Tests of the report readers (JSONL, CSV) on bad input, and of evaluateReports' pairing by id.
#include <QtTest>

#include <QTemporaryDir>
#include <fstream>

#include "engine/metrics/report_evaluation.h"
#include "engine/metrics/report_io.h"

using namespace fedmrg::engine;

namespace {

std::string writeFile(const QTemporaryDir& dir, const char* name, const std::string& text) {
  const std::string path = dir.filePath(name).toStdString();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

bool anyProblem(const std::vector<ReadProblem>& ps, int line, const char* needle) {
  for (const auto& p : ps)
    if (p.line == line && p.message().find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

class TestReportIo : public QObject {
  Q_OBJECT
 private slots:
  void jsonlBadLinesAreReportedAndSkipped() {
    QTemporaryDir dir;
    const std::string path = writeFile(dir, "p.jsonl",
                                       "{\"id\": \"a\", \"report\": \"No effusion.\"}\n"
                                       "{\"id\": \"b\", \"report\": \n"
                                       "\n"
                                       "{\"report\": \"no id here\"}\n"
                                       "{\"id\": 7, \"text\": \"Cardiomegaly.\"}\n"
                                       "{\"id\": \"e\", \"report\": \"\"}\n"
                                       "{\"id\": \"a\", \"report\": \"again\"}\n"
                                       "[1, 2]\n"
                                       "{\"id\": \"f\", \"report\": 3}\n");
    std::vector<ReadProblem> problems;
    auto reports = readReportJsonl(path, problems);
    QCOMPARE(reports.size(), size_t(3));
    QCOMPARE(reports[0].id, std::string("a"));
    QCOMPARE(reports[1].id, std::string("7"));
    QCOMPARE(reports[1].report, std::string("Cardiomegaly."));
    QCOMPARE(reports[1].line, 5);
    QCOMPARE(reports[2].report, std::string(""));  // empty report kept: it is scored
    QCOMPARE(problems.size(), size_t(5));
    QVERIFY(anyProblem(problems, 2, "malformed JSON"));
    QVERIFY(anyProblem(problems, 4, "missing \"id\""));
    QVERIFY(anyProblem(problems, 7, "duplicate id 'a'"));
    QVERIFY(anyProblem(problems, 8, "malformed JSON"));
    QVERIFY(anyProblem(problems, 9, "missing \"report\""));
    QVERIFY(problems[0].message().rfind(path + ":2: ", 0) == 0);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, readReportJsonl(dir.filePath("missing.jsonl").toStdString(), problems));
  }

  void csvQuotesCommasAndNewlines() {
    std::vector<ReadProblem> problems;
    CsvTable t = parseCsv("id,report\r\n1,\"Heart normal, lungs clear.\"\r\n2,\"Line one.\n\nLine \"\"two\"\".\"\n3,plain\n",
                          "x.csv", problems);
    QVERIFY(problems.empty());
    QCOMPARE(t.header, (std::vector<std::string>{"id", "report"}));
    QCOMPARE(t.rows.size(), size_t(3));
    QCOMPARE(t.rows[0][1], std::string("Heart normal, lungs clear."));
    QCOMPARE(t.rows[1][1], std::string("Line one.\n\nLine \"two\"."));
    QCOMPARE(t.rowLines[2], 6);
    QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
    QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
    QCOMPARE(csvField("plain"), std::string("plain"));
  }

  void csvUnterminatedQuoteAndRaggedRows() {
    std::vector<ReadProblem> problems;
    CsvTable t = parseCsv("id,report\n1,ok\n2,a,extra\n3\n4,\"never closed\n5,lost\n", "bad.csv", problems);
    QCOMPARE(t.rows.size(), size_t(3));  // rows 1..3; the unterminated one and what follows are dropped
    QCOMPARE(t.rows[1].size(), size_t(2));
    QCOMPARE(t.rows[2][1], std::string(""));
    QCOMPARE(problems.size(), size_t(3));
    QVERIFY(anyProblem(problems, 3, "expected 2 fields, found 3"));
    QVERIFY(anyProblem(problems, 4, "expected 2 fields, found 1"));
    QVERIFY(anyProblem(problems, 5, "unterminated quoted field"));
  }

  void evaluationPairsByIdAndListsTheRest() {
    std::vector<IdReport> pred = {{"a", "The heart is enlarged. No effusion.", 1},
                                  {"b", "", 2},
                                  {"only-pred", "x", 3}};
    std::vector<IdReport> ref = {{"b", "Small left pleural effusion.", 1},
                                 {"a", "Cardiomegaly. No pleural effusion.", 2},
                                 {"only-ref", "y", 3}};
    EvaluationResult r = evaluateReports(pred, ref);
    QCOMPARE(r.pairs, size_t(2));
    QCOMPARE(r.onlyInPredictions, std::vector<std::string>{"only-pred"});
    QCOMPARE(r.onlyInReferences, std::vector<std::string>{"only-ref"});
    QCOMPARE(r.emptyPredictions, size_t(1));
    QVERIFY(r.bleu[0] > 0 && r.bleu[0] < 1);
    QVERIFY(r.meteor > 0 && r.meteor < 1);
    QVERIFY(r.clinicalComputed);
    // a: cardiomegaly positive on both sides; b: the reference's effusion is missed.
    QCOMPARE(r.clinical.perObservation[observationIndex("cardiomegaly")].tp, 1);
    QCOMPARE(r.clinical.perObservation[observationIndex("pleural_effusion")].fn, 1);
    Json j = r.toJson();
    QCOMPARE(j.at("pairs").asInt(), int64_t(2));
    QCOMPARE(j.at("only_in_references").at(0).asString(), std::string("only-ref"));
    QVERIFY(j.at("clinical").at("per_observation").find("cardiomegaly") != nullptr);
    QVERIFY(QString::fromStdString(r.toText()).contains("CIDEr-D"));
    EvaluationResult none = evaluateReports({}, ref);
    QCOMPARE(none.pairs, size_t(0));
    QCOMPARE(none.onlyInReferences.size(), size_t(3));
  }
};

QTEST_APPLESS_MAIN(TestReportIo)
#include "tst_report_io.moc"

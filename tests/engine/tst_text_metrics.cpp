// Tests of the caption metrics (BLEU, ROUGE-L, CIDEr-D) and the report normalizer: the nlg-eval test
// vectors (pycocoevalcap's own figures) must be reproduced to 1e-5.
#include <QtTest>

#include <fstream>

#include "engine/core/json.h"
#include "engine/metrics/text_metrics.h"
#include "engine/metrics/text_normalizer.h"

using namespace fedmrg::engine;

namespace {

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

TokenCorpus single(const char* hyp, std::initializer_list<const char*> refs) {
    TokenCorpus c;
    c.hyps.push_back(splitWhitespace(hyp));
    c.refs.emplace_back();
    for (const char* r : refs) c.refs.back().push_back(splitWhitespace(r));
    return c;
}

}  // namespace

class TestTextMetrics : public QObject {
  Q_OBJECT
 private slots:
  void nlgEvalVectors() {
    const std::string dir = std::string(FEDMRG_SHARED_REFERENCE) + "/nlg-eval/";
    std::ifstream probe(dir + "expected_scores.json");
    if (!probe) QSKIP("../shared/reference/nlg-eval is not present: nlg-eval vectors not checked");
    Json expected = Json::parseFile(dir + "expected_scores.json");
    int cases = 0;
    for (const auto& [name, c] : expected.asObject()) {
      if (!c.isObject()) continue;
      TokenCorpus corpus;
      if (const Json* hypFile = c.find("hyp_file")) {
        std::vector<std::string> hyps = readLines(dir + hypFile->asString());
        std::vector<std::vector<std::string>> refFiles;
        for (const Json& f : c.at("ref_files").asArray()) refFiles.push_back(readLines(dir + f.asString()));
        for (size_t i = 0; i < hyps.size(); ++i) {
          corpus.hyps.push_back(splitWhitespace(hyps[i]));
          corpus.refs.emplace_back();
          for (const auto& rf : refFiles) corpus.refs.back().push_back(splitWhitespace(rf.at(i)));
        }
      } else {
        corpus.hyps.push_back(splitWhitespace(c.at("hyp").asString()));
        corpus.refs.emplace_back();
        for (const Json& r : c.at("refs").asArray()) corpus.refs.back().push_back(splitWhitespace(r.asString()));
      }
      ++cases;
      BleuScores bleu = corpusBleu(corpus);
      for (int n = 0; n < 4; ++n) {
        const Json* want = c.find("Bleu_" + std::to_string(n + 1));
        if (!want) continue;
        QVERIFY2(std::abs(bleu.bleu[n] - want->asNumber()) < 1e-5,
                 qPrintable(QString("%1 Bleu_%2: got %3, want %4").arg(name.c_str()).arg(n + 1)
                                .arg(bleu.bleu[n], 0, 'g', 10).arg(want->asNumber(), 0, 'g', 10)));
      }
      double rouge = corpusRougeL(corpus);
      QVERIFY2(std::abs(rouge - c.at("ROUGE_L").asNumber()) < 1e-5,
               qPrintable(QString("%1 ROUGE_L: got %2").arg(name.c_str()).arg(rouge, 0, 'g', 10)));
      double cider = corpusCiderD(corpus);
      QVERIFY2(std::abs(cider - c.at("CIDEr").asNumber()) < 1e-5,
               qPrintable(QString("%1 CIDEr: got %2").arg(name.c_str()).arg(cider, 0, 'g', 10)));
    }
    QCOMPARE(cases, 4);
  }

  void bleuPerfectMatchIsOneAndBrevityPenalises() {
    TokenCorpus same = single("the heart is normal in size", {"the heart is normal in size"});
    QVERIFY(std::abs(corpusBleu(same).bleu[3] - 1.0) < 1e-6);
    TokenCorpus shorter = single("the heart is normal", {"the heart is normal in size"});
    BleuScores s = corpusBleu(shorter);
    QVERIFY(std::abs(s.bleu[0] - std::exp(1 - 6.0 / 4.0)) < 1e-6);
  }

  void emptyHypothesisScoresZeroWithoutCrashing() {
    TokenCorpus c = single("", {"no acute disease"});
    QCOMPARE(corpusRougeL(c), 0.0);
    QVERIFY(corpusBleu(c).bleu[0] < 1e-6);
    QCOMPARE(corpusCiderD(c), 0.0);
  }

  void ciderRewardsTheMatchingItemMost() {
    TokenCorpus c;
    const char* reports[] = {"the heart is enlarged", "no pleural effusion", "small left pneumothorax"};
    for (const char* r : reports) {
      c.hyps.push_back(splitWhitespace(r));
      c.refs.push_back({splitWhitespace(r)});
    }
    c.hyps[2] = splitWhitespace("no pleural effusion");
    std::vector<double> per;
    corpusCiderD(c, &per);
    QVERIFY(per[0] > 1.0);
    QVERIFY(per[2] < 0.5);
  }

  void missingReferenceIsRejected() {
    TokenCorpus c;
    c.hyps.push_back(splitWhitespace("a b"));
    c.refs.emplace_back();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, corpusBleu(c));
  }

  void r2genCleaning() {
    QCOMPARE(r2genClean("1. Heart size is normal. 2. No pleural effusion, or pneumothorax."),
             std::string("heart size is normal . no pleural effusion or pneumothorax ."));
    QCOMPARE(r2genClean("The lungs are clear.. T11 x-ray (stable)."), std::string("the lungs are clear . t11 x-ray stable ."));
    QCOMPARE(r2genClean(""), std::string("."));
    QCOMPARE(tokenize("Heart: normal.", TokenizeMode::R2Gen), (std::vector<std::string>{"heart", "normal", "."}));
    QCOMPARE(tokenize("No effusion; the heart's size, normal.", TokenizeMode::Ptb),
             (std::vector<std::string>{"no", "effusion", "the", "heart", "s", "size", "normal"}));
    QCOMPARE(tokenizeModeFromName("whitespace"), TokenizeMode::Whitespace);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tokenizeModeFromName("bpe"));
  }
};

QTEST_APPLESS_MAIN(TestTextMetrics)
#include "tst_text_metrics.moc"

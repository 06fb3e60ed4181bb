// Tests of the caption metrics (BLEU, ROUGE-L, CIDEr-D) and the report normalizer: the nlg-eval test
// vectors (pycocoevalcap's own figures) must be reproduced to 1e-5.
#include <QtTest>

#include "nlg_eval_cases.h"
#include "reference_data.h"

#include "engine/core/json.h"
#include "engine/metrics/text_metrics.h"
#include "engine/metrics/text_normalizer.h"

using namespace fedmrg::engine;

namespace {

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
    const auto cases = loadNlgEvalCases(fedmrg::testing::referencePath("nlg-eval"));
    if (cases.empty()) FEDMRG_REFERENCE_MISSING("nlg-eval", "BLEU, ROUGE-L and CIDEr-D not checked against nlg-eval");
    for (const NlgEvalCase& c : cases) {
      const char* name = c.name.c_str();
      BleuScores bleu = corpusBleu(c.corpus);
      for (int n = 0; n < 4; ++n) {
        const Json* want = c.expected.find("Bleu_" + std::to_string(n + 1));
        if (!want) continue;
        QVERIFY2(std::abs(bleu.bleu[n] - want->asNumber()) < 1e-5,
                 qPrintable(QString("%1 Bleu_%2: got %3, want %4").arg(name).arg(n + 1)
                                .arg(bleu.bleu[n], 0, 'g', 10).arg(want->asNumber(), 0, 'g', 10)));
      }
      double rouge = corpusRougeL(c.corpus);
      QVERIFY2(std::abs(rouge - c.expected.at("ROUGE_L").asNumber()) < 1e-5,
               qPrintable(QString("%1 ROUGE_L: got %2").arg(name).arg(rouge, 0, 'g', 10)));
      double cider = corpusCiderD(c.corpus);
      QVERIFY2(std::abs(cider - c.expected.at("CIDEr").asNumber()) < 1e-5,
               qPrintable(QString("%1 CIDEr: got %2").arg(name).arg(cider, 0, 'g', 10)));
    }
    QCOMPARE(cases.size(), size_t(4));
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

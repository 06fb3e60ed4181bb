// Tests of engine::BpeTokenizer: training, exact round trip, special tokens, its JSON file.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>

#include "engine/core/json.h"
#include "engine/text/bpe_tokenizer.h"

using fedmrg::engine::BpeTokenizer;
using fedmrg::engine::BpeTrainOptions;
using fedmrg::engine::Json;
using fedmrg::engine::TokenizerError;

namespace {

std::vector<std::string> reportCorpus() {
  const std::vector<std::string> findings = {
      "No acute cardiopulmonary process.",
      "The heart size is normal. The lungs are clear.",
      "Small left pleural effusion. No pneumothorax.",
      "Mild cardiomegaly with pulmonary vascular congestion.",
      "There is a right lower lobe opacity concerning for pneumonia.",
      "Pneumothorax measuring 2 cm at the right apex.",
      "The lungs are clear without focal consolidation, effusion or pneumothorax.",
  };
  std::vector<std::string> corpus;
  for (int r = 0; r < 20; ++r)
    for (size_t i = 0; i < findings.size(); ++i) corpus.push_back(findings[(i + size_t(r)) % findings.size()]);
  return corpus;
}

BpeTokenizer trained(int vocab = 400) {
  BpeTrainOptions opt;
  opt.vocabSize = vocab;
  opt.minFrequency = 2;
  opt.specialTokens = {"<sep>", "<img>"};
  return BpeTokenizer::train(reportCorpus(), opt);
}

// The textbook encoder: repeatedly replace every occurrence of the lowest-ranked pair present.
std::vector<int> naiveEncodePiece(const BpeTokenizer& tok, const std::string& piece) {
  const Json merges = tok.toJson().at("merges");
  std::vector<int> sym;
  for (unsigned char c : piece) sym.push_back(tok.numSpecial() + c);
  for (;;) {
    size_t best = merges.size();
    for (size_t i = 0; i + 1 < sym.size(); ++i)
      for (size_t k = 0; k < best; ++k)
        if (merges.at(k).at(size_t(0)).asInt() == sym[i] && merges.at(k).at(size_t(1)).asInt() == sym[i + 1]) {
          best = k;
          break;
        }
    if (best == merges.size()) return sym;
    const int a = int(merges.at(best).at(size_t(0)).asInt()), b = int(merges.at(best).at(size_t(1)).asInt());
    std::vector<int> out;
    for (size_t i = 0; i < sym.size(); ++i) {
      if (i + 1 < sym.size() && sym[i] == a && sym[i + 1] == b) {
        out.push_back(tok.numSpecial() + 256 + int(best));
        ++i;
      } else {
        out.push_back(sym[i]);
      }
    }
    sym = out;
  }
}

void writeText(const QString& path, const std::string& text) {
  std::ofstream out(path.toStdString(), std::ios::binary);
  out << text;
}

}  // namespace

class TestBpeTokenizer : public QObject {
  Q_OBJECT
 private slots:
  void pretokenizerAttachesSpaceToFollowingWord() {
    const auto pieces = BpeTokenizer::pretokenize("The lungs,  clear 12cm.\nok");
    const std::vector<std::string_view> expected = {"The", " lungs", ",", " ", " clear", " 12", "cm", ".", "\n", "ok"};
    QCOMPARE(pieces.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) QCOMPARE(pieces[i], expected[i]);
  }

  void trainingLearnsMergesAndCompresses() {
    const BpeTokenizer tok = trained();
    QVERIFY(tok.numMerges() > 50);
    QCOMPARE(tok.vocabSize(), tok.numSpecial() + 256 + tok.numMerges());
    QVERIFY(tok.vocabSize() <= 400);
    const std::string text = "The lungs are clear.";
    const auto ids = tok.encode(text);
    QVERIFY2(ids.size() <= 6, "frequent words should be single tokens");
    QCOMPARE(tok.decode(ids), text);
  }

  void roundTripNonAscii() {
    const BpeTokenizer tok = trained();
    const std::string text = "Pneumothorax \xE2\x89\xA4 2 cm, caf\xC3\xA9, \xE8\x82\xBA, emoji \xF0\x9F\x98\x80\t\n  end  ";
    QCOMPARE(tok.decode(tok.encode(text)), text);
    QCOMPARE(tok.decode(tok.encode(text, true)), text);
  }

  void roundTripArbitraryBytes() {
    const BpeTokenizer tok = trained();
    std::mt19937 rng(7);
    for (int trial = 0; trial < 200; ++trial) {
      std::string bytes(size_t(rng() % 64), '\0');
      for (char& c : bytes) c = char(rng() % 256);
      QCOMPARE(tok.decode(tok.encode(bytes)), bytes);
    }
  }

  void encoderEqualsTextbookMerging() {
    const BpeTokenizer tok = trained(330);
    std::mt19937 rng(3);
    const std::string letters = "aeioulnrstcmpfhy";
    std::vector<std::string> words = {"pneumothorax", "effusion", "cardiomegaly", "aaaaaaa", "lunglunglung"};
    for (int w = 0; w < 100; ++w) {
      std::string s(size_t(1 + rng() % 20), 'a');
      for (char& c : s) c = letters[rng() % letters.size()];
      words.push_back(s);
    }
    std::string longPiece;
    for (int i = 0; i < 40; ++i) longPiece += "pneumothoraxeffusion";
    words.push_back(longPiece);  // 800 letters: one piece, not cached
    for (const std::string& w : words) QCOMPARE(tok.encode(w), naiveEncodePiece(tok, w));
  }

  void specialTokens() {
    const BpeTokenizer tok = trained();
    QCOMPARE(tok.padId(), 0);
    QCOMPARE(tok.bosId(), 1);
    QCOMPARE(tok.eosId(), 2);
    const int sep = tok.tokenId("<sep>");
    QCOMPARE(sep, 3);
    QCOMPARE(tok.tokenId("<img>"), 4);
    QCOMPARE(tok.tokenId("<nope>"), -1);
    const auto ids = tok.encode("clear<sep>effusion<eos>", true);
    QCOMPARE(std::count(ids.begin(), ids.end(), sep), 1L);
    QCOMPARE(ids.back(), tok.eosId());
    QCOMPARE(tok.decode(ids), std::string("clear<sep>effusion<eos>"));
    QCOMPARE(tok.decode(ids, true), std::string("cleareffusion"));
    // Without parsing, the same text is plain bytes and never yields a special id.
    for (int id : tok.encode("clear<sep>effusion<eos>")) QVERIFY(!tok.isSpecial(id));
    QVERIFY_THROWS_EXCEPTION(TokenizerError, tok.decode({tok.vocabSize()}));
  }

  void trainingIsReproducible() {
    const BpeTokenizer a = trained();
    const BpeTokenizer b = trained();
    QCOMPARE(a.toJson().dump(), b.toJson().dump());
    const BpeTokenizer small = trained(300);
    QCOMPARE(small.vocabSize(), 300);
    // A smaller vocabulary is a prefix of the larger one's merges.
    for (int id = 0; id < small.vocabSize(); ++id) QCOMPARE(small.tokenBytes(id), a.tokenBytes(id));
  }

  void saveAndLoad() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const BpeTokenizer tok = trained();
    const std::string path = dir.filePath("bpe-vocab.json").toStdString();
    tok.save(path);
    const BpeTokenizer back = BpeTokenizer::load(path);
    QCOMPARE(back.vocabSize(), tok.vocabSize());
    const std::string text = "Small right pleural effusion, caf\xC3\xA9.";
    QCOMPARE(back.encode(text), tok.encode(text));
  }

  void malformedFileGivesClearError_data() {
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << "{\"format\": " << "bpe-vocab.json";
    QTest::newRow("wrong format") << "{\"format\":\"x\",\"version\":1,\"special_tokens\":[],\"merges\":[]}"
                                  << "format";
    QTest::newRow("future version") << "{\"format\":\"fedmrg-bpe\",\"version\":9,\"special_tokens\":[],\"merges\":[]}"
                                    << "unsupported version 9";
    QTest::newRow("merge forward ref")
        << "{\"format\":\"fedmrg-bpe\",\"version\":1,\"special_tokens\":[\"<pad>\"],\"merges\":[[1,300]]}"
        << "merges[0] refers to id 300";
    QTest::newRow("merge not pair")
        << "{\"format\":\"fedmrg-bpe\",\"version\":1,\"special_tokens\":[],\"merges\":[[1]]}" << "merges[0]";
    QTest::newRow("special not string")
        << "{\"format\":\"fedmrg-bpe\",\"version\":1,\"special_tokens\":[3],\"merges\":[]}" << "special_tokens[0]";
  }
  void malformedFileGivesClearError() {
    QFETCH(QString, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath("bpe-vocab.json");
    writeText(path, content.toStdString());
    try {
      BpeTokenizer::load(path.toStdString());
      QFAIL("no error");
    } catch (const TokenizerError& e) {
      const QString what = QString::fromUtf8(e.what());
      QVERIFY2(what.contains(expected), qPrintable(what));
      QVERIFY2(what.contains("bpe-vocab.json"), qPrintable(what));
    }
  }
};

QTEST_APPLESS_MAIN(TestBpeTokenizer)
#include "tst_bpe_tokenizer.moc"

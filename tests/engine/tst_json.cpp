// Tests of engine::Json: the parser every config, manifest and JSONL reader goes through.
#include <QtTest>

#include "engine/core/json.h"

using fedmrg::engine::Json;
using fedmrg::engine::JsonError;

class TestJson : public QObject {
  Q_OBJECT
 private slots:
  void roundTripKeepsOrderAndValues() {
    // moc mis-reads \" inside raw strings, so these literals use ordinary escapes.
    const std::string text = "{\"b\":1,\"a\":[true,false,null,-2.5,\"x\\n\\\"y\\\"\"],\"c\":{\"d\":1e3}}";
    Json j = Json::parse(text);
    QCOMPARE(j.at("b").asInt(), int64_t(1));
    QCOMPARE(j.at("a").at(3).asNumber(), -2.5);
    QCOMPARE(j.at("a").at(4).asString(), std::string("x\n\"y\""));
    QCOMPARE(j.at("c").at("d").asInt(), int64_t(1000));
    const std::string expected = "{\"b\":1,\"a\":[true,false,null,-2.5,\"x\\n\\\"y\\\"\"],\"c\":{\"d\":1000}}";
    QCOMPARE(j.dump(), expected);
    QVERIFY(Json::parse(j.dump(2)) == j);
  }
  void unicodeEscapesBecomeUtf8() {
    const std::string text = R"(["\u00e9\ud83d\ude00"])";
    Json j = Json::parse(text);
    QCOMPARE(j.at(0).asString(), std::string("\xC3\xA9\xF0\x9F\x98\x80"));
  }
  void doublesRoundTripExactly() {
    const double v = 0.1 + 0.2;
    Json j(v);
    QCOMPARE(Json::parse(j.dump()).asNumber(), v);
  }
  void badInputNamesLineAndColumn_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("trailing comma") << "{\"a\":1,}" << "line 1, column 8";
    QTest::newRow("unterminated") << "[\"abc" << "unterminated string";
    QTest::newRow("second line") << "{\n  \"a\" 1}" << "line 2, column 7";
    QTest::newRow("garbage after") << "{} x" << "unexpected text after";
    QTest::newRow("bad escape") << "\"\\q\"" << "bad escape";
    QTest::newRow("empty") << "" << "unexpected end of input";
  }
  void badInputNamesLineAndColumn() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    try {
      Json::parse(text.toStdString());
      QFAIL("parse accepted bad input");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
  }
  void wrongTypeAndMissingFieldAreNamed() {
    const std::string text = R"({"n":"seven"})";
    Json j = Json::parse(text);
    QVERIFY_THROWS_EXCEPTION(JsonError, j.at("missing"));
    try {
      (void)j.value("n", int64_t(3));
      QFAIL("accepted a string as an integer");
    } catch (const JsonError& e) {
      QVERIFY2(QString(e.what()).contains("field 'n'"), e.what());
    }
    QCOMPARE(j.value("absent", int64_t(3)), int64_t(3));
  }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"

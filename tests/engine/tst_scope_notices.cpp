// Tests of scopeNotices: a config that enables what a training scope cannot run says so, naming the config field
// and the scope, and says nothing when everything it enables will train.
#include <QtTest>

#include "engine/train/scope_notices.h"

using namespace fedmrg::engine;

namespace {

QString joined(const std::vector<std::string>& notices) {
  QStringList l;
  for (const auto& n : notices) l << QString::fromStdString(n);
  return l.join(QStringLiteral(" | "));
}

bool anyMentions(const std::vector<std::string>& notices, const char* a, const char* b) {
  for (const auto& n : notices)
    if (n.find(a) != std::string::npos && n.find(b) != std::string::npos) return true;
  return false;
}

}  // namespace

class TestScopeNotices : public QObject {
  Q_OBJECT
 private slots:
  void mutualBoostingInTheBaseScopeIsNamed() {
    const ModelConfig c;  // mutual boosting on by default
    QVERIFY(c.losses.mutualBoosting.enabled && c.losses.mutualBoosting.weight > 0);
    const auto n = scopeNotices(c, TrainOptions::Scope::Base);
    QCOMPARE(int(n.size()), 1);
    QVERIFY2(anyMentions(n, "losses.mutual_boosting", "'base'"), qPrintable(joined(n)));
  }

  void mutualBoostingRunsWhenBothAdaptersTrain() {
    const ModelConfig c;
    const auto n = scopeNotices(c, TrainOptions::Scope::Adapters);
    QVERIFY2(!anyMentions(n, "losses.mutual_boosting", "adapters"), qPrintable(joined(n)));
  }

  void mutualBoostingWithoutTheSpecializedAdapterIsNamed() {
    ModelConfig c;
    c.lora.specialized = false;
    const auto n = scopeNotices(c, TrainOptions::Scope::Adapters);
    QVERIFY2(anyMentions(n, "losses.mutual_boosting", "lora.specialized"), qPrintable(joined(n)));
  }

  void aLossOnFrozenParametersIsNamed() {
    ModelConfig c;
    QVERIFY2(anyMentions(scopeNotices(c, TrainOptions::Scope::Adapters), "losses.diagnosis", "'adapters'"),
             qPrintable(joined(scopeNotices(c, TrainOptions::Scope::Adapters))));
    QVERIFY(!anyMentions(scopeNotices(c, TrainOptions::Scope::Base), "losses.diagnosis", "base"));
    c.losses.diagnosis.enabled = false;
    QVERIFY(!anyMentions(scopeNotices(c, TrainOptions::Scope::Adapters), "losses.diagnosis", "adapters"));
  }

  void noAdaptersAtAllIsNamed() {
    ModelConfig c;
    c.lora.generic = c.lora.specialized = false;
    c.losses.mutualBoosting.enabled = false;
    const auto n = scopeNotices(c, TrainOptions::Scope::Adapters);
    QVERIFY2(anyMentions(n, "lora.generic", "no adapter"), qPrintable(joined(n)));
  }

  void aConfigThatRunsEverythingSaysNothing() {
    ModelConfig c;
    c.losses.mutualBoosting.enabled = false;
    QVERIFY2(scopeNotices(c, TrainOptions::Scope::Base).empty(), qPrintable(joined(scopeNotices(c, TrainOptions::Scope::Base))));
    c.losses.mutualBoosting.enabled = true;
    c.losses.mutualBoosting.weight = 0;  // enabled but weightless: nothing is lost
    QVERIFY(scopeNotices(c, TrainOptions::Scope::Base).empty());
    c.losses.mutualBoosting.weight = 0.5;
    c.losses.diagnosis.enabled = false;
    QVERIFY2(scopeNotices(c, TrainOptions::Scope::Adapters).empty(),
             qPrintable(joined(scopeNotices(c, TrainOptions::Scope::Adapters))));
  }

  void trainingReportsTheNoticesOfItsScope() {
    ModelConfig c = ModelConfig::tiny(32);
    Trainer t(c, 1);
    TrainExample e;
    e.image.assign(size_t(c.vision.channels * c.imageSize * c.imageSize), 0.5f);
    e.promptIds = {1, 3};
    e.reportIds = {5, 6, 2};
    TrainOptions o;
    o.steps = 1;
    o.batchSize = 1;
    o.threads = 1;
    o.scope = TrainOptions::Scope::Base;
    const TrainResult r = t.train({e}, o);
    QCOMPARE(r.notices, scopeNotices(c, TrainOptions::Scope::Base));
    QVERIFY(!r.notices.empty());
  }
};

QTEST_APPLESS_MAIN(TestScopeNotices)
#include "tst_scope_notices.moc"

// fedmrg-bench-plots: draws the four PNG plots from a valid rounds.csv (methods that sent nothing are left off the
// log axes); a missing file, a foreign header or a damaged line is refused naming the file (and line) and the
// reason; wrong usage exits 2.
#include <QtTest>

#include "cli/cli_run.h"

namespace {

clirun::Result plots(const QStringList& args) { return clirun::runProgram(QStringLiteral(FEDMRG_BENCH_PLOTS), args); }

void write(const QString& path, const QByteArray& text) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size()) qFatal("cannot write %s", qPrintable(path));
}

const QByteArray kHeader = "method,seed,round,seen_ce_f1,seen_bleu4,held_out_ce_f1,held_out_bleu4,cumulative_bytes\n";

}  // namespace

class TestBenchFlPlots : public QObject {
  Q_OBJECT
 private slots:
  void drawsFourPngs() {
    QTemporaryDir dir;
    write(dir.filePath("rounds.csv"), kHeader +
                                          "local,1,1,0.5,0.3,0.4,0.1,0\n"
                                          "local,1,2,0.52,0.31,0.41,0.1,0\n"
                                          "fedmrg,1,1,0.5,0.3,0.4,0.1,140000\n"
                                          "fedmrg,2,1,0.6,0.3,0.4,0.1,150000\n"
                                          "fedmrg,1,2,0.55,0.32,0.42,0.12,280000\n"
                                          "fedmrg,2,2,0.57,0.32,0.42,0.12,290000\n");
    const clirun::Result r = plots({dir.path()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const char* png :
         {"ce_f1_per_round.png", "bleu4_per_round.png", "cumulative_bytes.png", "ce_f1_vs_bytes.png"}) {
      QFile f(dir.filePath(png));
      QVERIFY2(f.open(QIODevice::ReadOnly) && f.size() > 2000, png);
      QVERIFY2(f.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8), png);
    }
  }

  void badInputIsNamed() {
    QTemporaryDir dir;
    clirun::Result r = plots({dir.path()});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("rounds.csv: cannot read"), qPrintable(r.err));
    write(dir.filePath("rounds.csv"), "id,report\n1,text\n");
    r = plots({dir.path()});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("not the benchmark's rounds.csv"), qPrintable(r.err));
    write(dir.filePath("rounds.csv"), kHeader + "fedmrg,1,1,0.5,0.3,0.4,0.1,100\nfedmrg,1,x,0.5\n");
    r = plots({dir.path()});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("rounds.csv:3: expected 8 fields"), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(dir.filePath("ce_f1_per_round.png")));
    QCOMPARE(plots({}).code, 2);
  }
};

QTEST_GUILESS_MAIN(TestBenchFlPlots)
#include "tst_bench_fl_plots.moc"

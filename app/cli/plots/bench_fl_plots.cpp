// fedmrg-bench-plots: draws the FL benchmark's plots from results/<run>/rounds.csv (docs/benchmark-fl.md) with
// Qt Charts, offscreen: validation CE-F1 and BLEU-4 of the seen sites per round, cumulative bytes per round, and
// CE-F1 against cumulative bytes; each a mean over seeds per method. A program of its own because Qt Charts needs
// a QApplication (widgets), which the headless fedmrg-cli does not build.
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMap>
#include <QPen>
#include <QTextStream>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <cstdio>

namespace {

struct Point {
  double f1 = 0, bleu = 0, bytes = 0;
  int n = 0;
};
// method -> round -> sums over seeds; methods in the order the file names them.
struct Series {
  QStringList methods;
  QMap<QString, QMap<int, Point>> byMethod;
};

Series readCsv(const QString& path, QString& error) {
  Series s;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
    error = path + ": cannot read";
    return s;
  }
  QTextStream in(&f);
  const QString header = in.readLine();
  if (!header.startsWith("method,seed,round,seen_ce_f1,seen_bleu4")) {
    error = path + ": not the benchmark's rounds.csv (unexpected header)";
    return s;
  }
  for (int line = 2; !in.atEnd(); ++line) {
    const QStringList c = in.readLine().split(',');
    bool ok[4] = {false, false, false, false};
    const int round = c.size() == 8 ? c[2].toInt(&ok[0]) : 0;
    const double f1 = c.size() == 8 ? c[3].toDouble(&ok[1]) : 0, bleu = c.size() == 8 ? c[4].toDouble(&ok[2]) : 0;
    const double bytes = c.size() == 8 ? c[7].toDouble(&ok[3]) : 0;
    if (!(ok[0] && ok[1] && ok[2] && ok[3])) {
      error = path + ":" + QString::number(line) + ": expected 8 fields with numbers";
      return s;
    }
    if (!s.methods.contains(c[0])) s.methods << c[0];
    Point& p = s.byMethod[c[0]][round];
    p.f1 += f1, p.bleu += bleu, p.bytes += bytes, ++p.n;
  }
  return s;
}

enum class Kind { F1PerRound, BleuPerRound, BytesPerRound, F1VsBytes };

bool draw(const Series& s, Kind kind, const QString& title, const QString& path) {
  auto* chart = new QChart;
  chart->setTitle(title);
  const bool logX = kind == Kind::F1VsBytes, logY = kind == Kind::BytesPerRound;
  QAbstractAxis* x = logX ? static_cast<QAbstractAxis*>(new QLogValueAxis) : new QValueAxis;
  QAbstractAxis* y = logY ? static_cast<QAbstractAxis*>(new QLogValueAxis) : new QValueAxis;
  x->setTitleText(logX ? "cumulative bytes sent (log)" : "round");
  y->setTitleText(kind == Kind::F1PerRound || kind == Kind::F1VsBytes ? "seen-site val CE-F1"
                  : kind == Kind::BleuPerRound                        ? "seen-site val BLEU-4"
                                                                      : "cumulative bytes sent (log)");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  // Axes added by hand do not follow the data: the ranges are set from the points drawn.
  double minX = 1e300, maxX = -1e300, minY = 1e300, maxY = -1e300;
  for (const QString& m : s.methods) {
    auto* line = new QLineSeries;
    line->setName(m);
    const QMap<int, Point> rounds = s.byMethod.value(m);
    for (auto it = rounds.begin(); it != rounds.end(); ++it) {
      const Point& p = it.value();
      const double f1 = p.f1 / p.n, bleu = p.bleu / p.n, bytes = p.bytes / p.n;
      if ((logX || logY) && bytes <= 0) continue;  // nothing sent: no place on a log axis
      const double vx = logX ? bytes : it.key();
      const double vy = kind == Kind::BleuPerRound ? bleu : kind == Kind::BytesPerRound ? bytes : f1;
      line->append(vx, vy);
      minX = std::min(minX, vx), maxX = std::max(maxX, vx), minY = std::min(minY, vy), maxY = std::max(maxY, vy);
    }
    line->setPointsVisible(true);
    if (line->count() == 0) {
      delete line;
      continue;
    }
    // The theme has five colours: later methods (the ablations) are dashed so that no two lines look alike.
    const int index = int(chart->series().size());
    chart->addSeries(line);
    QPen pen = line->pen();
    pen.setWidth(2);
    pen.setStyle(index < 5 ? Qt::SolidLine : index < 10 ? Qt::DashLine : Qt::DotLine);
    line->setPen(pen);
    line->attachAxis(x);
    line->attachAxis(y);
  }
  if (minX > maxX) minX = maxX = 1;  // nothing to draw: an empty chart still gets sane axes
  if (minY > maxY) minY = maxY = 1;
  auto range = [](QAbstractAxis* a, double lo, double hi, bool log) {
    if (log) a->setRange(lo / 1.5, hi * 1.5);
    else {
      const double pad = hi > lo ? 0.05 * (hi - lo) : 0.05 * std::max(1.0, std::abs(hi));
      a->setRange(lo - pad, hi + pad);
    }
  };
  range(x, minX, maxX, logX);
  range(y, minY, maxY, logY);
  if (auto* v = qobject_cast<QValueAxis*>(x); v && !logX) {  // whole rounds only
    v->setTickType(QValueAxis::TicksDynamic);
    v->setTickAnchor(1);
    v->setTickInterval(std::max(1.0, std::ceil((maxX - minX) / 10)));
    v->setLabelFormat("%d");
  }
  chart->legend()->setAlignment(Qt::AlignRight);
  QChartView view(chart);
  view.setRenderHint(QPainter::Antialiasing);
  view.resize(1100, 620);
  return view.grab().save(path, "PNG");
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const QStringList args = app.arguments();
  if (args.size() != 2 || args[1].startsWith('-')) {
    std::fprintf(stderr, "usage: fedmrg-bench-plots RESULTS_RUN_FOLDER   (reads rounds.csv, writes four PNG files)\n");
    return 2;
  }
  const QString dir = args[1];
  QString error;
  const Series s = readCsv(dir + "/rounds.csv", error);
  if (!error.isEmpty()) {
    std::fprintf(stderr, "fedmrg-bench-plots: %s\n", qPrintable(error));
    return 1;
  }
  const struct {
    Kind kind;
    const char* title;
    const char* file;
  } plots[] = {
      {Kind::F1PerRound, "CE-F1 (seen sites, validation) per round, mean over seeds", "ce_f1_per_round.png"},
      {Kind::BleuPerRound, "BLEU-4 (seen sites, validation) per round, mean over seeds", "bleu4_per_round.png"},
      {Kind::BytesPerRound, "Cumulative bytes sent (up + down, all sites) per round", "cumulative_bytes.png"},
      {Kind::F1VsBytes, "CE-F1 (seen sites, validation) against cumulative bytes", "ce_f1_vs_bytes.png"}};
  for (const auto& p : plots) {
    const QString path = dir + "/" + p.file;
    if (!draw(s, p.kind, p.title, path)) {
      std::fprintf(stderr, "fedmrg-bench-plots: %s: cannot write\n", qPrintable(path));
      return 1;
    }
    std::printf("wrote %s\n", qPrintable(path));
  }
  return 0;
}

#include "app/site/person_name.h"

#include <QRegularExpression>
#include <QStringList>

namespace fedmrg::app {
namespace {

constexpr int kMaxPersonNameChars = 64;  // PN: 64 characters per component group

// Compared without case and without the dots: "Dr", "dr." and "DR" are one title.
QString bare(const QString& word) { return QString(word).remove(QLatin1Char('.')).toLower(); }

bool isPrefix(const QString& word) {
  static const QStringList prefixes{"dr", "prof", "mr", "mrs", "ms", "miss", "sir", "dame"};
  return prefixes.contains(bare(word));
}

bool isSuffix(const QString& word) {
  static const QStringList suffixes{"md", "phd", "jr", "sr", "ii", "iii", "iv", "frcr", "frcpc", "mbbs", "facr"};
  return suffixes.contains(bare(word));
}

// Lower-case words that belong to the family name that follows them ("van der Berg").
bool isParticle(const QString& word) {
  static const QStringList particles{"van", "von", "de", "der", "den", "del", "della",
                                     "da",  "di",  "du", "la",  "le",  "ten", "ter"};
  return particles.contains(word);
}

QStringList words(const QString& text) {
  static const QRegularExpression space(QStringLiteral("\\s+"));
  return text.split(space, Qt::SkipEmptyParts);
}

QString joined(const QStringList& list) { return list.join(QLatin1Char(' ')); }

}  // namespace

std::string dicomPersonName(const std::string& displayName) {
  QString name = QString::fromStdString(displayName);
  name.remove(QLatin1Char('\\')).remove(QLatin1Char('='));
  name = joined(words(name));
  if (name.contains(QLatin1Char('^'))) return name.left(kMaxPersonNameChars).toStdString();

  QStringList parts = name.split(QLatin1Char(','), Qt::SkipEmptyParts);
  for (QString& p : parts) p = p.trimmed();
  parts.removeAll(QString());
  if (parts.isEmpty()) return {};

  QStringList prefix, suffix, family, given;
  // "Smith, Jane" names the family first; "Jane Smith, MD" only adds titles after the comma.
  bool onlyTitles = true;
  for (const QString& w : words(parts.value(1))) onlyTitles = onlyTitles && isSuffix(w);
  const bool familyFirst = parts.size() > 1 && !onlyTitles;
  QStringList front = words(parts[0]);
  while (!front.isEmpty() && isPrefix(front.front())) prefix << front.takeFirst();
  QStringList rest;
  if (familyFirst) {
    family = front;
    rest = words(parts[1]);
    for (int i = 2; i < parts.size(); ++i) suffix << words(parts[i]);
  } else {
    rest = front;
    for (int i = 1; i < parts.size(); ++i) suffix << words(parts[i]);
  }
  while (!rest.isEmpty() && isPrefix(rest.front())) prefix << rest.takeFirst();
  QStringList trailing;
  while (rest.size() > 1 && isSuffix(rest.back())) trailing.prepend(rest.takeLast());
  suffix = trailing + suffix;
  if (!familyFirst && !rest.isEmpty()) {
    // "Given Middle Family": the last word, with the particles before it, is the family name.
    int start = rest.size() - 1;
    while (start > 1 && isParticle(rest[start - 1])) --start;
    family = rest.mid(start);
    rest = rest.mid(0, start);
  }
  if (!rest.isEmpty()) given << rest.takeFirst();
  QStringList components{joined(family), joined(given), joined(rest), joined(prefix), joined(suffix)};
  while (!components.isEmpty() && components.back().isEmpty()) components.removeLast();
  return components.join(QLatin1Char('^')).left(kMaxPersonNameChars).toStdString();
}

}  // namespace fedmrg::app

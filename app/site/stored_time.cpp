#include "app/site/stored_time.h"

#include <QDateTime>

namespace fedmrg::app {
namespace {

QDateTime parsed(const std::string& storedUtc) {
  QDateTime t = QDateTime::fromString(QString::fromStdString(storedUtc), Qt::ISODateWithMs);
  return t.isValid() ? t.toUTC() : QDateTime();
}

}  // namespace

std::string localMinute(const std::string& storedUtc) {
  const QDateTime t = parsed(storedUtc);
  if (!t.isValid()) return storedUtc;
  return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")).toStdString();
}

std::string dicomDateTime(const std::string& storedUtc) {
  const QDateTime t = parsed(storedUtc);
  if (!t.isValid()) return {};
  return t.toString(QStringLiteral("yyyyMMddHHmmss.zzz")).toStdString() + "+0000";
}

}  // namespace fedmrg::app

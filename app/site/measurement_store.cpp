#include "app/site/measurement_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <stdexcept>

#include "app/site/site.h"

namespace fedmrg::app {

std::string MeasurementStore::pointsToJson(const std::vector<Point2>& points) {
  QJsonArray array;
  for (const Point2& p : points) array.append(QJsonArray{p.x, p.y});
  return QJsonDocument(array).toJson(QJsonDocument::Compact).toStdString();
}

std::vector<Point2> MeasurementStore::pointsFromJson(const std::string& json) {
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
  if (error.error != QJsonParseError::NoError)
    throw std::invalid_argument("points: not valid JSON (" + error.errorString().toStdString() + ")");
  if (!doc.isArray()) throw std::invalid_argument("points: not a JSON array");
  std::vector<Point2> points;
  for (const QJsonValue& v : doc.array()) {
    const QJsonArray xy = v.toArray();
    if (!v.isArray() || xy.size() != 2 || !xy[0].isDouble() || !xy[1].isDouble())
      throw std::invalid_argument("points: each point must be [x, y] with two numbers");
    points.push_back({xy[0].toDouble(), xy[1].toDouble()});
  }
  return points;
}

MeasurementStore::Loaded MeasurementStore::load(const std::string& sopUid) const {
  Loaded loaded;
  auto st =
      site_.store().prepare("SELECT id, kind, points FROM measurements WHERE sop_uid = ? AND user_id = ? ORDER BY id");
  st.bind(1, sopUid).bind(2, userId_);
  while (st.step()) {
    const int64_t id = st.int64(0);
    const std::string where = "measurement " + std::to_string(id) + ": ";
    Measurement m;
    m.id = id;
    const auto kind = measurementKindFromKey(st.text(1));
    if (!kind) {
      loaded.errors.push_back(where + "kind: unknown \"" + st.text(1) + "\"");
      continue;
    }
    m.kind = *kind;
    try {
      m.points = pointsFromJson(st.text(2));
    } catch (const std::invalid_argument& e) {
      loaded.errors.push_back(where + e.what());
      continue;
    }
    if (const std::string reason = invalidMeasurementReason(m); !reason.empty()) {
      loaded.errors.push_back(where + reason);
      continue;
    }
    loaded.measurements.push_back(std::move(m));
  }
  return loaded;
}

Measurement MeasurementStore::add(const std::string& sopUid, Measurement m) {
  if (sopUid.empty()) throw std::invalid_argument("measurement image: no SOP Instance UID");
  if (const std::string reason = invalidMeasurementReason(m); !reason.empty())
    throw std::invalid_argument("measurement " + reason);
  // The transaction holds the store's lock, so the id read after the insert is this insert's.
  SiteStore::Transaction tx(site_.store());
  site_.store()
      .prepare("INSERT INTO measurements(sop_uid, user_id, kind, points, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(1, sopUid)
      .bind(2, userId_)
      .bind(3, measurementKindKey(m.kind))
      .bind(4, pointsToJson(m.points))
      .bind(5, nowUtc())
      .run();
  m.id = site_.store().lastInsertId();
  tx.commit();
  return m;
}

bool MeasurementStore::remove(int64_t id) {
  SiteStore::Transaction tx(site_.store());
  site_.store().prepare("DELETE FROM measurements WHERE id = ? AND user_id = ?").bind(1, id).bind(2, userId_).run();
  const bool removed = site_.store().changes() > 0;
  tx.commit();
  return removed;
}

}  // namespace fedmrg::app

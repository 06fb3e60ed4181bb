#pragma once
// The measurements a user drew on study images, kept in the site's store (table measurements,
// app/sql/005_measurements.sql) per image SOP Instance UID and per user.
#include <cstdint>
#include <string>
#include <vector>

#include "app/site/measurements.h"

namespace fedmrg::app {

class Site;

class MeasurementStore {
 public:
  // Reads and writes `userId`'s measurements in `site`, which outlives the store.
  MeasurementStore(Site& site, int64_t userId) : site_(site), userId_(userId) {}

  struct Loaded {
    std::vector<Measurement> measurements;  // oldest first
    // One line per stored row that cannot be shown, naming the row, the field and the reason:
    // "measurement 7: points: not valid JSON". The row stays in the store untouched.
    std::vector<std::string> errors;
  };
  // This user's measurements on the image. Throws StoreError when the store cannot be read.
  Loaded load(const std::string& sopUid) const;
  // Stores `m` on the image and returns it with its id. Throws std::invalid_argument naming the
  // field (no image UID, an invalid measurement) and StoreError when the store refuses it.
  Measurement add(const std::string& sopUid, Measurement m);
  // Removes one of this user's measurements; false when there is none with that id.
  bool remove(int64_t id);

  // The JSON the store keeps for the points, and back (throws std::invalid_argument with the reason).
  static std::string pointsToJson(const std::vector<Point2>& points);
  static std::vector<Point2> pointsFromJson(const std::string& json);

 private:
  Site& site_;
  int64_t userId_;
};

}  // namespace fedmrg::app

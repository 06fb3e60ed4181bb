-- Schema version 5: measurements drawn on a study image (distance, angle, cardiothoracic ratio),
-- kept per image (SOP Instance UID) and per user who drew them, and shown again when the study is
-- opened. Only the clicked points are stored, as JSON [[x, y], ...] in image pixels; lengths and
-- ratios are computed from them and the image's pixel spacing whenever they are shown.
CREATE TABLE measurements (
  id         INTEGER PRIMARY KEY,
  sop_uid    TEXT NOT NULL REFERENCES images(sop_uid) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  kind       TEXT NOT NULL CHECK (kind IN ('distance', 'angle', 'ctr')),
  points     TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX measurements_image_user ON measurements(sop_uid, user_id);

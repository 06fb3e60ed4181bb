-- Schema version 1: the site, its users, the studies and their images, reports with every
-- version kept, sign-offs, the audit log, the training queue and federation rounds.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id           INTEGER PRIMARY KEY,
  username     TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('radiologist', 'admin')),
  salt         BLOB NOT NULL,
  pass_hash    BLOB NOT NULL,
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL
);

CREATE TABLE studies (
  id                 INTEGER PRIMARY KEY,
  study_uid          TEXT NOT NULL UNIQUE,
  patient_name       TEXT NOT NULL DEFAULT '',
  patient_id         TEXT NOT NULL DEFAULT '',
  patient_sex        TEXT NOT NULL DEFAULT '',
  patient_birth_date TEXT NOT NULL DEFAULT '',
  study_date         TEXT NOT NULL DEFAULT '',
  study_time         TEXT NOT NULL DEFAULT '',
  description        TEXT NOT NULL DEFAULT '',
  accession_number   TEXT NOT NULL DEFAULT '',
  modality           TEXT NOT NULL DEFAULT '',
  body_part          TEXT NOT NULL DEFAULT '',
  status             TEXT NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'draft', 'preliminary', 'final')),
  imported_at        TEXT NOT NULL
);

CREATE TABLE series (
  id          INTEGER PRIMARY KEY,
  study_id    INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  series_uid  TEXT NOT NULL UNIQUE,
  modality    TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE images (
  id               INTEGER PRIMARY KEY,
  series_id        INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  sop_uid          TEXT NOT NULL UNIQUE,
  sop_class_uid    TEXT NOT NULL DEFAULT '',
  file_path        TEXT NOT NULL,
  rows             INTEGER NOT NULL DEFAULT 0,
  columns          INTEGER NOT NULL DEFAULT 0,
  transfer_syntax  TEXT NOT NULL DEFAULT '',
  view_position    TEXT NOT NULL DEFAULT '',
  pixel_spacing_r  REAL NOT NULL DEFAULT 0,
  pixel_spacing_c  REAL NOT NULL DEFAULT 0,
  imported_at      TEXT NOT NULL
);
CREATE INDEX images_series ON images(series_id);

-- Every saved version of a report is a row; the newest version is the current text.
CREATE TABLE reports (
  id         INTEGER PRIMARY KEY,
  study_id   INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  version    INTEGER NOT NULL,
  kind       TEXT NOT NULL DEFAULT 'report' CHECK (kind IN ('report', 'addendum')),
  status     TEXT NOT NULL CHECK (status IN ('draft', 'preliminary', 'final')),
  findings   TEXT NOT NULL DEFAULT '',
  impression TEXT NOT NULL DEFAULT '',
  labels     TEXT NOT NULL DEFAULT '',
  origin     TEXT NOT NULL DEFAULT 'human' CHECK (origin IN ('human', 'model', 'mixed')),
  author_id  INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  UNIQUE (study_id, version)
);

CREATE TABLE signoffs (
  id        INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  user_id   INTEGER REFERENCES users(id),
  status    TEXT NOT NULL CHECK (status IN ('preliminary', 'final')),
  signed_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  user_id  INTEGER REFERENCES users(id),
  action   TEXT NOT NULL,
  study_id INTEGER,
  detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_study ON audit_log(study_id);

CREATE TABLE training_queue (
  id        INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL UNIQUE REFERENCES reports(id),
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  queued_at TEXT NOT NULL,
  state     TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'used'))
);

CREATE TABLE federation_rounds (
  id             INTEGER PRIMARY KEY,
  round          INTEGER NOT NULL,
  base_version   INTEGER NOT NULL,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  status         TEXT NOT NULL,
  bytes_up       INTEGER NOT NULL DEFAULT 0,
  bytes_down     INTEGER NOT NULL DEFAULT 0
);

-- The editor's unsaved text, written every few seconds so a crash loses at most that much.
CREATE TABLE autosave (
  study_id   INTEGER PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
  findings   TEXT NOT NULL,
  impression TEXT NOT NULL,
  labels     TEXT NOT NULL DEFAULT '',
  saved_at   TEXT NOT NULL
);

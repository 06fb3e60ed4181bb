-- Schema version 6: per-user report templates. A template belongs to the user who made it and is
-- listed only in that user's session; a name is unique per user, whatever its letter case. A
-- user's template named like the built-in "Normal chest" macro is that user's normal macro.
CREATE TABLE report_templates (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       TEXT NOT NULL COLLATE NOCASE,
  findings   TEXT NOT NULL DEFAULT '',
  impression TEXT NOT NULL DEFAULT '',
  labels     TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX report_templates_user_name ON report_templates(user_id, name);

-- Schema version 2: autosave per user. The editor's unsaved text belongs to the user who typed it
-- and is restored only into that user's session, never into another user's (who would save it
-- under their own name). Rows kept from version 1 have no known author (user_id NULL): they are
-- never restored, only mentioned.
CREATE TABLE autosave_per_user (
  id         INTEGER PRIMARY KEY,
  study_id   INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  user_id    INTEGER,
  findings   TEXT NOT NULL,
  impression TEXT NOT NULL,
  labels     TEXT NOT NULL DEFAULT '',
  saved_at   TEXT NOT NULL
);
INSERT INTO autosave_per_user(study_id, user_id, findings, impression, labels, saved_at)
  SELECT study_id, NULL, findings, impression, labels, saved_at FROM autosave;
DROP TABLE autosave;
ALTER TABLE autosave_per_user RENAME TO autosave;
CREATE UNIQUE INDEX autosave_study_user ON autosave(study_id, user_id);

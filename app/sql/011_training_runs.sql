-- Schema version 11: background training runs consume the training queue exactly once.
-- An entry is 'queued' (pending), then 'training' while a run holds it (run_id set), then 'used' when
-- that run's adapters are committed, or back to 'queued' (run_id cleared) when the run is cancelled or
-- abandoned; 'unusable' when its study has no image the model can read (never retried). A run is
-- 'running' until it ends as 'committed', 'cancelled', 'abandoned' (its checkpoint was lost) or
-- 'failed'. The CHECK constraint of version 1 allowed only 'queued' and 'used', so the table is rebuilt.
CREATE TABLE training_runs (
  id          TEXT PRIMARY KEY,
  state       TEXT NOT NULL DEFAULT 'running'
              CHECK (state IN ('running', 'committed', 'cancelled', 'abandoned', 'failed')),
  start_model TEXT NOT NULL,             -- the model folder the run started from
  steps       INTEGER NOT NULL,          -- optimizer steps the run trains
  examples    INTEGER NOT NULL DEFAULT 0,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  adapter_dir TEXT,                      -- the committed version, relative to the site folder
  detail      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE training_queue_v11 (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL UNIQUE REFERENCES reports(id),
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  queued_at   TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'training', 'used', 'unusable')),
  run_id      TEXT REFERENCES training_runs(id),
  consumed_at TEXT,
  detail      TEXT NOT NULL DEFAULT '',
  CHECK ((state = 'queued') = (run_id IS NULL) OR state IN ('used', 'unusable'))
);
INSERT INTO training_queue_v11(id, report_id, study_id, queued_at, state)
  SELECT id, report_id, study_id, queued_at, state FROM training_queue;
DROP TABLE training_queue;
ALTER TABLE training_queue_v11 RENAME TO training_queue;
CREATE INDEX training_queue_run ON training_queue(run_id);
CREATE INDEX training_queue_state ON training_queue(state);

-- Schema version 15: the training queue's entries held back for the quality gate.
-- A signed report whose report id makes it held back (model_versions.h, ModelVersions::isHeldBack with the
-- site's model_gate.held_back_every) is scored by the gate and must never be trained on. Its queue entry is
-- consumed as 'held_back' (run_id NULL, consumed_at set) by the next claim of a run (TrainingQueue::claim), in
-- the claim's transaction, so it is never trained and never waits; pending counts leave it out before that. The CHECK constraint of version 11 does not allow
-- the new state, so the table is rebuilt as version 11 did.
CREATE TABLE training_queue_v15 (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL UNIQUE REFERENCES reports(id),
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  queued_at   TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'queued'
              CHECK (state IN ('queued', 'training', 'used', 'unusable', 'held_back')),
  run_id      TEXT REFERENCES training_runs(id),
  consumed_at TEXT,
  detail      TEXT NOT NULL DEFAULT '',
  CHECK ((state = 'queued') = (run_id IS NULL) OR state IN ('used', 'unusable', 'held_back'))
);
INSERT INTO training_queue_v15(id, report_id, study_id, queued_at, state, run_id, consumed_at, detail)
  SELECT id, report_id, study_id, queued_at, state, run_id, consumed_at, detail FROM training_queue;
DROP TABLE training_queue;
ALTER TABLE training_queue_v15 RENAME TO training_queue;
CREATE INDEX training_queue_run ON training_queue(run_id);
CREATE INDEX training_queue_state ON training_queue(state);

-- Schema version 13: the site's model versions (the base model and each adapter version, with where it
-- came from and how it scored), which one drafts, and the administrator's federation settings.
--
-- An adapter file is kept once under <site>/model-versions/files/<sha256>.safetensors; a version names its
-- generic and specialized adapter by that digest ('' = the version has no such adapter).
CREATE TABLE model_versions (
  id                 INTEGER PRIMARY KEY,
  base_dir           TEXT NOT NULL,                 -- the base model folder the adapters apply to
  generic_digest     TEXT NOT NULL DEFAULT '',
  specialized_digest TEXT NOT NULL DEFAULT '',
  origin             TEXT NOT NULL CHECK (origin IN ('base', 'local', 'federation')),
  origin_detail      TEXT NOT NULL DEFAULT '',      -- "local training run 3", "federation round 7, global version 7"
  created_at         TEXT NOT NULL,
  -- The quality gate's decision: 'accepted' (drafts may use it), 'refused' (never made active by the gate;
  -- an administrator may still switch to it), 'pending' (not checked yet).
  gate_state         TEXT NOT NULL DEFAULT 'pending' CHECK (gate_state IN ('pending', 'accepted', 'refused')),
  gate_reason        TEXT NOT NULL DEFAULT ''
);

-- Each version's CE-F1 on a held-back set; the set is named by the digest of its report ids, so a score is
-- reused only while the held-back set is the same.
CREATE TABLE model_version_scores (
  version_id       INTEGER NOT NULL REFERENCES model_versions(id),
  heldback_digest  TEXT NOT NULL,
  reports          INTEGER NOT NULL,
  ce_f1            REAL NOT NULL,
  scored_at        TEXT NOT NULL,
  PRIMARY KEY (version_id, heldback_digest)
);

-- Every switch of the drafting version; the newest row is the active version, the rows before it are
-- what a roll back returns to.
CREATE TABLE model_activations (
  id          INTEGER PRIMARY KEY,
  version_id  INTEGER NOT NULL REFERENCES model_versions(id),
  user_id     INTEGER REFERENCES users(id),
  at          TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT ''
);

-- The federation panel's settings: one row.
CREATE TABLE federation_settings (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  coordinator        TEXT NOT NULL DEFAULT '',
  joined             INTEGER NOT NULL DEFAULT 0,
  participation      TEXT NOT NULL DEFAULT 'approve' CHECK (participation IN ('every', 'approve')),
  window_start       INTEGER NOT NULL DEFAULT 0 CHECK (window_start BETWEEN 0 AND 23),  -- hour, local time
  window_end         INTEGER NOT NULL DEFAULT 24 CHECK (window_end BETWEEN 1 AND 24),
  bandwidth_kbps     INTEGER NOT NULL DEFAULT 0 CHECK (bandwidth_kbps >= 0),            -- 0: no cap
  require_dp         INTEGER NOT NULL DEFAULT 0,
  ca_fingerprint     TEXT NOT NULL DEFAULT '',
  cert_subject       TEXT NOT NULL DEFAULT '',
  cert_not_after     INTEGER NOT NULL DEFAULT 0,
  last_sync_at       TEXT NOT NULL DEFAULT '',
  last_round         INTEGER NOT NULL DEFAULT 0,
  last_phase         TEXT NOT NULL DEFAULT '',
  last_global_version INTEGER NOT NULL DEFAULT 0,
  coordinator_dp     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO federation_settings(id) VALUES (1);

-- Rounds that wait for the administrator's approval (participation 'approve').
ALTER TABLE federation_rounds ADD COLUMN approved INTEGER NOT NULL DEFAULT 0;

-- Schema version 8: the PACS nodes the workstation queries, retrieves from and sends reports to,
-- and the outbox of reports waiting to be stored on a PACS. At most one node is the default (the
-- one signed reports go to). An outbox row keeps only which report version to send: the SR file is
-- written again from the store on each try, so a failed send never holds the only copy of a report.
CREATE TABLE pacs_nodes (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  ae_title   TEXT NOT NULL,
  host       TEXT NOT NULL,
  port       INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  retrieve   TEXT NOT NULL DEFAULT 'get' CHECK (retrieve IN ('get', 'move')),
  is_default INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX pacs_nodes_one_default ON pacs_nodes(is_default) WHERE is_default = 1;

CREATE TABLE pacs_outbox (
  id                INTEGER PRIMARY KEY,
  study_id          INTEGER NOT NULL REFERENCES studies(id),
  report_version_id INTEGER NOT NULL,
  node_id           INTEGER REFERENCES pacs_nodes(id) ON DELETE SET NULL,
  queued_at         TEXT NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   TEXT NOT NULL,
  last_error        TEXT NOT NULL DEFAULT '',
  sent_at           TEXT,
  sop_instance_uid  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pacs_outbox_pending ON pacs_outbox(sent_at, next_attempt_at);

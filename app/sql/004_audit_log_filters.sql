-- Schema version 4: indexes for reading the audit log, which grows with every study opened. The
-- dialog filters on a day range (at) and on a user; opening a study looks up that user's latest
-- entry (to coalesce quick re-opens), which user_id's index answers without a scan.
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(user_id);

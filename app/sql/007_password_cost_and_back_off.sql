-- Schema version 7: each password hash names the parameters it was made with, so hashes made with an
-- older, cheaper setting still verify and are re-hashed at the next sign-in; every hash before this
-- version was PBKDF2-HMAC-SHA256 with 60,000 iterations. Failed sign-ins per user name (known or
-- not, so the back-off does not reveal which names exist) set a growing wait before the next try.
ALTER TABLE users ADD COLUMN kdf TEXT NOT NULL DEFAULT 'pbkdf2-sha256:60000';

CREATE TABLE sign_in_failures (
  username        TEXT PRIMARY KEY,
  failures        INTEGER NOT NULL,
  last_failure_at TEXT NOT NULL
);

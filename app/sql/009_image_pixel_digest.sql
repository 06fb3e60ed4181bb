-- Schema version 9: the content of each imported image (SHA-256 of its decoded pixel values), so that a
-- second file with the same SOP Instance UID but other pixels is refused instead of silently skipped.
-- Images imported before this version have none and are compared by UID alone.
ALTER TABLE images ADD COLUMN pixel_digest TEXT;

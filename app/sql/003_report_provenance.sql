-- Schema version 3: which model drafted a report version. A version made from a model draft
-- (origin 'model') is credited to the model that wrote it, by its name and version (the model
-- folder's name and a digest of its files); author_id stays the user who asked for the draft. A
-- person's edit of a draft ('mixed') keeps naming the model it started from. Versions kept before
-- this have no recorded model: empty.
ALTER TABLE reports ADD COLUMN model_name TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN model_version TEXT NOT NULL DEFAULT '';

-- Schema version 10: the chest radiograph check made before a model drafted a report version, kept with
-- the version so that the exported SR can say it: the decision ('yes' or 'uncertain'; a 'no' drafts
-- nothing), its reason, and the image's distance from the training images (NULL when the model folder
-- had no statistics to measure it). Versions a person wrote, and versions kept before this, have none ('').
-- A person's edit of a draft and a sign-off keep the check of the draft they started from.
ALTER TABLE reports ADD COLUMN chest_check TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN chest_check_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN chest_check_score REAL;

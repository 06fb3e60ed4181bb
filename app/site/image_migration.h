#pragma once
// Brings a site's image folder to the encrypted layout: sites made before images were encrypted hold
// plain DICOM files (images/<study UID>/<SOP UID>.dcm); each is sealed by the vault, its row pointed
// at the sealed copy, and only then the plain file removed. Safe to kill at any point: the next open
// resumes, and every row always names a complete file.
#include "app/site/image_vault.h"
#include "app/site/site_store.h"

namespace fedmrg::app {

struct ImageMigrationResult {
  int sealed = 0;   // plain files sealed and their rows moved to the sealed copy
  int removed = 0;  // leftovers deleted: plain copies already sealed, torn temporaries, orphans
  int failed = 0;   // plain files that could not be read; they stay where they are, referenced
};

// Seals every plain image file of the site and sweeps the image folder. Plain files nobody
// references are always removed (only a killed migration leaves them); sealed files and temporaries
// nobody references only when older than `orphanAgeSeconds`, so an import running in another
// process right now keeps the file it is about to record.
ImageMigrationResult sealPlainImages(SiteStore& store, const ImageVault& vault, int orphanAgeSeconds = 600);

}  // namespace fedmrg::app

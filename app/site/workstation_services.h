#pragma once
// The services a signed-in user's workstation window works with. The composition root (the fedmrg
// program's main) builds each one once, for one site, user and model folder, and hands them down;
// no widget builds its own or finds one through the environment.
#include <memory>

#include "app/site/dicom_importer.h"
#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/report_service.h"
#include "app/site/user_directory.h"

namespace fedmrg::app {

class Site;

struct WorkstationServices {
  Site& site;
  User user;
  // Shared, not borrowed: imports, drafts and decoding run on worker threads that may finish
  // after the window that started them has closed.
  std::shared_ptr<ReportService> reports;
  std::shared_ptr<DraftService> drafts;
  std::shared_ptr<DicomImporter> importer;
  std::shared_ptr<const ImageLoader> images;
};

}  // namespace fedmrg::app

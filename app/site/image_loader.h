#pragma once
// Decodes study images for the viewer and the thumbnails (through the engine's DICOM decoder) into
// the app's display types. Stateless and thread-safe: the window decodes ahead on a worker thread.
#include <QString>
#include <memory>

#include "app/site/display_image.h"

namespace fedmrg::app {

class ImageVault;

class ImageLoader {
 public:
  // Decodes the site's encrypted files through `vault` (in memory); without one, plain files only.
  explicit ImageLoader(std::shared_ptr<const ImageVault> vault = nullptr) : vault_(std::move(vault)) {}
  // The image at `file` with its default window. Throws std::runtime_error("<file>: <reason>").
  std::shared_ptr<const DisplayImage> load(const QString& file) const;
  // The image at `file` windowed with its default window (MONOCHROME1 shown inverted), full size.
  // Throws std::runtime_error like load().
  GreyPixels thumbnail(const QString& file) const;

 private:
  std::shared_ptr<const ImageVault> vault_;
};

}  // namespace fedmrg::app

#include "app/site/image_loader.h"

#include "app/site/image_vault.h"
#include "engine/imaging/dicom_image.h"

namespace fedmrg::app {
namespace {
engine::DicomImage decode(const ImageVault* vault, const QString& file) {
  return vault ? vault->readImage(file) : engine::readDicomImage(file.toStdString());
}
}  // namespace

std::shared_ptr<const DisplayImage> ImageLoader::load(const QString& file) const {
  engine::DicomImage decoded = decode(vault_.get(), file);
  auto image = std::make_shared<DisplayImage>();
  image->width = decoded.width;
  image->height = decoded.height;
  image->values = std::move(decoded.values);  // the pixels are the bulk: moved, not copied
  image->defaultWindow = {decoded.defaultWindow.center, decoded.defaultWindow.width};
  image->invert = decoded.invert;
  const engine::DicomMetadata& m = decoded.meta;
  DisplayImageInfo& info = image->info;
  info.patientName = m.patientName;
  info.patientId = m.patientId;
  info.patientSex = m.patientSex;
  info.patientAge = m.patientAge;
  info.studyDescription = m.studyDescription;
  info.studyDate = m.studyDate;
  info.modality = m.modality;
  info.viewPosition = m.viewPosition;
  info.transferSyntaxUid = m.transferSyntaxUid;
  info.bitsStored = m.bitsStored;
  info.pixelSpacingRow = m.pixelSpacingRow;
  info.pixelSpacingColumn = m.pixelSpacingColumn;
  info.sopInstanceUid = m.sopInstanceUid;
  info.imagerPixelSpacingRow = m.imagerPixelSpacingRow;
  info.imagerPixelSpacingColumn = m.imagerPixelSpacingColumn;
  info.spacingSource = m.pixelSpacingRow <= 0 ? SpacingSource::None
                              : m.pixelSpacingFromImager ? SpacingSource::ImagerPixelSpacing
                                                         : SpacingSource::PixelSpacing;
  return image;
}

GreyPixels ImageLoader::thumbnail(const QString& file) const {
  const engine::DicomImage decoded = decode(vault_.get(), file);
  return {decoded.width, decoded.height, engine::renderWindowed(decoded, decoded.defaultWindow)};
}

}  // namespace fedmrg::app

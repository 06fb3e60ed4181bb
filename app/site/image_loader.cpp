#include "app/site/image_loader.h"

#include "engine/imaging/dicom_image.h"

namespace fedmrg::app {

std::shared_ptr<const DisplayImage> ImageLoader::load(const QString& file) const {
  engine::DicomImage decoded = engine::readDicomImage(file.toStdString());
  auto image = std::make_shared<DisplayImage>();
  image->width = decoded.width;
  image->height = decoded.height;
  image->values = std::move(decoded.values);  // the pixels are the bulk: moved, not copied
  image->defaultWindow = {decoded.defaultWindow.center, decoded.defaultWindow.width};
  image->invert = decoded.invert;
  const engine::DicomMetadata& m = decoded.meta;
  image->info = {m.patientName, m.patientId,    m.patientSex,        m.patientAge,   m.studyDescription,
                 m.studyDate,   m.modality,     m.viewPosition,      m.transferSyntaxUid, m.bitsStored,
                 m.pixelSpacingRow, m.pixelSpacingColumn};
  return image;
}

GreyPixels ImageLoader::thumbnail(const QString& file) const {
  const engine::DicomImage decoded = engine::readDicomImage(file.toStdString());
  return {decoded.width, decoded.height, engine::renderWindowed(decoded, decoded.defaultWindow)};
}

}  // namespace fedmrg::app

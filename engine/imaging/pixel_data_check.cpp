#include "engine/imaging/pixel_data_check.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "engine/imaging/codestream_header.h"

namespace fedmrg::engine {
namespace {

std::string sizeText(const PixelLayout& l) {
  std::string s =
      std::to_string(l.columns) + " × " + std::to_string(l.rows) + " " + std::to_string(l.bitsAllocated) + "-bit";
  if (l.samplesPerPixel != 1) s += " colour";
  s += " image";
  if (l.frames > 1) s += " of " + std::to_string(l.frames) + " frames";
  return s;
}

// Native size of all frames; 1-bit data (segmentations) is packed, so round the bits up to bytes.
uint64_t pixelDataBytes(const PixelLayout& l) {
  const uint64_t bits = uint64_t(l.rows) * uint64_t(l.columns) * uint64_t(l.samplesPerPixel) *
                        uint64_t(l.bitsAllocated) * uint64_t(l.frames);
  return (bits + 7) / 8;
}

PixelEncoding encodingOf(const std::string& uid, const std::string& path) {
  const std::string jpeg = "1.2.840.10008.1.2.4.";
  if (uid == "1.2.840.10008.1.2.5") return PixelEncoding::Rle;
  if (uid.rfind(jpeg, 0) == 0) {
    const std::string n = uid.substr(jpeg.size());
    if (n == "90" || n == "91") return PixelEncoding::Jpeg2000;
    if (n == "80" || n == "81") return PixelEncoding::JpegLs;
    if (n == "50" || n == "51" || n == "57" || n == "70") return PixelEncoding::Jpeg;
  }
  throw DicomError(path + ": the image is compressed in a format this program does not read (transfer syntax " + uid +
                   ")");
}

// Sample layout: values the header must hold before any byte count means anything.
PixelLayout readLayout(DcmDataset& ds, const std::string& path, const DecodeLimits& limits) {
  PixelLayout l;
  Uint16 u = 0;
  auto need = [&](const DcmTagKey& tag, const char* name) {
    if (ds.findAndGetUint16(tag, u).bad()) throw DicomError(path + ": the header has no " + name);
    return int(u);
  };
  l.rows = need(DCM_Rows, "Rows");
  l.columns = need(DCM_Columns, "Columns");
  l.bitsAllocated = need(DCM_BitsAllocated, "Bits Allocated");
  l.bitsStored = ds.findAndGetUint16(DCM_BitsStored, u).good() ? int(u) : l.bitsAllocated;
  l.samplesPerPixel = ds.findAndGetUint16(DCM_SamplesPerPixel, u).good() ? int(u) : 1;
  OFString pi;
  if (ds.findAndGetOFString(DCM_PhotometricInterpretation, pi).good()) l.photometric = pi.c_str();
  Sint32 frames = 1;
  if (ds.tagExistsWithValue(DCM_NumberOfFrames) && ds.findAndGetSint32(DCM_NumberOfFrames, frames).good()) {
    if (frames < 1) throw DicomError(path + ": the header announces " + std::to_string(frames) + " frames");
    l.frames = int(frames);
  }

  if (l.rows < 1 || l.columns < 1)
    throw DicomError(path + ": the header announces an empty image (" + std::to_string(l.columns) + " × " +
                     std::to_string(l.rows) + ")");
  if (l.rows > limits.maxSide || l.columns > limits.maxSide)
    throw DicomError(path + ": the header announces a " + std::to_string(l.columns) + " × " + std::to_string(l.rows) +
                     " image, larger than the " + std::to_string(limits.maxSide) +
                     " pixels a side this program decodes");
  if (l.bitsAllocated != 1 && l.bitsAllocated != 8 && l.bitsAllocated != 16 && l.bitsAllocated != 32)
    throw DicomError(path + ": the header announces " + std::to_string(l.bitsAllocated) +
                     " bits per pixel (Bits Allocated), which no radiograph uses");
  if (l.bitsStored < 1 || l.bitsStored > l.bitsAllocated)
    throw DicomError(path + ": the header announces " + std::to_string(l.bitsStored) + " stored bits in " +
                     std::to_string(l.bitsAllocated) + "-bit pixels");
  const bool mono = l.photometric == "MONOCHROME1" || l.photometric == "MONOCHROME2";
  const bool palette = l.photometric == "PALETTE COLOR";
  const bool colour = l.photometric == "RGB" || l.photometric.rfind("YBR_", 0) == 0;
  if (!mono && !palette && !colour)
    throw DicomError(path + ": the header announces an unknown photometric interpretation \"" + l.photometric + "\"");
  if ((mono || palette) != (l.samplesPerPixel == 1) || (colour && l.samplesPerPixel != 3))
    throw DicomError(path + ": the photometric interpretation " + l.photometric + " does not fit " +
                     std::to_string(l.samplesPerPixel) + " samples per pixel");
  if (l.frames > limits.maxFrames)
    throw DicomError(path + ": the header announces " + std::to_string(l.frames) + " frames, more than the " +
                     std::to_string(limits.maxFrames) + " this program decodes");
  const uint64_t bytes = pixelDataBytes(l);
  if (bytes > limits.maxDecodedBytes)
    throw DicomError(path + ": the " + sizeText(l) + " would need " + groupedNumber(bytes >> 20) +
                     " MB decoded, more than the " + groupedNumber(limits.maxDecodedBytes >> 20) + " MB allowed");
  return l;
}

DcmPixelSequence* fragments(DcmDataset& ds, const std::string& path) {
  DcmElement* el = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, el).bad() || !el) throw DicomError(path + ": the file has no pixel data");
  DcmPixelSequence* seq = nullptr;
  if (static_cast<DcmPixelData*>(el)->getEncapsulatedRepresentation(ds.getOriginalXfer(), nullptr, seq).bad() || !seq)
    throw DicomError(path + ": the compressed pixel data is missing (no fragments)");
  return seq;
}

}  // namespace

std::string groupedNumber(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return s;
}

std::vector<uint8_t> firstFrameBytes(DcmDataset& ds, const std::string& path) {
  DcmPixelSequence* seq = fragments(ds, path);
  // Item 0 is the offset table; a single-frame image is every fragment after it, a multi-frame
  // image without a table one fragment per frame (PS3.5 A.4), so its first frame is item 1.
  Sint32 frames = 1;
  ds.findAndGetSint32(DCM_NumberOfFrames, frames);
  const unsigned long last = frames > 1 ? std::min<unsigned long>(2, seq->card()) : seq->card();
  std::vector<uint8_t> out;
  for (unsigned long i = 1; i < last; ++i) {
    DcmPixelItem* item = nullptr;
    Uint8* frag = nullptr;
    if (seq->getItem(item, i).bad() || !item || item->getLength() == 0 || item->getUint8Array(frag).bad() || !frag)
      throw DicomError(path + ": fragment " + std::to_string(i) + " of the compressed pixel data is empty");
    out.insert(out.end(), frag, frag + item->getLength());
  }
  if (out.empty()) throw DicomError(path + ": the compressed pixel data is empty");
  return out;
}

PixelLayout checkPixelData(DcmDataset& ds, const std::string& path, const DecodeLimits& limits) {
  if (!ds.tagExists(DCM_PixelData)) throw DicomError(path + ": the file has no pixel data");
  PixelLayout l = readLayout(ds, path, limits);
  const DcmXfer xfer(ds.getOriginalXfer());
  if (!xfer.isEncapsulated()) {
    DcmElement* el = nullptr;
    ds.findAndGetElement(DCM_PixelData, el);
    const uint64_t need = pixelDataBytes(l);
    // The value length the file declares; DCMTK would pad a short value with zeros.
    const uint64_t have = el ? el->getLength() : 0;
    if (have < need)
      throw DicomError(path + ": pixel data is " + groupedNumber(need - have) + " bytes shorter than its " +
                       sizeText(l) + " needs");
    // Longer than the even-padded size: the header's size or frame count is wrong (a 1-row "image" cut from a
    // radiograph's data, say), so the pixels would be read with the wrong layout.
    if (have > need + (need & 1))
      throw DicomError(path + ": pixel data is " + groupedNumber(have - need) + " bytes longer than its " +
                       sizeText(l) + " needs: the header does not describe it");
    return l;
  }
  l.encoding = encodingOf(xfer.getXferID(), path);
  DcmPixelSequence* seq = fragments(ds, path);
  if (seq->card() < 2) throw DicomError(path + ": the compressed pixel data has no fragments");
  if (seq->card() - 1 < unsigned(l.frames))
    throw DicomError(path + ": the compressed pixel data has " + std::to_string(seq->card() - 1) + " fragments for " +
                     std::to_string(l.frames) + " frames");
  for (unsigned long i = 1; i < seq->card(); ++i) {
    DcmPixelItem* item = nullptr;
    if (seq->getItem(item, i).bad() || !item || item->getLength() == 0)
      throw DicomError(path + ": fragment " + std::to_string(i) + " of the compressed pixel data is empty");
  }
  const std::vector<uint8_t> frame = firstFrameBytes(ds, path);
  const ExpectedFrame e{l.rows, l.columns, l.samplesPerPixel, l.bitsAllocated};
  std::string why;
  switch (l.encoding) {
    case PixelEncoding::Jpeg:
    case PixelEncoding::JpegLs: why = checkJpegFrame(frame.data(), frame.size(), e); break;
    case PixelEncoding::Jpeg2000: why = checkJpeg2000Frame(frame.data(), frame.size(), e); break;
    case PixelEncoding::Rle: why = checkRleFrame(frame.data(), frame.size(), e); break;
    case PixelEncoding::Native: break;
  }
  if (!why.empty()) throw DicomError(path + ": " + why);
  return l;
}

}  // namespace fedmrg::engine

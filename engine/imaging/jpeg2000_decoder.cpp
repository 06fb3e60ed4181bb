#include "engine/imaging/jpeg2000_decoder.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <cstring>
#include <vector>

#include "engine/imaging/dicom_image.h"

#ifdef FEDMRG_HAVE_OPENJPEG
#include <openjpeg.h>
#endif

namespace fedmrg::engine {

bool isJpeg2000TransferSyntax(const std::string& uid) {
  return uid == "1.2.840.10008.1.2.4.90" || uid == "1.2.840.10008.1.2.4.91";
}

#ifdef FEDMRG_HAVE_OPENJPEG
namespace {

struct MemoryStream {
  const uint8_t* data;
  size_t size;
  size_t pos;
};

OPJ_SIZE_T readFn(void* buffer, OPJ_SIZE_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (s->pos >= s->size) return OPJ_SIZE_T(-1);
  const size_t k = std::min(n, s->size - s->pos);
  std::memcpy(buffer, s->data + s->pos, k);
  s->pos += k;
  return k;
}
OPJ_OFF_T skipFn(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  const OPJ_OFF_T k = std::max<OPJ_OFF_T>(-OPJ_OFF_T(s->pos), std::min<OPJ_OFF_T>(n, OPJ_OFF_T(s->size - s->pos)));
  s->pos = size_t(OPJ_OFF_T(s->pos) + k);
  return k;
}
OPJ_BOOL seekFn(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (n < 0 || size_t(n) > s->size) return OPJ_FALSE;
  s->pos = size_t(n);
  return OPJ_TRUE;
}

// Concatenates the fragments of the first frame (all items after the offset table for a
// single-frame image, which is what radiographs are).
std::vector<uint8_t> firstFrameCodestream(DcmDataset& ds, const std::string& path) {
  DcmElement* el = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, el).bad() || !el) throw DicomError(path + ": no pixel data");
  auto* pixelData = static_cast<DcmPixelData*>(el);
  DcmPixelSequence* seq = nullptr;
  if (pixelData->getEncapsulatedRepresentation(ds.getOriginalXfer(), nullptr, seq).bad() || !seq)
    throw DicomError(path + ": JPEG 2000 pixel data is not encapsulated");
  std::vector<uint8_t> out;
  for (unsigned long i = 1; i < seq->card(); ++i) {
    DcmPixelItem* item = nullptr;
    if (seq->getItem(item, i).bad() || !item) continue;
    Uint8* frag = nullptr;
    if (item->getUint8Array(frag).bad() || !frag) continue;
    out.insert(out.end(), frag, frag + item->getLength());
  }
  if (out.size() < 4) throw DicomError(path + ": JPEG 2000 pixel data is empty");
  return out;
}

}  // namespace

void decodeJpeg2000InPlace(DcmDataset& ds, const std::string& path) {
  std::vector<uint8_t> code = firstFrameCodestream(ds, path);
  // A raw codestream starts with SOC (FF 4F); otherwise it is a JP2 file.
  const bool raw = code[0] == 0xFF && code[1] == 0x4F;
  opj_codec_t* codec = opj_create_decompress(raw ? OPJ_CODEC_J2K : OPJ_CODEC_JP2);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters(&params);
  MemoryStream ms{code.data(), code.size(), 0};
  opj_stream_t* stream = opj_stream_create(1 << 16, OPJ_TRUE);
  opj_stream_set_user_data(stream, &ms, nullptr);
  opj_stream_set_user_data_length(stream, code.size());
  opj_stream_set_read_function(stream, readFn);
  opj_stream_set_skip_function(stream, skipFn);
  opj_stream_set_seek_function(stream, seekFn);
  opj_image_t* image = nullptr;
  const bool ok = opj_setup_decoder(codec, &params) && opj_read_header(stream, codec, &image) &&
                  opj_decode(codec, stream, image) && opj_end_decompress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  if (!ok || !image || image->numcomps < 1) {
    if (image) opj_image_destroy(image);
    throw DicomError(path + ": cannot decode the JPEG 2000 stream (corrupt or truncated)");
  }
  const opj_image_comp_t& c = image->comps[0];
  const size_t n = size_t(c.w) * size_t(c.h);
  Uint16 rows = 0, cols = 0, bitsAllocated = 16;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
  if (c.w != cols || c.h != rows) {
    opj_image_destroy(image);
    throw DicomError(path + ": JPEG 2000 image size does not match Rows and Columns");
  }
  ds.findAndDeleteElement(DCM_PixelData);
  if (bitsAllocated <= 8) {
    std::vector<Uint8> px(n);
    for (size_t i = 0; i < n; ++i) px[i] = Uint8(c.data[i]);
    ds.putAndInsertUint8Array(DCM_PixelData, px.data(), (unsigned long)n);
  } else {
    std::vector<Uint16> px(n);
    for (size_t i = 0; i < n; ++i) px[i] = Uint16(c.data[i]);  // two's complement keeps signed data
    ds.putAndInsertUint16Array(DCM_PixelData, px.data(), (unsigned long)n);
  }
  opj_image_destroy(image);
  // The native data is now what the dataset holds.
  ds.removeAllButCurrentRepresentations();
}

#else

void decodeJpeg2000InPlace(DcmDataset&, const std::string& path) {
  throw DicomError(path + ": JPEG 2000 is not supported by this build (OpenJPEG was not found)");
}

#endif

}  // namespace fedmrg::engine

#include "engine/imaging/jpeg2000_encoder.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "engine/imaging/dicom_image.h"
#include "engine/imaging/pixel_data_check.h"

#ifdef FEDMRG_HAVE_OPENJPEG
#include <openjpeg.h>
#endif

namespace fedmrg::engine {

#ifdef FEDMRG_HAVE_OPENJPEG
namespace {

struct Sink {
  std::vector<uint8_t> bytes;
  size_t pos = 0;
};
OPJ_SIZE_T writeFn(void* buf, OPJ_SIZE_T n, void* user) {
  auto* s = static_cast<Sink*>(user);
  if (s->pos + n > s->bytes.size()) s->bytes.resize(s->pos + n);
  std::memcpy(s->bytes.data() + s->pos, buf, n);
  s->pos += n;
  return n;
}
OPJ_OFF_T skipFn(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<Sink*>(user);
  s->pos += size_t(n);
  if (s->pos > s->bytes.size()) s->bytes.resize(s->pos);
  return n;
}
OPJ_BOOL seekFn(OPJ_OFF_T n, void* user) {
  static_cast<Sink*>(user)->pos = size_t(n);
  return OPJ_TRUE;
}

std::vector<uint8_t> encode(const std::vector<int>& samples, int width, int height, int precision, bool lossless,
                            int levels) {
  opj_image_cmptparm_t cp{};
  cp.dx = cp.dy = 1;
  cp.w = OPJ_UINT32(width);
  cp.h = OPJ_UINT32(height);
  cp.prec = OPJ_UINT32(precision);
  opj_image_t* image = opj_image_create(1, &cp, OPJ_CLRSPC_GRAY);
  image->x1 = OPJ_UINT32(width);
  image->y1 = OPJ_UINT32(height);
  std::copy(samples.begin(), samples.end(), image->comps[0].data);
  opj_cparameters_t params;
  opj_set_default_encoder_parameters(&params);
  params.tcp_numlayers = 1;
  params.tcp_rates[0] = lossless ? 0 : 10;
  params.irreversible = lossless ? 0 : 1;
  params.cp_disto_alloc = 1;
  // OpenJPEG needs 2^(levels - 1) <= the smaller side: fewer levels for small images.
  while (levels > 1 && (1 << (levels - 1)) > std::min(width, height)) --levels;
  params.numresolution = levels;
  opj_codec_t* codec = opj_create_compress(OPJ_CODEC_J2K);
  Sink sink;
  opj_stream_t* stream = opj_stream_create(1 << 16, OPJ_FALSE);
  opj_stream_set_user_data(stream, &sink, nullptr);
  opj_stream_set_write_function(stream, writeFn);
  opj_stream_set_skip_function(stream, skipFn);
  opj_stream_set_seek_function(stream, seekFn);
  const bool ok = opj_setup_encoder(codec, &params, image) && opj_start_compress(codec, image, stream) &&
                  opj_encode(codec, stream) && opj_end_compress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  opj_image_destroy(image);
  if (!ok) sink.bytes.clear();
  return sink.bytes;
}

}  // namespace

bool haveJpeg2000Encoder() { return true; }

void writeJpeg2000Copy(const std::string& input, const std::string& output, bool lossless, int resolutionLevels) {
  DcmFileFormat file;
  if (file.loadFile(input.c_str()).bad()) throw DicomError(input + ": cannot read DICOM");
  DcmDataset& ds = *file.getDataset();
  registerDicomCodecs();
  // Compressed input (a JPEG lossless synthetic site) is decompressed first.
  if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad())
    throw DicomError(input + ": cannot decompress the pixel data");
  ds.updateOriginalXfer();
  PixelLayout l = checkPixelData(ds, input, DecodeLimits{});
  if (l.encoding != PixelEncoding::Native || l.samplesPerPixel != 1 || l.bitsAllocated < 8 || l.bitsAllocated > 16)
    throw DicomError(input + ": only native 8- or 16-bit monochrome images can be re-encoded as JPEG 2000");
  const size_t n = size_t(l.rows) * size_t(l.columns);
  std::vector<int> samples(n);
  if (l.bitsAllocated == 8) {
    const Uint8* p = nullptr;
    if (ds.findAndGetUint8Array(DCM_PixelData, p).bad() || !p) throw DicomError(input + ": cannot read the pixel data");
    for (size_t i = 0; i < n; ++i) samples[i] = p[i];
  } else {
    const Uint16* p = nullptr;
    if (ds.findAndGetUint16Array(DCM_PixelData, p).bad() || !p)
      throw DicomError(input + ": cannot read the pixel data");
    for (size_t i = 0; i < n; ++i) samples[i] = p[i];
  }
  std::vector<uint8_t> code = encode(samples, l.columns, l.rows, l.bitsStored, lossless, resolutionLevels);
  if (code.empty()) throw DicomError(output + ": OpenJPEG could not encode the image");
  if (code.size() % 2) code.push_back(0);  // fragments have even length
  auto* seq = new DcmPixelSequence(DCM_PixelSequenceTag);
  seq->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty basic offset table
  DcmOffsetList offsets;
  if (seq->storeCompressedFrame(offsets, code.data(), Uint32(code.size()), 0).bad()) {
    delete seq;
    throw DicomError(output + ": cannot store the JPEG 2000 frame");
  }
  const E_TransferSyntax xfer = lossless ? EXS_JPEG2000LosslessOnly : EXS_JPEG2000;
  auto* pd = new DcmPixelData(DCM_PixelData);
  pd->putOriginalRepresentation(xfer, nullptr, seq);
  ds.findAndDeleteElement(DCM_PixelData);
  ds.insert(pd, true);
  ds.putAndInsertString(DCM_NumberOfFrames, "1");
  if (!lossless) ds.putAndInsertString(DCM_LossyImageCompression, "01");
  if (file.saveFile(output.c_str(), xfer).bad()) throw DicomError(output + ": cannot write DICOM");
}

#else

bool haveJpeg2000Encoder() { return false; }

void writeJpeg2000Copy(const std::string&, const std::string& output, bool, int) {
  throw DicomError(output + ": JPEG 2000 is not supported by this build (OpenJPEG was not found)");
}

#endif

}  // namespace fedmrg::engine

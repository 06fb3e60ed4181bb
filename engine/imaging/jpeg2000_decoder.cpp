#include "engine/imaging/jpeg2000_decoder.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "engine/imaging/codestream_header.h"
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

// OpenJPEG reports damage as warnings and decodes what it can (a garbled stream gives a partial image):
// any message at warning level or above fails the decode.
void flagMessage(const char*, void* user) { *static_cast<bool*>(user) = true; }
void ignoreMessage(const char*, void*) {}

// The resolution levels to drop so that both sides stay >= minSide.
int reductionFor(const std::vector<uint8_t>& code, int minSide) {
  Jpeg2000Size s;
  if (minSide <= 0 || !readJpeg2000Size(code.data(), code.size(), s)) return 0;
  int r = 0;
  while (r + 1 < s.resolutionLevels && ((s.width + (2 << r) - 1) >> (r + 1)) >= minSide &&
         ((s.height + (2 << r) - 1) >> (r + 1)) >= minSide)
    ++r;
  return r;
}

}  // namespace

int decodeJpeg2000InPlace(DcmDataset& ds, const std::string& path, const PixelLayout& layout, int minSide,
                          int threads) {
  std::vector<uint8_t> code = firstFrameBytes(ds, path);  // its header was checked by checkPixelData
  const int reduction = reductionFor(code, minSide);
  // A raw codestream starts with SOC (FF 4F); otherwise it is a JP2 file.
  const bool raw = code.size() >= 2 && code[0] == 0xFF && code[1] == 0x4F;
  opj_codec_t* codec = opj_create_decompress(raw ? OPJ_CODEC_J2K : OPJ_CODEC_JP2);
  bool damaged = false;
  opj_set_warning_handler(codec, flagMessage, &damaged);
  opj_set_error_handler(codec, flagMessage, &damaged);
  opj_set_info_handler(codec, ignoreMessage, nullptr);
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
  const int nThreads = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
  bool ok = opj_setup_decoder(codec, &params) && opj_read_header(stream, codec, &image);
  if (ok && opj_has_thread_support()) opj_codec_set_threads(codec, nThreads);
  ok = ok && (reduction == 0 || opj_set_decoded_resolution_factor(codec, OPJ_UINT32(reduction)));
  ok = ok && opj_decode(codec, stream, image) && opj_end_decompress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  const int wantW = (layout.columns + (1 << reduction) - 1) >> reduction;
  const int wantH = (layout.rows + (1 << reduction) - 1) >> reduction;
  std::string why;
  if (!ok || damaged || !image) why = "the JPEG 2000 data is damaged and cannot be decoded";
  else if (int(image->numcomps) < layout.samplesPerPixel)
    why = "the JPEG 2000 data holds fewer colour components than the header announces";
  else
    for (int k = 0; k < layout.samplesPerPixel && why.empty(); ++k)
      if (std::abs(int(image->comps[k].w) - wantW) > (reduction ? 1 : 0) ||
          std::abs(int(image->comps[k].h) - wantH) > (reduction ? 1 : 0) || !image->comps[k].data)
        why = "the JPEG 2000 image size does not match the header's Rows and Columns";
  if (!why.empty()) {
    if (image) opj_image_destroy(image);
    throw DicomError(path + ": " + why);
  }
  const int w = int(image->comps[0].w), h = int(image->comps[0].h), spp = layout.samplesPerPixel;
  const size_t n = size_t(w) * size_t(h);
  ds.findAndDeleteElement(DCM_PixelData);
  // Interleaved samples (colour-by-pixel), as native data with Planar Configuration 0.
  auto sample = [&](size_t i, int k) { return image->comps[k].data[i]; };
  if (layout.bitsAllocated <= 8) {
    std::vector<Uint8> px(n * size_t(spp));
    for (size_t i = 0; i < n; ++i)
      for (int k = 0; k < spp; ++k) px[i * spp + k] = Uint8(sample(i, k));
    ds.putAndInsertUint8Array(DCM_PixelData, px.data(), (unsigned long)px.size());
  } else {
    std::vector<Uint16> px(n * size_t(spp));
    for (size_t i = 0; i < n; ++i)
      for (int k = 0; k < spp; ++k) px[i * spp + k] = Uint16(sample(i, k));  // two's complement keeps signed data
    ds.putAndInsertUint16Array(DCM_PixelData, px.data(), (unsigned long)px.size());
  }
  opj_image_destroy(image);
  ds.putAndInsertUint16(DCM_Rows, Uint16(h));
  ds.putAndInsertUint16(DCM_Columns, Uint16(w));
  ds.putAndInsertString(DCM_NumberOfFrames, "1");  // the first frame is the one decoded
  if (spp == 3) {
    // OpenJPEG undid the component transform (YBR_ICT/YBR_RCT): the samples are RGB now.
    ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB");
    ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  }
  // The native data is now what the dataset holds.
  ds.removeAllButCurrentRepresentations();
  return reduction;
}

#else

int decodeJpeg2000InPlace(DcmDataset&, const std::string& path, const PixelLayout&, int, int) {
  throw DicomError(path + ": JPEG 2000 is not supported by this build (OpenJPEG was not found)");
}

#endif

}  // namespace fedmrg::engine

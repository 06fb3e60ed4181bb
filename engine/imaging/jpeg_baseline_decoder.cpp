#include "engine/imaging/jpeg_baseline_decoder.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>

#include <csetjmp>
#include <cstdio>
#include <vector>

#include "engine/imaging/dicom_image.h"

#ifdef FEDMRG_HAVE_LIBJPEG
#include <jerror.h>
#include <jpeglib.h>
#endif

namespace fedmrg::engine {

#ifdef FEDMRG_HAVE_LIBJPEG
namespace {

// libjpeg reports errors through error_exit, which must not return (its default calls exit()), and damage
// it can skip (corrupt entropy data, a premature end padded with a fake EOI) as warnings through
// emit_message(-1). Both jump back to the decode with the message code kept.
struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  // Written in the callbacks, read after the jump: volatile, so that no stale register copy is read.
  volatile int code = 0;
  volatile bool warning = false;
};

[[noreturn]] void onError(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<ErrorManager*>(cinfo->err);
  e->code = cinfo->err->msg_code;
  std::longjmp(e->jump, 1);
}

void onMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  auto* e = reinterpret_cast<ErrorManager*>(cinfo->err);
  e->code = cinfo->err->msg_code;
  e->warning = true;
  std::longjmp(e->jump, 1);
}

void quiet(j_common_ptr) {}

// The largest power-of-two reduction (at most 8, libjpeg's smallest DCT scale) with both sides >= minSide.
int reductionFor(int width, int height, int minSide) {
  int r = 0;
  while (r < 3 && ((width + (2 << r) - 1) >> (r + 1)) >= minSide && ((height + (2 << r) - 1) >> (r + 1)) >= minSide)
    ++r;
  return r;
}

enum class Outcome { Decoded, Unsupported, Damaged, WrongSize };

// The C part: no C++ object is created between setjmp and a longjmp back to it, so none is skipped.
// `out` is sized by the caller's reserve and resized only before any libjpeg call that can jump.
Outcome decodeScaled(const std::vector<uint8_t>& code, const PixelLayout& layout, int reduction,
                     std::vector<uint8_t>& out, int& width, int& height) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.base);
  err.base.error_exit = onError;
  err.base.emit_message = onMessage;
  err.base.output_message = quiet;
  jpeg_create_decompress(&cinfo);
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    // A process or precision this build of libjpeg does not decode (lossless, 12-bit): DCMTK's turn.
    if (!err.warning && (err.code == JERR_SOF_UNSUPPORTED || err.code == JERR_BAD_PRECISION ||
                         err.code == JERR_NOT_COMPILED || err.code == JERR_ARITH_NOTIMPL))
      return Outcome::Unsupported;
    return Outcome::Damaged;
  }
  jpeg_mem_src(&cinfo, code.data(), static_cast<unsigned long>(code.size()));
  jpeg_read_header(&cinfo, TRUE);
  // Checked again on what libjpeg read (checkPixelData parsed the same header): nothing is allocated
  // for an image of another size than the DICOM header's.
  if (int(cinfo.image_width) != layout.columns || int(cinfo.image_height) != layout.rows || cinfo.num_components != 1 ||
      cinfo.data_precision != 8) {
    jpeg_destroy_decompress(&cinfo);
    return Outcome::WrongSize;
  }
  cinfo.out_color_space = JCS_GRAYSCALE;
  cinfo.scale_num = 1;
  cinfo.scale_denom = 1u << reduction;
  cinfo.dct_method = JDCT_ISLOW;  // as accurate as DCMTK's default
  cinfo.do_fancy_upsampling = FALSE;
  jpeg_calc_output_dimensions(&cinfo);
  width = int(cinfo.output_width);
  height = int(cinfo.output_height);
  out.resize(size_t(width) * size_t(height));  // at most the header's size, already within the limits
  jpeg_start_decompress(&cinfo);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out.data() + size_t(cinfo.output_scanline) * size_t(width);
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return Outcome::Decoded;
}

}  // namespace

std::optional<int> decodeJpegScaledInPlace(DcmDataset& ds, const std::string& path, const std::string& uid,
                                           const PixelLayout& layout, int minSide) {
  const bool eightBitJpeg = uid == "1.2.840.10008.1.2.4.50" || uid == "1.2.840.10008.1.2.4.51";
  if (!eightBitJpeg || minSide <= 0 || layout.samplesPerPixel != 1 || layout.bitsAllocated != 8) return std::nullopt;
  const int reduction = reductionFor(layout.columns, layout.rows, minSide);
  if (reduction == 0) return std::nullopt;  // no smaller scale fits: DCMTK decodes the full image as always
  const std::vector<uint8_t> code = firstFrameBytes(ds, path);  // its header was checked by checkPixelData
  std::vector<uint8_t> px;
  int width = 0, height = 0;
  switch (decodeScaled(code, layout, reduction, px, width, height)) {
    case Outcome::Unsupported: return std::nullopt;
    case Outcome::Damaged: throw DicomError(path + ": the JPEG data is damaged and cannot be decoded");
    case Outcome::WrongSize:
      throw DicomError(path + ": the JPEG image does not match the header's Rows, Columns and 8-bit samples");
    case Outcome::Decoded: break;
  }
  ds.findAndDeleteElement(DCM_PixelData);
  ds.putAndInsertUint8Array(DCM_PixelData, px.data(), (unsigned long)px.size());
  ds.putAndInsertUint16(DCM_Rows, Uint16(height));
  ds.putAndInsertUint16(DCM_Columns, Uint16(width));
  ds.putAndInsertString(DCM_NumberOfFrames, "1");  // the first frame is the one decoded
  // The native data is now what the dataset holds.
  ds.removeAllButCurrentRepresentations();
  return reduction;
}

#else

std::optional<int> decodeJpegScaledInPlace(DcmDataset&, const std::string&, const std::string&, const PixelLayout&,
                                           int) {
  return std::nullopt;  // no libjpeg-turbo in this build: DCMTK decodes every JPEG at full size
}

#endif

}  // namespace fedmrg::engine

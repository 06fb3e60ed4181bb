// JPEG 2000 DICOM files (which DCMTK 3.6.7 cannot decode) open through OpenJPEG: the test encodes
// a 16-bit image losslessly, wraps it as encapsulated pixel data, and reads it back exactly.
#include <QtTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "engine/imaging/dicom_image.h"

#if __has_include(<openjpeg.h>)
#include <openjpeg.h>
#define HAVE_OPENJPEG_HEADERS 1
#endif

using namespace fedmrg::engine;

namespace {

constexpr int kW = 40, kH = 30;
Uint16 stored(int x, int y) { return Uint16((x * 97 + y * 131) % 4096); }

#ifdef HAVE_OPENJPEG_HEADERS
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

std::vector<uint8_t> encodeLosslessJ2k() {
  opj_image_cmptparm_t cp{};
  cp.dx = cp.dy = 1;
  cp.w = kW;
  cp.h = kH;
  cp.prec = 12;
  cp.sgnd = 0;
  opj_image_t* image = opj_image_create(1, &cp, OPJ_CLRSPC_GRAY);
  image->x1 = kW;
  image->y1 = kH;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) image->comps[0].data[y * kW + x] = stored(x, y);
  opj_cparameters_t params;
  opj_set_default_encoder_parameters(&params);
  params.tcp_numlayers = 1;
  params.tcp_rates[0] = 0;  // lossless
  params.cp_disto_alloc = 1;
  params.numresolution = 3;
  opj_codec_t* codec = opj_create_compress(OPJ_CODEC_J2K);
  opj_setup_encoder(codec, &params, image);
  Sink sink;
  opj_stream_t* stream = opj_stream_create(1 << 16, OPJ_FALSE);
  opj_stream_set_user_data(stream, &sink, nullptr);
  opj_stream_set_write_function(stream, writeFn);
  opj_stream_set_skip_function(stream, skipFn);
  opj_stream_set_seek_function(stream, seekFn);
  const bool ok = opj_start_compress(codec, image, stream) && opj_encode(codec, stream) &&
                  opj_end_compress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  opj_image_destroy(image);
  if (!ok) return {};
  return sink.bytes;
}
#endif

void writeEncapsulated(const QString& path, std::vector<uint8_t> code) {
  if (code.size() % 2) code.push_back(0);  // fragments have even length
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  char uid[100];
  ds->putAndInsertString(DCM_SOPClassUID, UID_DigitalXRayImageStorageForPresentation);
  ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  ds->putAndInsertString(DCM_Modality, "DX");
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertUint16(DCM_Rows, kH);
  ds->putAndInsertUint16(DCM_Columns, kW);
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 12);
  ds->putAndInsertUint16(DCM_HighBit, 11);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  auto* seq = new DcmPixelSequence(DCM_PixelSequenceTag);
  seq->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty basic offset table
  DcmOffsetList offsets;
  QVERIFY(seq->storeCompressedFrame(offsets, code.data(), Uint32(code.size()), 0).good());
  auto* pd = new DcmPixelData(DCM_PixelData);
  pd->putOriginalRepresentation(EXS_JPEG2000LosslessOnly, nullptr, seq);
  QVERIFY(ds->insert(pd, true).good());
  QVERIFY(file.saveFile(path.toStdString().c_str(), EXS_JPEG2000LosslessOnly).good());
}

}  // namespace

class TestJpeg2000 : public QObject {
  Q_OBJECT
 private slots:
  void losslessJpeg2000DecodesExactly() {
#ifndef HAVE_OPENJPEG_HEADERS
    QSKIP("OpenJPEG headers are not installed (apt: libopenjp2-7-dev)");
#else
    QTemporaryDir dir;
    const std::vector<uint8_t> code = encodeLosslessJ2k();
    QVERIFY(!code.empty());
    const QString path = dir.filePath("j2k.dcm");
    writeEncapsulated(path, code);
    const DicomImage img = readDicomImage(path.toStdString());
    QCOMPARE(img.meta.transferSyntaxUid, std::string("1.2.840.10008.1.2.4.90"));
    QCOMPARE(img.width, kW);
    QCOMPARE(img.height, kH);
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x) QCOMPARE(img.values[size_t(y) * kW + x], float(stored(x, y)));
    QVERIFY(!img.invert);
    QVERIFY(!img.windowFromFile);  // none in the file: a percentile window is derived
    QVERIFY(img.defaultWindow.width > 1000);
#endif
  }

  void corruptJpeg2000StreamGivesAClearError() {
#ifndef HAVE_OPENJPEG_HEADERS
    QSKIP("OpenJPEG headers are not installed (apt: libopenjp2-7-dev)");
#else
    QTemporaryDir dir;
    std::vector<uint8_t> code = encodeLosslessJ2k();
    code.resize(code.size() / 3);  // truncated codestream
    const QString path = dir.filePath("broken-j2k.dcm");
    writeEncapsulated(path, code);
    try {
      readDicomImage(path.toStdString());
      QFAIL("decoded a truncated JPEG 2000 stream");
    } catch (const DicomError& e) {
      QVERIFY2(QString(e.what()).contains("broken-j2k.dcm"), e.what());
      QVERIFY2(QString(e.what()).contains("JPEG 2000"), e.what());
    }
#endif
  }
};

QTEST_APPLESS_MAIN(TestJpeg2000)
#include "tst_jpeg2000.moc"

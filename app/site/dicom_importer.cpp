#include "app/site/dicom_importer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <openssl/crypto.h>

#include "app/site/dicom_uid.h"
#include "app/site/site.h"
#include "engine/imaging/dicom_image.h"
#include "engine/imaging/dicom_memory.h"

namespace fedmrg::app {
namespace {

bool isDicomDir(const QFileInfo& info) { return info.fileName().compare(QLatin1String("DICOMDIR"), Qt::CaseInsensitive) == 0; }

// Part 10 files carry "DICM" after a 128-byte preamble; old files without it may still be DICOM.
bool hasDicomPreamble(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly) || !f.seek(128)) return false;
  return f.read(4) == "DICM";
}

QByteArray readSource(const QString& file) {
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly))
    throw engine::DicomError(file.toStdString() + ": cannot read the file: " + f.errorString().toStdString());
  return f.readAll();
}

// Plain patient data does not linger in freed memory.
struct WipeOnExit {
  QByteArray& bytes;
  ~WipeOnExit() { OPENSSL_cleanse(bytes.data(), size_t(bytes.size())); }
};

// UIDs end up in the store, in exported SR and in what the worklist looks up: one that breaks the
// grammar is refused with the element it is in.
void checkUids(const QString& file, const engine::DicomMetadata& m) {
  struct Uid {
    const char* element;
    const std::string& value;
  };
  // Series and class may be absent in old files (checked when present); the other two are required above.
  for (const Uid& uid : {Uid{"SOP Instance UID", m.sopInstanceUid}, Uid{"Study Instance UID", m.studyInstanceUid},
                         Uid{"Series Instance UID", m.seriesInstanceUid}, Uid{"SOP Class UID", m.sopClassUid}}) {
    if (uid.value.empty()) continue;
    if (const std::string problem = dicomUidProblem(uid.value); !problem.empty())
      throw engine::DicomError(file.toStdString() + ": invalid " + uid.element + " \"" + uid.value.substr(0, 80) +
                               "\": " + problem);
  }
}

// The image's content: SHA-256 of its size and decoded values, the same whatever the transfer syntax
// (a lossless re-compression of the same image is the same content).
std::string pixelDigest(const engine::DicomImage& image) {
  QCryptographicHash h(QCryptographicHash::Sha256);
  const int32_t size[2] = {image.width, image.height};
  h.addData(QByteArrayView(reinterpret_cast<const char*>(size), sizeof size));
  h.addData(QByteArrayView(reinterpret_cast<const char*>(image.values.data()),
                           qsizetype(image.values.size() * sizeof(float))));
  return h.result().toHex().toStdString();
}

int64_t findOrInsertStudy(SiteStore& store, const engine::DicomMetadata& m, bool& added) {
  auto find = store.prepare("SELECT id FROM studies WHERE study_uid = ?");
  find.bind(1, m.studyInstanceUid);
  if (find.step()) return find.int64(0);
  auto st = store.prepare(
      "INSERT INTO studies(study_uid, patient_name, patient_id, patient_sex, patient_birth_date, study_date, "
      "study_time, description, accession_number, modality, body_part, imported_at) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, m.studyInstanceUid).bind(2, m.patientName).bind(3, m.patientId).bind(4, m.patientSex);
  st.bind(5, m.patientBirthDate).bind(6, m.studyDate).bind(7, m.studyTime).bind(8, m.studyDescription);
  st.bind(9, m.accessionNumber).bind(10, m.modality).bind(11, m.bodyPart).bind(12, nowUtc()).run();
  added = true;
  return store.lastInsertId();
}

int64_t findOrInsertSeries(SiteStore& store, int64_t studyId, const engine::DicomMetadata& m) {
  auto find = store.prepare("SELECT id FROM series WHERE series_uid = ?");
  find.bind(1, m.seriesInstanceUid);
  if (find.step()) return find.int64(0);
  auto st = store.prepare("INSERT INTO series(study_id, series_uid, modality, description) VALUES(?, ?, ?, ?)");
  st.bind(1, studyId).bind(2, m.seriesInstanceUid).bind(3, m.modality).bind(4, m.seriesDescription).run();
  return store.lastInsertId();
}

}  // namespace

QStringList DicomImporter::collectFiles(const QStringList& paths) {
  QStringList files;
  auto addFolder = [&files](const QString& dir) {
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QFileInfo info(it.next());
      if (!isDicomDir(info)) files << info.absoluteFilePath();
    }
  };
  for (const QString& p : paths) {
    const QFileInfo info(p);
    if (info.isDir()) addFolder(info.absoluteFilePath());
    else if (isDicomDir(info)) addFolder(info.absolutePath());  // DICOMDIR: the media it indexes
    else files << info.absoluteFilePath();  // missing files are reported by importFiles
  }
  files.sort();
  files.removeDuplicates();
  return files;
}

ImportResult DicomImporter::importFiles(const QStringList& files, const Progress& progress,
                                        const std::atomic<bool>* cancel) {
  ImportResult result;
  SiteStore& store = site_.store();
  const int total = int(files.size());
  for (int i = 0; i < total; ++i) {
    if (cancel && cancel->load()) {
      result.cancelled = true;
      break;
    }
    const QString& file = files[i];
    ++result.scanned;
    try {
      if (!QFileInfo(file).isFile()) throw engine::DicomError(file.toStdString() + ": no such file");
      // Read once into memory: the bytes decoded are the bytes sealed, and no plain copy is written.
      QByteArray bytes = readSource(file);
      const WipeOnExit wipe{bytes};
      // Decode fully: a file that cannot show its pixels is an error now, not at reading time.
      const engine::DicomImage image = engine::readDicomImageFromMemory(
          reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size()), file.toStdString());
      const auto& m = image.meta;
      if (m.sopInstanceUid.empty() || m.studyInstanceUid.empty())
        throw engine::DicomError(file.toStdString() + ": no SOP Instance UID or Study Instance UID");
      checkUids(file, m);
      const std::string digest = pixelDigest(image);
      auto dup = store.prepare(
          "SELECT se.study_id, i.pixel_digest FROM images i JOIN series se ON i.series_id = se.id WHERE i.sop_uid = ?");
      dup.bind(1, m.sopInstanceUid);
      if (dup.step()) {
        // Same UID: the same image only when the pixels agree too (images from before the digest: UID only).
        const std::string stored = dup.isNull(1) ? std::string() : dup.text(1);
        if (!stored.empty() && stored != digest)
          throw engine::DicomError(file.toStdString() + ": an image with SOP Instance UID " + m.sopInstanceUid +
                                   " but other pixel content is already in the site (two images must not share a UID)");
        ++result.duplicates;
        if (!result.firstStudyId) result.firstStudyId = dup.int64(0);
      } else {
        // Sealed under a name the vault draws; a kill before the row commits leaves only ciphertext,
        // which the next open sweeps.
        const QString stored = site_.vault()->store(bytes);
        SiteStore::Transaction tx(store);
        bool added = false;
        const int64_t studyId = findOrInsertStudy(store, m, added);
        const int64_t seriesId = findOrInsertSeries(store, studyId, m);
        auto st = store.prepare(
            "INSERT INTO images(series_id, sop_uid, sop_class_uid, file_path, rows, columns, transfer_syntax, "
            "view_position, pixel_spacing_r, pixel_spacing_c, imported_at, pixel_digest) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, seriesId).bind(2, m.sopInstanceUid).bind(3, m.sopClassUid);
        st.bind(4, stored.toStdString());
        st.bind(5, m.rows).bind(6, m.columns).bind(7, m.transferSyntaxUid).bind(8, m.viewPosition);
        st.bind(9, m.pixelSpacingRow).bind(10, m.pixelSpacingColumn).bind(11, nowUtc()).bind(12, digest).run();
        tx.commit();
        ++result.imported;
        if (added) ++result.studiesAdded;
        if (!result.firstStudyId) result.firstStudyId = studyId;
      }
    } catch (const std::exception& e) {
      // The reader's message starts with the path; keep only the reason for the report's column.
      QString reason = QString::fromUtf8(e.what());
      const QString prefix = file + QStringLiteral(": ");
      if (reason.startsWith(prefix)) reason = reason.mid(prefix.size());
      if (QFileInfo(file).isFile() && !hasDicomPreamble(file)) {
        reason = QStringLiteral("not a DICOM file (") + reason + QStringLiteral(")");
      } else {
        try {  // a DICOM file whose pixels did not decode: name its transfer syntax
          const auto meta = engine::readDicomMetadata(file.toStdString());
          if (!meta.transferSyntaxUid.empty() && !reason.contains(QStringLiteral("transfer syntax")))
            reason += QStringLiteral(" (transfer syntax %1)").arg(QString::fromStdString(meta.transferSyntaxUid));
        } catch (const std::exception&) {  // the first reason stands
        }
      }
      result.errors.push_back({file, reason});
    }
    if (progress) progress(i + 1, total);
  }
  site_.audit(userId_, "import", 0,
              std::to_string(result.imported) + " imported, " + std::to_string(result.duplicates) +
                  " duplicates, " + std::to_string(result.errors.size()) + " errors" +
                  (result.cancelled ? ", cancelled" : ""));
  return result;
}

}  // namespace fedmrg::app

#pragma once
// What a site must never send: its report sentences, its patients' names and ids, and its images' pixels. The
// scan searches bytes (everything a WireRecorder saw cross the wire, or a log) for each of them and returns every
// one it found, so a test can fail naming the leak. The site's data is read from its encrypted store and its
// imported DICOM files.
#include <QByteArray>
#include <QFile>
#include <QString>
#include <set>
#include <string>
#include <vector>

#include "app/site/site.h"
#include "app/site/site_store.h"

namespace fedmrg::testing {

// A run of `length` bytes of the file's pixel data with many distinct values (not a flat background, which
// could occur anywhere by chance): the pixel data ends a synthetic DICOM file.
inline std::string pixelRun(const QString& dicom, size_t length) {
  QFile f(dicom);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray all = f.readAll();
  for (qsizetype at = all.size() - qsizetype(length); at > all.size() / 2; at -= qsizetype(length)) {
    const QByteArray run = all.mid(at, qsizetype(length));
    if (std::set<char>(run.begin(), run.end()).size() >= length / 2) return run.toStdString();
  }
  return {};
}

struct PrivateDataScan {
  int checked = 0;                 // how many private strings were searched for
  std::vector<std::string> found;  // "report sentence 'Heart size is normal'" for each one in the bytes
  // What was found, one per line ("" when nothing): safe for a QVERIFY2 message, which is evaluated either way.
  QString list() const {
    QString out;
    for (const std::string& f : found) out += QString::fromStdString(f) + "\n";
    return out;
  }
};

// Searches `bytes` for every report sentence (findings and impression) and patient name and id of the site, and
// for a 32-byte pixel run of each of `dicomFiles`. Strings shorter than 6 characters are too common to count.
inline PrivateDataScan scanForPrivateData(const std::string& bytes, app::Site& site,
                                          const std::vector<std::string>& dicomFiles) {
  PrivateDataScan scan;
  auto absent = [&](const std::string& what, const char* kind) {
    if (what.size() < 6) return;
    ++scan.checked;
    if (bytes.find(what) != std::string::npos) scan.found.push_back(std::string(kind) + " '" + what + "'");
  };
  auto reports = site.store().prepare("SELECT findings, impression FROM reports");
  while (reports.step())
    for (int col = 0; col < 2; ++col)
      for (const QString& sentence : QString::fromStdString(reports.text(col)).split('.', Qt::SkipEmptyParts))
        absent(sentence.trimmed().toStdString(), "report sentence");
  auto patients = site.store().prepare("SELECT patient_name, patient_id FROM studies");
  while (patients.step()) {
    absent(patients.text(0), "patient name");
    absent(patients.text(1), "patient id");
  }
  for (const std::string& file : dicomFiles) absent(pixelRun(QString::fromStdString(file), 32), "pixel run");
  return scan;
}

}  // namespace fedmrg::testing

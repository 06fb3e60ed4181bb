#pragma once
// What the PACS suites share: the workstation's AE, a node for the test's Orthanc, and the raw bytes
// of an instance's pixel data (the fragments when encapsulated), to compare a retrieved copy with
// what was stored.
#include <QByteArray>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <memory>
#include <string>

#include "app/orthanc_server.h"
#include "app/site/pacs_client.h"
#include "app/site/pacs_node.h"

namespace fedmrg::testing {

inline app::LocalAe workstationAe(int port) { return app::LocalAe{"FEDMRGWS", port}; }

inline app::PacsNode orthancNode(const OrthancServer& orthanc, app::RetrieveMethod m = app::RetrieveMethod::Get) {
  app::PacsNode n;
  n.name = "Test Orthanc";
  n.aeTitle = orthanc.aeTitle;
  n.host = "127.0.0.1";
  n.port = orthanc.dicomPort();
  n.retrieve = m;
  n.isDefault = true;
  return n;
}

// An Orthanc in `folder` that serves the workstation's AE, started; `workstationPort` gets a free
// port for the workstation's storage SCP. Null with `why` when it cannot run here (the caller skips or
// fails with FEDMRG_ORTHANC_UNAVAILABLE).
inline std::unique_ptr<OrthancServer> startedOrthanc(const QString& folder, int* workstationPort, QString* why) {
  *workstationPort = freeLoopbackPort();
  auto orthanc = std::make_unique<OrthancServer>(folder, workstationAe(*workstationPort).aeTitle, *workstationPort);
  if (!orthanc->start(why)) return nullptr;
  return orthanc;
}

// The workstation's client of the test's Orthanc, with short timeouts.
inline app::PacsClient orthancClient(const OrthancServer& orthanc, int workstationPort,
                                     app::RetrieveMethod m = app::RetrieveMethod::Get) {
  return app::PacsClient(workstationAe(workstationPort), orthancNode(orthanc, m), app::PacsTimeouts{3, 10});
}

// The transfer syntax, then the pixel data as stored: native bytes, or every encapsulated fragment.
inline QByteArray storedPixelData(const std::string& file) {
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str()).bad()) return {};
  DcmDataset* ds = ff.getDataset();
  const E_TransferSyntax xfer = ds->getOriginalXfer();
  QByteArray out = QByteArray(DcmXfer(xfer).getXferID()) + '|';
  DcmElement* element = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, element).bad()) return {};
  auto* pixels = static_cast<DcmPixelData*>(element);
  if (DcmXfer(xfer).isEncapsulated()) {
    DcmPixelSequence* seq = nullptr;
    if (pixels->getEncapsulatedRepresentation(xfer, nullptr, seq).bad() || !seq) return {};
    for (unsigned long i = 0; i < seq->card(); ++i) {
      DcmPixelItem* item = nullptr;
      Uint8* bytes = nullptr;
      if (seq->getItem(item, i).bad() || item->getUint8Array(bytes).bad()) return {};
      out += QByteArray(reinterpret_cast<const char*>(bytes), int(item->getLength()));
    }
  } else {
    Uint8* bytes = nullptr;
    if (pixels->getUint8Array(bytes).bad()) return {};
    out += QByteArray(reinterpret_cast<const char*>(bytes), int(pixels->getLength()));
  }
  return out;
}

}  // namespace fedmrg::testing

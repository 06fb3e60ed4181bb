// fedmrg-cli pacs echo|find|get|store: the workstation's DICOM network client (app/site/pacs_client)
// from scripts and tests, against one PACS node named on the command line.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/cli/cli.h"
#include "app/site/pacs_client.h"

namespace fedmrg::cli {
namespace {

using app::PacsClient;

const std::vector<OptionSpec> kPeerOptions = {
    {"host", true, "the PACS host (default 127.0.0.1)"},
    {"port", true, "the PACS DICOM port (default 104)"},
    {"aet", true, "the PACS AE title (called AE; default ANY-SCP)"},
    {"local-aet", true, "the workstation's AE title (calling AE; default FEDMRG)"},
    {"local-port", true, "the workstation's storage SCP port, for --method move (default 11112)"},
    {"method", true, "get: C-GET (default); move: C-MOVE to the workstation's own storage SCP"},
    {"timeout", true, "seconds to wait for each answer (default 20)"}};

std::vector<OptionSpec> withPeer(std::vector<OptionSpec> own) {
  own.insert(own.end(), kPeerOptions.begin(), kPeerOptions.end());
  return own;
}

PacsClient clientFrom(const Args& a) {
  app::PacsNode node;
  node.name = "command line";
  node.host = a.get("host", "127.0.0.1");
  node.port = int(a.getInt("port", 104));
  node.aeTitle = a.get("aet", "ANY-SCP");
  const std::string method = a.get("method", "get");
  if (method != "get" && method != "move") throw UsageError("--method must be get or move");
  node.retrieve = method == "move" ? app::RetrieveMethod::Move : app::RetrieveMethod::Get;
  app::LocalAe local;
  local.aeTitle = a.get("local-aet", "FEDMRG");
  local.port = int(a.getInt("local-port", 11112));
  if (auto p = app::pacsNodeProblem(node); !p.empty()) throw UsageError(p);
  if (auto p = app::aeTitleProblem(local.aeTitle); !p.empty()) throw UsageError("--local-aet: " + p);
  app::PacsTimeouts t;
  t.dimseSeconds = int(a.getInt("timeout", 20));
  t.connectSeconds = std::min(t.dimseSeconds, 10);
  if (t.dimseSeconds < 1) throw UsageError("--timeout must be at least 1");
  return PacsClient(local, node, t);
}

int runEcho(const Args& a) {
  PacsClient c = clientFrom(a);
  c.echo();
  std::printf("C-ECHO to %s@%s:%d: ok\n", c.node().aeTitle.c_str(), c.node().host.c_str(), c.node().port);
  return 0;
}

int runFind(const Args& a) {
  app::StudyQuery q;
  q.patientName = a.get("name", "");
  q.patientId = a.get("patient-id", "");
  q.accessionNumber = a.get("accession", "");
  q.fromDate = a.get("from", "");
  q.toDate = a.get("to", "");
  q.modality = a.get("modality", "");
  q.studyUid = a.get("study", "");
  const auto matches = clientFrom(a).findStudies(q);
  // One study a line, tab-separated: what a script needs to pick studies and retrieve them.
  for (const auto& m : matches)
    std::printf("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", m.studyUid.c_str(), m.studyDate.c_str(), m.patientName.c_str(),
                m.patientId.c_str(), m.accessionNumber.c_str(), m.modalities.c_str(), m.images, m.description.c_str());
  std::fprintf(stderr, "%zu studies\n", matches.size());
  return 0;
}

int runGet(const Args& a) {
  if (a.positional().empty()) throw UsageError("pacs get needs at least one Study Instance UID");
  const std::string out = a.require("out");
  std::filesystem::create_directories(out);
  PacsClient c = clientFrom(a);
  int failures = 0;
  for (const auto& uid : a.positional()) {
    const auto dir = std::filesystem::path(out) / uid;
    std::filesystem::create_directories(dir);
    const auto r = c.retrieveStudy(uid, dir.string());
    std::printf("%s: %zu instances into %s%s\n", uid.c_str(), r.files.size(), dir.c_str(),
                r.failed ? (", " + std::to_string(r.failed) + " failed").c_str() : "");
    if (r.failed || r.files.empty()) ++failures;
  }
  return failures ? 1 : 0;
}

int runStore(const Args& a) {
  if (a.positional().empty()) throw UsageError("pacs store needs at least one DICOM file");
  PacsClient c = clientFrom(a);
  for (const auto& file : a.positional()) {
    c.store(file);
    std::printf("stored %s\n", file.c_str());
  }
  return 0;
}

int runPacs(const Args&) {
  throw UsageError("pacs needs a subcommand: echo, find, get or store (fedmrg-cli pacs <sub> --help)");
}

const CommandRegistration group({"pacs", "talk DICOM to a PACS: echo, find, get, store", "echo|find|get|store ...", {},
                                 runPacs});
const CommandRegistration echo({"pacs-echo", "C-ECHO a PACS node", "[--host H] [--port P] [--aet AE] [--local-aet AE]",
                                withPeer({}), runEcho, true});
const CommandRegistration find({"pacs-find", "Study Root C-FIND: one matching study a line (tab-separated)",
                                "[--name N] [--patient-id ID] [--accession A] [--from YYYYMMDD] [--to YYYYMMDD] "
                                "[--modality M] [--study UID] [peer options]",
                                withPeer({{"name", true, "patient name (DICOM wildcards * and ?)"},
                                          {"patient-id", true, "patient ID"},
                                          {"accession", true, "accession number"},
                                          {"from", true, "first study date, YYYYMMDD"},
                                          {"to", true, "last study date, YYYYMMDD"},
                                          {"modality", true, "modality in study (CR, DX, ...)"},
                                          {"study", true, "Study Instance UID"}}),
                                runFind, true});
const CommandRegistration get({"pacs-get", "retrieve studies (C-GET, or C-MOVE with --method move) into a folder",
                               "--out DIR STUDY_UID... [peer options]",
                               withPeer({{"out", true, "folder; each study goes into a sub-folder named by its UID"}}),
                               runGet, true});
const CommandRegistration store({"pacs-store", "C-STORE DICOM files on a PACS", "FILE... [peer options]", withPeer({}),
                                 runStore, true});

}  // namespace
}  // namespace fedmrg::cli

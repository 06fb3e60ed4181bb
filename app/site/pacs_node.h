#pragma once
// The PACS nodes a site talks DICOM to (AE title, host, port, how studies are retrieved), one of
// them the default that signed reports go to, and the workstation's own AE title and port. Only an
// administrator changes them; every change is audited.
#include <optional>
#include <string>
#include <vector>

namespace fedmrg::app {

class Site;

// C-GET brings the images back on the query's own association; C-MOVE asks the PACS to send them
// to the workstation's storage SCP (its own AE title and port), for a PACS that offers no C-GET.
enum class RetrieveMethod { Get, Move };

struct PacsNode {
  int64_t id = 0;
  std::string name;     // what the user calls it ("Main PACS")
  std::string aeTitle;  // the called AE title
  std::string host;
  int port = 104;
  RetrieveMethod retrieve = RetrieveMethod::Get;
  bool isDefault = false;
};

// The workstation's own application entity: the calling AE title, and the port of its storage SCP
// (C-MOVE destination).
struct LocalAe {
  std::string aeTitle = "FEDMRG";
  int port = 11112;
};

// Why an AE title is refused (empty, longer than 16 characters, a backslash or a control
// character, only spaces), or an empty string.
std::string aeTitleProblem(const std::string& aeTitle);
// Why the node would be refused (no name, a bad AE title, no host, a port outside 1..65535), or "".
std::string pacsNodeProblem(const PacsNode& node);

class PacsNodeStore {
 public:
  // `actingUserId`: the signed-in user; changes need the admin role (StoreError naming it otherwise,
  // and the refusal is audited).
  PacsNodeStore(Site& site, int64_t actingUserId) : site_(site), actingUserId_(actingUserId) {}

  std::vector<PacsNode> nodes();  // by name
  std::optional<PacsNode> node(int64_t id);
  // The node reports are sent to: the one marked default, or the only node; none otherwise.
  std::optional<PacsNode> defaultNode();

  // Adds or updates (id != 0) a node; throws StoreError with pacsNodeProblem() or a taken name.
  // A node marked default takes the mark from the previous one. Returns the node's id.
  int64_t save(const PacsNode& node);
  void remove(int64_t id);
  void setDefault(int64_t id);

  LocalAe localAe();
  void setLocalAe(const LocalAe& local);  // throws StoreError for a bad AE title or port

  // Whether signing a final report (or an addendum) queues its SR for the default node by itself.
  bool autoSendReports();
  void setAutoSendReports(bool on);

 private:
  // Throws (and audits) unless the acting user holds the admin role; `action`: what was refused.
  void checkAdmin(const std::string& action);
  Site& site_;
  int64_t actingUserId_;
};

const char* retrieveMethodName(RetrieveMethod m);  // "get", "move"

}  // namespace fedmrg::app

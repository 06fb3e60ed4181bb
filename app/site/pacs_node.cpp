#include "app/site/pacs_node.h"

#include <cstdlib>

#include "app/site/role_rules.h"
#include "app/site/site.h"

namespace fedmrg::app {
namespace {

constexpr const char* kColumns = "id, name, ae_title, host, port, retrieve, is_default";

PacsNode nodeFrom(const Statement& st) {
  PacsNode n;
  n.id = st.int64(0);
  n.name = st.text(1);
  n.aeTitle = st.text(2);
  n.host = st.text(3);
  n.port = int(st.int64(4));
  n.retrieve = st.text(5) == "move" ? RetrieveMethod::Move : RetrieveMethod::Get;
  n.isDefault = st.int64(6) != 0;
  return n;
}

std::string portProblem(int port) {
  return port >= 1 && port <= 65535 ? "" : "port " + std::to_string(port) + " is outside 1..65535";
}

}  // namespace

const char* retrieveMethodName(RetrieveMethod m) { return m == RetrieveMethod::Move ? "move" : "get"; }

std::string aeTitleProblem(const std::string& ae) {
  if (ae.empty()) return "the AE title is empty";
  if (ae.size() > 16) return "the AE title \"" + ae + "\" is longer than 16 characters";
  if (ae.find_first_not_of(' ') == std::string::npos) return "the AE title is only spaces";
  for (const char c : ae)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return "the AE title \"" + ae + "\" holds a backslash, a control or a non-ASCII character";
  return {};
}

std::string pacsNodeProblem(const PacsNode& n) {
  if (n.name.empty()) return "the PACS node has no name";
  if (auto p = aeTitleProblem(n.aeTitle); !p.empty()) return n.name + ": " + p;
  if (n.host.empty()) return n.name + ": no host name or address";
  if (auto p = portProblem(n.port); !p.empty()) return n.name + ": " + p;
  return {};
}

void PacsNodeStore::checkAdmin(const std::string& action) {
  requireRole(site_, actingUserId_, Role::Admin, "Changing the PACS settings", action);
}

std::vector<PacsNode> PacsNodeStore::nodes() {
  auto st = site_.store().prepare(std::string("SELECT ") + kColumns + " FROM pacs_nodes ORDER BY name");
  std::vector<PacsNode> out;
  while (st.step()) out.push_back(nodeFrom(st));
  return out;
}

std::optional<PacsNode> PacsNodeStore::node(int64_t id) {
  auto st = site_.store().prepare(std::string("SELECT ") + kColumns + " FROM pacs_nodes WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return nodeFrom(st);
}

std::optional<PacsNode> PacsNodeStore::defaultNode() {
  const auto all = nodes();
  for (const auto& n : all)
    if (n.isDefault) return n;
  if (all.size() == 1) return all.front();
  return std::nullopt;
}

int64_t PacsNodeStore::save(const PacsNode& n) {
  checkAdmin("pacs.node.save");
  if (auto p = pacsNodeProblem(n); !p.empty()) throw StoreError(p);
  auto& store = site_.store();
  SiteStore::Transaction tx(store);
  auto taken = store.prepare("SELECT count(*) FROM pacs_nodes WHERE name = ? AND id != ?");
  taken.bind(1, n.name).bind(2, n.id);
  if (taken.step() && taken.int64(0) > 0) throw StoreError("a PACS node named \"" + n.name + "\" exists already");
  if (n.isDefault) store.exec("UPDATE pacs_nodes SET is_default = 0");
  int64_t id = n.id;
  if (id == 0) {
    auto st = store.prepare("INSERT INTO pacs_nodes(name, ae_title, host, port, retrieve, is_default) VALUES(?,?,?,?,?,?)");
    st.bind(1, n.name).bind(2, n.aeTitle).bind(3, n.host).bind(4, n.port).bind(5, retrieveMethodName(n.retrieve));
    st.bind(6, n.isDefault ? 1 : 0).run();
    id = store.lastInsertId();
  } else {
    auto st = store.prepare("UPDATE pacs_nodes SET name=?, ae_title=?, host=?, port=?, retrieve=?, is_default=? WHERE id=?");
    st.bind(1, n.name).bind(2, n.aeTitle).bind(3, n.host).bind(4, n.port).bind(5, retrieveMethodName(n.retrieve));
    st.bind(6, n.isDefault ? 1 : 0).bind(7, id).run();
    if (store.changes() == 0) throw StoreError("no PACS node with id " + std::to_string(id));
  }
  site_.audit(actingUserId_, "pacs.node.save", 0,
              n.name + " " + n.aeTitle + "@" + n.host + ":" + std::to_string(n.port));
  tx.commit();
  return id;
}

void PacsNodeStore::remove(int64_t id) {
  checkAdmin("pacs.node.remove");
  auto& store = site_.store();
  SiteStore::Transaction tx(store);
  const auto n = node(id);
  if (!n) throw StoreError("no PACS node with id " + std::to_string(id));
  auto st = store.prepare("DELETE FROM pacs_nodes WHERE id = ?");
  st.bind(1, id).run();
  site_.audit(actingUserId_, "pacs.node.remove", 0, n->name);
  tx.commit();
}

void PacsNodeStore::setDefault(int64_t id) {
  auto n = node(id);
  if (!n) throw StoreError("no PACS node with id " + std::to_string(id));
  n->isDefault = true;
  save(*n);
}

LocalAe PacsNodeStore::localAe() {
  LocalAe l;
  auto& store = site_.store();
  if (auto ae = store.setting("pacs.local_ae_title")) l.aeTitle = *ae;
  if (auto port = store.setting("pacs.local_port")) l.port = std::atoi(port->c_str());
  return l;
}

void PacsNodeStore::setLocalAe(const LocalAe& l) {
  checkAdmin("pacs.local_ae.save");
  if (auto p = aeTitleProblem(l.aeTitle); !p.empty()) throw StoreError("workstation: " + p);
  if (auto p = portProblem(l.port); !p.empty()) throw StoreError("workstation: " + p);
  auto& store = site_.store();
  SiteStore::Transaction tx(store);
  store.setSetting("pacs.local_ae_title", l.aeTitle);
  store.setSetting("pacs.local_port", std::to_string(l.port));
  site_.audit(actingUserId_, "pacs.local_ae.save", 0, l.aeTitle + ":" + std::to_string(l.port));
  tx.commit();
}

bool PacsNodeStore::autoSendReports() { return site_.store().setting("pacs.auto_send_reports").value_or("0") == "1"; }

void PacsNodeStore::setAutoSendReports(bool on) {
  checkAdmin(on ? "pacs.auto_send.on" : "pacs.auto_send.off");
  site_.store().setSetting("pacs.auto_send_reports", on ? "1" : "0");
  site_.audit(actingUserId_, on ? "pacs.auto_send.on" : "pacs.auto_send.off");
}

}  // namespace fedmrg::app

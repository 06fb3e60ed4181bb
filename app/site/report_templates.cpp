#include "app/site/report_templates.h"

#include <QString>
#include <algorithm>

#include "app/site/site.h"

namespace fedmrg::app {
namespace {

std::string trimmed(const std::string& s) { return QString::fromStdString(s).trimmed().toStdString(); }

ReportTemplate fromRow(Statement& st) { return {st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4)}; }

bool sameName(const std::string& a, const std::string& b) {
  return QString::fromStdString(a).compare(QString::fromStdString(b), Qt::CaseInsensitive) == 0;
}

}  // namespace

const char* const ReportTemplates::kNormalChestName = "Normal chest";

ReportTemplate ReportTemplates::builtInNormalChest() {
  ReportTemplate t;
  t.name = kNormalChestName;
  t.findings = "The lungs are clear. No pleural effusion or pneumothorax. The cardiomediastinal silhouette is normal.";
  t.impression = "No acute cardiopulmonary abnormality.";
  // The labeler's whole reading of that text (tst_report_templates compares them).
  t.labels =
      "no_finding=positive;enlarged_cardiomediastinum=negative;pneumothorax=negative;"
      "pleural_effusion=negative";
  return t;
}

std::vector<ReportTemplate> ReportTemplates::list() {
  std::vector<ReportTemplate> out;
  auto st = site_.store().prepare(
      "SELECT id, name, findings, impression, labels FROM report_templates WHERE user_id = ? ORDER BY name");
  st.bind(1, userId_);
  while (st.step()) out.push_back(fromRow(st));
  const bool overridden =
      std::any_of(out.begin(), out.end(), [](const ReportTemplate& t) { return sameName(t.name, kNormalChestName); });
  if (!overridden) out.insert(out.begin(), builtInNormalChest());
  return out;
}

ReportTemplate ReportTemplates::normalMacro() {
  for (const auto& t : list())
    if (sameName(t.name, kNormalChestName)) return t;
  return builtInNormalChest();
}

std::string ReportTemplates::problem(const ReportTemplate& t, int64_t id) {
  const std::string name = trimmed(t.name);
  if (name.empty()) return "Template name: a template needs a name";
  if (QString::fromStdString(name).size() > qsizetype(kMaxNameLength))
    return "Template name: longer than " + std::to_string(kMaxNameLength) + " characters";
  if (trimmed(t.findings).empty() && trimmed(t.impression).empty())
    return "Template text: FINDINGS and IMPRESSION are both empty";
  if (t.findings.size() > kMaxTextLength)
    return "FINDINGS: longer than " + std::to_string(kMaxTextLength) + " characters";
  if (t.impression.size() > kMaxTextLength)
    return "IMPRESSION: longer than " + std::to_string(kMaxTextLength) + " characters";
  auto taken = site_.store().prepare("SELECT 1 FROM report_templates WHERE user_id = ? AND name = ? AND id <> ?");
  taken.bind(1, userId_).bind(2, name).bind(3, id);
  if (taken.step()) return "Template name: you already have a template named '" + name + "'";
  return {};
}

int64_t ReportTemplates::add(ReportTemplate t) {
  if (const std::string why = problem(t); !why.empty()) throw StoreError(why);
  auto st = site_.store().prepare(
      "INSERT INTO report_templates(user_id, name, findings, impression, labels, updated_at) VALUES(?, ?, ?, ?, ?, ?)");
  st.bind(1, userId_).bind(2, trimmed(t.name)).bind(3, t.findings).bind(4, t.impression);
  st.bind(5, encodeLabels(decodeLabels(t.labels))).bind(6, nowUtc()).run();
  return site_.store().lastInsertId();
}

void ReportTemplates::update(ReportTemplate t) {
  if (const std::string why = problem(t, t.id); !why.empty()) throw StoreError(why);
  // The user's own row or nothing: an id from another user's list changes no row.
  auto st = site_.store().prepare(
      "UPDATE report_templates SET name = ?, findings = ?, impression = ?, labels = ?, updated_at = ? "
      "WHERE id = ? AND user_id = ?");
  st.bind(1, trimmed(t.name)).bind(2, t.findings).bind(3, t.impression).bind(4, encodeLabels(decodeLabels(t.labels)));
  st.bind(5, nowUtc()).bind(6, t.id).bind(7, userId_).run();
  if (site_.store().changes() == 0) throw StoreError("Template: you have no template with id " + std::to_string(t.id));
}

void ReportTemplates::remove(int64_t id) {
  auto st = site_.store().prepare("DELETE FROM report_templates WHERE id = ? AND user_id = ?");
  st.bind(1, id).bind(2, userId_).run();
  if (site_.store().changes() == 0) throw StoreError("Template: you have no template with id " + std::to_string(id));
}

std::vector<ReportTemplate> filterTemplates(const std::vector<ReportTemplate>& templates, const std::string& text) {
  const QString wanted = QString::fromStdString(text).trimmed();
  std::vector<ReportTemplate> out;
  for (const auto& t : templates)
    if (QString::fromStdString(t.name).contains(wanted, Qt::CaseInsensitive)) out.push_back(t);
  return out;
}

SectionInsertion templateInsertion(const QString& current, int cursor, const QString& templateText) {
  if (current.trimmed().isEmpty()) return {true, templateText};
  cursor = std::clamp(cursor, 0, int(current.size()));
  QString text = templateText;
  if (cursor > 0 && !current[cursor - 1].isSpace()) text.prepend(QLatin1Char(' '));
  if (cursor < current.size() && !current[cursor].isSpace()) text.append(QLatin1Char(' '));
  return {false, text};
}

FindingStates chipsAfterTemplate(const FindingStates& current, const std::string& templateLabels, bool reportWasEmpty) {
  const FindingStates wanted = decodeLabels(templateLabels);
  FindingStates out = current;
  for (size_t i = 0; i < out.size(); ++i) {
    if (wanted[i] == FindingState::Blank) continue;
    if (reportWasEmpty || out[i] == FindingState::Blank) out[i] = wanted[i];
  }
  return out;
}

}  // namespace fedmrg::app

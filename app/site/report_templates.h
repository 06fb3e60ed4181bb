#pragma once
// Per-user report templates (a name, FINDINGS and IMPRESSION text, optional chips) and the built-in
// "Normal chest" macro, which a user overrides by keeping a template of that name. A user only ever
// sees and changes their own templates. How a template goes into a report that already has text is
// decided here too (templateInsertion), so that the editor only applies it.
#include <QString>
#include <optional>
#include <string>
#include <vector>

#include "app/site/finding_labels.h"

namespace fedmrg::app {

class Site;

struct ReportTemplate {
  int64_t id = 0;  // 0: the built-in normal macro (not stored)
  std::string name, findings, impression;
  std::string labels;  // encoded chips (finding_labels.h); empty: the template sets no chip
  bool builtIn() const { return id == 0; }
};

class ReportTemplates {
 public:
  static constexpr size_t kMaxNameLength = 80;
  static constexpr size_t kMaxTextLength = 8000;  // per section, in bytes of UTF-8
  static const char* const kNormalChestName;

  // The templates of `userId` on `site`.
  ReportTemplates(Site& site, int64_t userId) : site_(site), userId_(userId) {}

  // The macro every user has until they keep their own "Normal chest": text the labeler reads as
  // No Finding, and chips that agree with that reading (checked by tst_report_templates).
  static ReportTemplate builtInNormalChest();

  // The user's templates by name, with the built-in normal macro unless the user overrides it.
  std::vector<ReportTemplate> list();
  // The user's normal macro: their own "Normal chest", else the built-in one.
  ReportTemplate normalMacro();
  // Why this template could not be stored as `id` (0: a new one), naming the field, or empty.
  std::string problem(const ReportTemplate& t, int64_t id = 0);
  // Stores a new template (the name trimmed, the chips normalized); returns its id. Throws StoreError
  // with problem()'s reason.
  int64_t add(ReportTemplate t);
  // Replaces the text, chips and name (a rename) of the user's template `t.id`. Throws StoreError
  // for a problem or when the user has no template with that id.
  void update(ReportTemplate t);
  // Deletes the user's template `id` (their normal macro: the built-in one is back). Throws
  // StoreError when the user has no template with that id.
  void remove(int64_t id);

 private:
  Site& site_;
  int64_t userId_;
};

// The templates whose name contains `text` (case-insensitive; all when empty), in the same order.
std::vector<ReportTemplate> filterTemplates(const std::vector<ReportTemplate>& templates, const std::string& text);

// What one section becomes when a template goes in. An empty (or blank) section is replaced; a
// section with text keeps it all and gets the template's text at `cursor` (a position in
// `current`), set off by a space from the words around it.
struct SectionInsertion {
  bool replaceAll = false;
  QString text;  // what to insert at the cursor, or the whole section when replaceAll
};
SectionInsertion templateInsertion(const QString& current, int cursor, const QString& templateText);

// The chips after a template goes in: replacing an empty report takes the template's chips; adding
// to a report with text sets only the chips still blank, so that a chip the reader set is never
// changed silently. A template without chips changes none.
FindingStates chipsAfterTemplate(const FindingStates& current, const std::string& templateLabels, bool reportWasEmpty);

}  // namespace fedmrg::app

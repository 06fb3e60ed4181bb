#pragma once
// Signed reports on their way to the PACS: each signed final report (and each addendum) queued here
// is written as a Basic Text SR from the store and stored (C-STORE) on the default PACS node. A
// failed send stays queued and is tried again with back-off; the queue lives in the site store, so a
// restart or a PACS that is down for a day loses nothing, and the report itself never leaves the store.
#include <QDateTime>
#include <optional>
#include <string>
#include <vector>

#include "app/site/pacs_client.h"

namespace fedmrg::app {

class Site;

struct OutboxEntry {
  int64_t id = 0, studyId = 0, reportVersionId = 0;
  int attempts = 0;
  std::string queuedAt, nextAttemptAt, lastError, sentAt, sopInstanceUid;
};

struct OutboxSummary {
  int sent = 0, failed = 0;
  std::string lastError;  // the latest failure's reason, for the status bar
};

class PacsOutbox {
 public:
  PacsOutbox(Site& site, int64_t userId) : site_(site), userId_(userId) {}

  // Seconds before the next try after `attempts` failed ones: 30 s doubling, at most an hour.
  static int backoffSeconds(int attempts);

  // Queues the study's signed final report as it stands now (its latest version, addenda included).
  // Throws StoreError when the study has no final report or no PACS node is set up.
  int64_t enqueue(int64_t studyId);
  // Queues the study's signed final report when its latest version (a sign-off or an addendum) has
  // not been queued yet: what signing does when reports go to the PACS by themselves. False when
  // there is nothing new to send (not final, or queued already).
  bool enqueueIfNew(int64_t studyId);
  // Tries every entry that is due (all pending ones with `all`), oldest first, each on its node (the
  // default node when its own was removed). Never throws for a PACS failure: it is recorded.
  OutboxSummary sendDue(bool all = false, const PacsTimeouts& timeouts = {});

  int pendingCount();
  std::vector<OutboxEntry> entries(int64_t studyId = 0);  // newest first; 0: every study
  // When the next pending entry is due; none when nothing waits.
  std::optional<QDateTime> nextDue();

 private:
  void send(const OutboxEntry& e, const PacsTimeouts& timeouts);
  // The newest version of the study's signed final report with its addenda; 0 when it has none.
  int64_t finalVersionId(int64_t studyId);
  Site& site_;
  int64_t userId_;
};

}  // namespace fedmrg::app

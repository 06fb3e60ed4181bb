#pragma once
// A file-backed CoordinatorState for this branch's restart test ("journal:PATH"): the memory backend plus an
// append-only journal of every change, flushed to disk before the call returns and replayed at open. A
// record torn by a SIGKILL is ignored at replay, so each call is all or nothing.
// TEMPORARY: fed-state's SQLite backend (openState("sqlite:PATH")) replaces it at merge; the restart test
// then switches to "sqlite:" by changing its state line.
#include <memory>
#include <string>

#include "coordinator/coordinator_state.h"

namespace fedmrg::coordinator {

std::unique_ptr<CoordinatorState> openJournalState(const std::string& path);  // throws StateError

}  // namespace fedmrg::coordinator

#pragma once
// The order a radiologist reads in: the worklist's rows as the view shows them (searched, filtered,
// sorted). Which study is next or previous, and which is the next one still to sign.
#include <cstdint>

namespace fedmrg::app {

class WorklistFilter;

// The study `step` rows after (negative: before) `current` in the list; with no current study (0,
// or not listed), the first row for a step forward and the last for a step back. 0 past either end.
int64_t adjacentStudy(const WorklistFilter& list, int64_t current, int step);

// The first study after `current` whose report is not final (new, draft or preliminary), going on
// from the top after the last row; never `current` itself. 0 when every other listed study is final.
int64_t nextUnsignedStudy(const WorklistFilter& list, int64_t current);

}  // namespace fedmrg::app

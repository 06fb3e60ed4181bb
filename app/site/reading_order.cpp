#include "app/site/reading_order.h"

#include "app/site/worklist_model.h"

namespace fedmrg::app {
namespace {

const StudySummary& studyAtRow(const WorklistFilter& list, int row) {
  const QModelIndex source = list.mapToSource(list.index(row, 0));
  return static_cast<const WorklistModel*>(list.sourceModel())->study(source.row());
}

// The row of `study` in the list as shown, or -1.
int rowOf(const WorklistFilter& list, int64_t study) {
  for (int row = 0; study && row < list.rowCount(); ++row)
    if (studyAtRow(list, row).id == study) return row;
  return -1;
}

}  // namespace

int64_t adjacentStudy(const WorklistFilter& list, int64_t current, int step) {
  const int rows = list.rowCount();
  const int from = rowOf(list, current);
  const int row = from >= 0 ? from + step : (step > 0 ? 0 : rows - 1);
  return row >= 0 && row < rows && step != 0 ? studyAtRow(list, row).id : 0;
}

int64_t nextUnsignedStudy(const WorklistFilter& list, int64_t current) {
  const int rows = list.rowCount();
  const int from = rowOf(list, current);
  for (int i = 1; i <= rows; ++i) {
    const StudySummary& s = studyAtRow(list, (from + i + rows) % rows);
    if (s.id != current && s.status != ReportStatus::Final) return s.id;
  }
  return 0;
}

}  // namespace fedmrg::app

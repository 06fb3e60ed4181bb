#pragma once
// The identity of the study a report is written for (name, ID, birth date and age, sex, study
// date, accession), shown above the report so that it is on screen whatever the viewer shows.
#include <QFrame>
#include <cstdint>

class QLabel;

namespace fedmrg::app {
class Site;
}

namespace fedmrg::ui {

class PatientBanner : public QFrame {
  Q_OBJECT

 public:
  explicit PatientBanner(QWidget* parent = nullptr);

  // Shows the study's identity as the site stored it; 0 shows that no study is open.
  void showStudy(app::Site& site, int64_t studyId);
  int64_t study() const { return studyId_; }
  // What the banner shows: the patient ID, and every line as one text.
  QString patientId() const;
  QString text() const;

 private:
  int64_t studyId_ = 0;
  QLabel* name_;
  QLabel* id_;
  QLabel* details_;
};

}  // namespace fedmrg::ui

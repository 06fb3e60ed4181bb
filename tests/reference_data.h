// Where the public reference data is (../shared/reference beside the checkout), and what a suite does
// when a part of it is absent: a newcomer's clone skips with a message, while FEDMRG_REQUIRE_REFERENCE=1
// (set by .ci/run) turns the skip into a failure, so that CI cannot pass without checking the figures.
// Include it after <QtTest> (and, in a suite that uses LibTorch, after <torch/torch.h>).
#pragma once

#include <QByteArray>
#include <QTest>

#include <string>

namespace fedmrg::testing {

// FEDMRG_SHARED_REFERENCE_DIR, when set, replaces the folder the build recorded: that is how to see
// what a clone without ../shared/reference gets, without touching the folder.
inline std::string referenceDir() {
  const QByteArray dir = qgetenv("FEDMRG_SHARED_REFERENCE_DIR");
  return dir.isEmpty() ? std::string(FEDMRG_SHARED_REFERENCE) : dir.toStdString();
}

// A path inside the reference folder, e.g. referencePath("nlg-eval").
inline std::string referencePath(const std::string& relative) { return referenceDir() + "/" + relative; }

inline bool referenceRequired() { return qgetenv("FEDMRG_REQUIRE_REFERENCE") == "1"; }

// The message for a missing part: what is missing, where it was looked for, what goes unchecked.
inline QByteArray referenceMissingMessage(const char* relative, const char* unchecked) {
  QByteArray m = QByteArray(relative) + " is not in " + QByteArray::fromStdString(referenceDir()) + ": " + unchecked;
  m += referenceRequired() ? QByteArray(" (FEDMRG_REQUIRE_REFERENCE=1 requires it)")
                           : QByteArray(" (skipped; FEDMRG_REQUIRE_REFERENCE=1 makes this a failure)");
  return m;
}

}  // namespace fedmrg::testing

// Ends the current test function because the reference part `relative` is absent: a failure when
// FEDMRG_REQUIRE_REFERENCE=1, else a skip. Both print the message.
#define FEDMRG_REFERENCE_MISSING(relative, unchecked)                                       \
  do {                                                                                      \
    const QByteArray message_ = fedmrg::testing::referenceMissingMessage(relative, unchecked); \
    if (fedmrg::testing::referenceRequired()) QFAIL(message_.constData());                  \
    QSKIP(message_.constData());                                                            \
  } while (0)

#pragma once
// Error feedback for the low-rank codec: what a round's frame did not carry (the part of the change
// outside the shared basis, and the int8 rounding) stays at the site and is added to the next round's
// change, so that over rounds the sum of what was sent tracks the sum of the true changes.
//
// A residual is staged while an upload is in flight: an accepted upload commits it; a refused one
// rolls it back, so the whole change (nothing of it reached the coordinator) is sent next time.
// The residuals are site state: serialize() writes them for the site's store, parse() reads them back.
#include <map>
#include <stdexcept>
#include <string>

#include "federation/lowrank_basis.h"

namespace fedmrg::federation {

class ErrorFeedback {
 public:
  // The change to encode this round: `change` plus the committed residual of the tensor (when any).
  // Throws std::invalid_argument when the residual's shape differs (the model changed).
  Matrix withResidual(const std::string& name, const Matrix& change) const;
  // Stages residual = input - sent for the upload in flight.
  void stage(const std::string& name, const Matrix& input, const Matrix& sent);
  // The upload was accepted: staged residuals replace the committed ones.
  void commit();
  // The upload was refused: the staged tensors keep their whole input as residual.
  void rollback();
  bool hasStaged() const { return !staged_.empty(); }

  const Matrix* residual(const std::string& name) const;
  double squaredNorm() const;

  // Persisted form (versioned, little-endian). parse() throws std::runtime_error naming `source`
  // and the reason for damaged or truncated bytes; nothing partial is kept.
  std::string serialize() const;
  static ErrorFeedback parse(const std::string& bytes, const std::string& source);

 private:
  struct Staged {
    Matrix residual, input;
  };
  std::map<std::string, Matrix> committed_;
  std::map<std::string, Staged> staged_;
};

}  // namespace fedmrg::federation

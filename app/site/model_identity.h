#pragma once
// Which model wrote a draft: the model folder's name and a digest of its files. A report version
// drafted by a model is credited to it, and the SR names it, so that a reader can tell which model
// (and which of its federated updates) produced the text.
#include <QString>
#include <string>

namespace fedmrg::app {

struct ModelIdentity {
  std::string name;     // the model folder's name, e.g. "chest-model"
  std::string version;  // "sha256:" and the first 12 hex digits of the digest of the folder's files
  bool empty() const { return name.empty() && version.empty(); }
  // "chest-model sha256:1a2b3c4d5e6f"; "the report model (version not recorded)" when nothing is
  // known (versions kept before the identity was recorded).
  std::string label() const;
};

// The identity of the model folder `dir`: its name and the SHA-256 of its config, weights, adapters
// and tokenizer (in the folder layout's order; a missing file counts as absent). Reads every file:
// call it once per loaded model. Throws std::runtime_error when a file exists but cannot be read.
ModelIdentity identifyModel(const QString& dir);

}  // namespace fedmrg::app

#pragma once
// Include it before any Qt header (Qt's "slots" macro breaks LibTorch's headers).
// Writes a tiny, randomly initialized report model folder (config, weights, tokenizer) so that tests
// drive the real draft path without a trained model. Its text is noise, which is all tests need.
#include <string>
#include <vector>

#include "engine/model/report_net.h"
#include "engine/text/bpe_tokenizer.h"

namespace fedmrg::testing {

inline void writeTinyModel(const std::string& dir) {
  torch::manual_seed(7);
  const std::vector<std::string> corpus{"FINDINGS: The heart size is normal.", "No pleural effusion.",
                                        "IMPRESSION: Mild cardiomegaly.", "cardiomegaly: positive.",
                                        "Write the radiology report."};
  engine::BpeTrainOptions o;
  o.vocabSize = 300;
  o.minFrequency = 1;
  const engine::BpeTokenizer tok = engine::BpeTokenizer::train(corpus, o);
  engine::ModelConfig c = engine::ModelConfig::tiny(tok.vocabSize());
  c.decoder.maxSeqLen = 512;  // room for a byte-level prompt of 14 states
  engine::net::ReportNet m(c);
  {
    torch::NoGradGuard g;
    for (auto& p : m->parameters()) p.normal_(0.0, 0.1);
  }
  m->eval();
  engine::ModelFolder(dir).save(*m, &tok);
}

}  // namespace fedmrg::testing

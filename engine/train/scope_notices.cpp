#include "engine/train/scope_notices.h"

#include "engine/core/json.h"

namespace fedmrg::engine {
namespace {

bool active(const LossTerm& t) { return t.enabled && t.weight != 0; }

std::string weightText(const LossTerm& t) { return "weight " + Json(t.weight).dump(); }

}  // namespace

const char* scopeName(TrainOptions::Scope scope) { return scope == TrainOptions::Scope::Base ? "base" : "adapters"; }

std::vector<std::string> scopeNotices(const ModelConfig& c, TrainOptions::Scope scope) {
  std::vector<std::string> out;
  const std::string in = std::string("training scope '") + scopeName(scope) + "'";
  const LossConfig& l = c.losses;
  const bool adapters = scope == TrainOptions::Scope::Adapters;
  // Mirrors train::computeLosses: mutual boosting needs both adapters present and training.
  if (active(l.mutualBoosting)) {
    if (!adapters)
      out.push_back("losses.mutual_boosting is enabled (" + weightText(l.mutualBoosting) + "), but " + in +
                    " trains no adapters: mutual boosting runs only when both adapters train (scope 'adapters'), "
                    "so it is skipped in this run");
    else if (!c.lora.generic || !c.lora.specialized)
      out.push_back("losses.mutual_boosting is enabled (" + weightText(l.mutualBoosting) + "), but lora." +
                    (c.lora.generic ? "specialized" : "generic") +
                    " is false: mutual boosting needs both adapters, so it is skipped in " + in);
  }
  if (adapters && !c.lora.generic && !c.lora.specialized)
    out.push_back("lora.generic and lora.specialized are both false: " + in +
                  " has no adapter to train, only the projection heads");
  // The adapters scope freezes the encoder and the diagnosis head (net::setTrainScope): the term is computed and
  // reported, but no parameter it reaches can change.
  if (adapters && active(l.diagnosis))
    out.push_back("losses.diagnosis is enabled (" + weightText(l.diagnosis) + "), but " + in +
                  " freezes the encoder and the diagnosis head: the term is reported but trains nothing");
  return out;
}

}  // namespace fedmrg::engine

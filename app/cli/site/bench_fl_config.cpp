#include "app/cli/site/bench_fl_config.h"

#include <stdexcept>

#include "app/cli/site/bench_fl_methods.h"

namespace fedmrg::cli::benchfl {
namespace {

using engine::Json;

// Reads fields of one object, naming the file and the field path in every error.
class Reader {
 public:
  Reader(const Json& j, std::string file, std::string path) : j_(j), file_(std::move(file)), path_(std::move(path)) {
    if (!j_.isObject()) fail("", "must be an object");
  }
  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    const std::string field = path_.empty() ? key : key.empty() ? path_ : path_ + "." + key;
    throw std::runtime_error(file_ + ": " + (field.empty() ? std::string("the file") : field) + ": " + why);
  }
  const Json* find(const std::string& key) const { return j_.find(key); }
  double number(const std::string& key, double def, double min, double max) const {
    const Json* v = find(key);
    if (!v) return def;
    if (!v->isNumber()) fail(key, "must be a number");
    const double x = v->asNumber();
    if (x < min || x > max) fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return x;
  }
  int integer(const std::string& key, int def, int min, int max) const {
    const double x = number(key, def, min, max);
    if (x != double(int(x))) fail(key, "must be an integer");
    return int(x);
  }
  bool boolean(const std::string& key, bool def) const {
    const Json* v = find(key);
    if (!v) return def;
    if (!v->isBool()) fail(key, "must be true or false");
    return v->asBool();
  }
  std::string string(const std::string& key, const std::string& def) const {
    const Json* v = find(key);
    if (!v) return def;
    if (!v->isString()) fail(key, "must be a string");
    return v->asString();
  }
  std::vector<std::string> strings(const std::string& key) const {
    const Json* v = find(key);
    if (!v) fail(key, "is required");
    if (!v->isArray() || v->size() == 0) fail(key, "must be a non-empty array of strings");
    std::vector<std::string> out;
    for (const Json& x : v->asArray()) {
      if (!x.isString()) fail(key, "must be a non-empty array of strings");
      out.push_back(x.asString());
    }
    return out;
  }
  Reader child(const std::string& key) const {
    const Json* v = find(key);
    static const Json empty = Json::object();
    return Reader(v ? *v : empty, file_, path_.empty() ? key : path_ + "." + key);
  }

 private:
  const Json& j_;
  std::string file_, path_;
};

}  // namespace

BenchConfig BenchConfig::load(const std::string& path) {
  Json j;
  try {
    j = Json::parseFile(path);
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": not a readable JSON file: " + e.what());
  }
  const Reader r(j, path, "");
  BenchConfig c;
  c.source = j;
  c.name = r.string("name", "");
  if (c.name.empty() || c.name.find_first_of("/\\ ") != std::string::npos)
    r.fail("name", "is required, without slashes or spaces (it names the results folder)");
  c.baseModel = r.string("base_model", "");
  if (const Json* m = r.find("model")) {
    if (!m->isObject()) r.fail("model", "must be an object of model config fields");
    c.modelOverrides = *m;
  }
  const Reader d = r.child("data");
  c.data.dir = d.string("dir", "");
  c.data.studiesPerSite = d.integer("studies_per_site", c.data.studiesPerSite, 10, 100000);
  c.data.size = d.integer("size", c.data.size, 64, 4096);
  c.data.seed = uint64_t(d.integer("seed", int(c.data.seed), 0, 1 << 30));
  c.data.sites = d.strings("sites");
  c.data.heldOut = d.string("held_out", "");
  if (c.data.heldOut.empty()) d.fail("held_out", "is required (the unseen site)");
  for (const auto& s : c.data.sites)
    if (s == c.data.heldOut) d.fail("held_out", "'" + s + "' is also a seen site");
  c.data.maxTrainPerSite = d.integer("max_train_per_site", 0, 0, 1 << 30);
  c.data.maxValPerSite = d.integer("max_val_per_site", 0, 0, 1 << 30);
  c.data.maxTestPerSite = d.integer("max_test_per_site", 0, 0, 1 << 30);
  c.data.heldOutVal = d.integer("held_out_val", c.data.heldOutVal, 1, 1 << 30);
  c.data.heldOutTest = d.integer("held_out_test", 0, 0, 1 << 30);
  c.rounds = r.integer("rounds", c.rounds, 1, 100000);
  c.localSteps = r.integer("local_steps", c.localSteps, 1, 1000000);
  c.batch = r.integer("batch", c.batch, 1, 4096);
  c.learningRate = r.number("lr", c.learningRate, 1e-9, 1.0);
  c.fedproxMu = r.number("fedprox_mu", c.fedproxMu, 0.0, 1e6);
  c.threads = r.integer("threads", 0, 0, 1024);
  c.maxNewTokens = r.integer("max_new_tokens", c.maxNewTokens, 1, 100000);
  c.sharePrototypes = r.boolean("share_prototypes", c.sharePrototypes);
  if (const Json* s = r.find("seeds")) {
    if (!s->isArray() || s->size() == 0) r.fail("seeds", "must be a non-empty array of integers");
    c.seeds.clear();
    for (const Json& x : s->asArray()) {
      if (!x.isNumber() || x.asNumber() < 0 || x.asNumber() != double(int64_t(x.asNumber())))
        r.fail("seeds", "must be a non-empty array of non-negative integers");
      c.seeds.push_back(uint64_t(x.asNumber()));
    }
  }
  c.methods = r.strings("methods");
  for (const auto& m : c.methods)
    if (!findMethod(m)) r.fail("methods", "unknown method '" + m + "' (known: " + methodNames() + ")");
  const Reader k = r.child("codec");
  c.codec.rank = k.integer("rank", c.codec.rank, 1, 1024);
  c.codec.int8 = k.boolean("int8", c.codec.int8);
  c.codec.zstd = k.boolean("zstd", c.codec.zstd);
  c.codec.refreshEvery = k.integer("refresh_every", c.codec.refreshEvery, 0, 1 << 30);
  return c;
}

}  // namespace fedmrg::cli::benchfl

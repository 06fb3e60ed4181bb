#include "engine/text/bpe_tokenizer.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "engine/core/json.h"

namespace fedmrg::engine {
namespace {

constexpr int kFormatVersion = 1;
constexpr size_t kCacheLimit = 200000;
constexpr size_t kCachedPieceLimit = 256;  // longer pieces (a run of symbols, a pasted blob) are not cached
const char* const kDefaultSpecials[] = {"<pad>", "<bos>", "<eos>"};

enum class CharClass { Space, Letter, Digit, Other };

CharClass classify(unsigned char c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return CharClass::Space;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) return CharClass::Letter;
  if (c >= '0' && c <= '9') return CharClass::Digit;
  return CharClass::Other;
}

uint64_t pairKey(int a, int b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

// Replaces every non-overlapping (a, b), left to right, by merged.
void mergeInPlace(std::vector<int>& sym, int a, int b, int merged) {
  size_t out = 0;
  for (size_t i = 0; i < sym.size(); ++i) {
    if (i + 1 < sym.size() && sym[i] == a && sym[i + 1] == b) {
      sym[out++] = merged;
      ++i;
    } else {
      sym[out++] = sym[i];
    }
  }
  sym.resize(out);
}

}  // namespace

struct BpeTokenizer::Impl {
  std::vector<std::string> specials;
  std::vector<std::pair<int, int>> merges;
  std::vector<std::string> tokens;                 // bytes of every id
  std::unordered_map<uint64_t, int> mergeRank;     // pair -> rank
  mutable std::mutex cacheMutex;
  mutable std::unordered_map<std::string, std::vector<int>> cache;

  int byteId(unsigned char b) const { return int(specials.size()) + b; }
  int mergeBase() const { return int(specials.size()) + 256; }

  void rebuild() {
    tokens.clear();
    tokens.reserve(specials.size() + 256 + merges.size());
    for (const auto& s : specials) tokens.push_back(s);
    for (int b = 0; b < 256; ++b) tokens.emplace_back(1, char(b));
    mergeRank.clear();
    for (size_t k = 0; k < merges.size(); ++k) {
      tokens.push_back(tokens[size_t(merges[k].first)] + tokens[size_t(merges[k].second)]);
      mergeRank.emplace(pairKey(merges[k].first, merges[k].second), int(k));
    }
    std::lock_guard<std::mutex> lock(cacheMutex);
    cache.clear();
  }

  // Applies the merges to one piece, lowest rank first and leftmost first among equals: a min-heap of candidate
  // pairs over a linked list of symbols, O(n log n). A merged token only ever takes part in later-ranked merges,
  // so this equals replacing every occurrence of the best pair at once.
  std::vector<int> encodePiece(std::string_view piece) const {
    const int n = int(piece.size());
    std::vector<int> sym(piece.size()), next(piece.size()), prev(piece.size());
    for (int i = 0; i < n; ++i) {
      sym[size_t(i)] = byteId(static_cast<unsigned char>(piece[size_t(i)]));
      next[size_t(i)] = i + 1 < n ? i + 1 : -1;
      prev[size_t(i)] = i - 1;
    }
    using Entry = std::pair<int, int>;  // (rank, left position)
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
    auto push = [&](int i) {
      const int j = next[size_t(i)];
      if (j < 0) return;
      auto it = mergeRank.find(pairKey(sym[size_t(i)], sym[size_t(j)]));
      if (it != mergeRank.end()) heap.push({it->second, i});
    };
    for (int i = 0; i + 1 < n; ++i) push(i);
    while (!heap.empty()) {
      const auto [rank, i] = heap.top();
      heap.pop();
      const int j = next[size_t(i)];
      const auto [a, b] = merges[size_t(rank)];
      if (sym[size_t(i)] != a || j < 0 || sym[size_t(j)] != b) continue;  // stale entry
      sym[size_t(i)] = mergeBase() + rank;
      sym[size_t(j)] = -1;
      next[size_t(i)] = next[size_t(j)];
      if (next[size_t(j)] >= 0) prev[size_t(next[size_t(j)])] = i;
      if (prev[size_t(i)] >= 0) push(prev[size_t(i)]);
      push(i);
    }
    std::vector<int> out;
    for (int i = n > 0 ? 0 : -1; i >= 0; i = next[size_t(i)]) out.push_back(sym[size_t(i)]);
    return out;
  }

  void encodePlain(std::string_view text, std::vector<int>& out) const {
    for (std::string_view piece : BpeTokenizer::pretokenize(text)) {
      {
        std::lock_guard<std::mutex> lock(cacheMutex);
        auto it = cache.find(std::string(piece));
        if (it != cache.end()) {
          out.insert(out.end(), it->second.begin(), it->second.end());
          continue;
        }
      }
      std::vector<int> ids = encodePiece(piece);
      out.insert(out.end(), ids.begin(), ids.end());
      if (piece.size() > kCachedPieceLimit) continue;
      std::lock_guard<std::mutex> lock(cacheMutex);
      if (cache.size() >= kCacheLimit) cache.clear();
      cache.emplace(std::string(piece), std::move(ids));
    }
  }
};

BpeTokenizer::BpeTokenizer() : d_(std::make_unique<Impl>()) {
  for (const char* s : kDefaultSpecials) d_->specials.emplace_back(s);
  d_->rebuild();
}
BpeTokenizer::~BpeTokenizer() = default;
BpeTokenizer::BpeTokenizer(const BpeTokenizer& o) : d_(std::make_unique<Impl>()) {
  d_->specials = o.d_->specials;
  d_->merges = o.d_->merges;
  d_->rebuild();
}
BpeTokenizer& BpeTokenizer::operator=(const BpeTokenizer& o) {
  if (this != &o) {
    BpeTokenizer copy(o);
    std::swap(d_, copy.d_);
  }
  return *this;
}
BpeTokenizer::BpeTokenizer(BpeTokenizer&&) noexcept = default;
BpeTokenizer& BpeTokenizer::operator=(BpeTokenizer&&) noexcept = default;

std::vector<std::string_view> BpeTokenizer::pretokenize(std::string_view text) {
  std::vector<std::string_view> pieces;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const size_t start = i;
    CharClass cls = classify(static_cast<unsigned char>(text[i]));
    if (cls == CharClass::Space) {
      size_t j = i;
      while (j < n && classify(static_cast<unsigned char>(text[j])) == CharClass::Space) ++j;
      // Leave a final ' ' to the following word.
      if (j < n && text[j - 1] == ' ' && j - 1 > i) {
        pieces.push_back(text.substr(i, j - 1 - i));
        i = j - 1;
        continue;
      }
      if (j < n && text[j - 1] == ' ' && j - 1 == i) {
        // A single space: it is the prefix of the next word.
        i = j;
        cls = classify(static_cast<unsigned char>(text[i]));
      } else {
        pieces.push_back(text.substr(i, j - i));
        i = j;
        continue;
      }
    }
    size_t j = i + 1;
    while (j < n && classify(static_cast<unsigned char>(text[j])) == cls) ++j;
    pieces.push_back(text.substr(start, j - start));
    i = j;
  }
  return pieces;
}

BpeTokenizer BpeTokenizer::train(const std::vector<std::string>& corpus, const BpeTrainOptions& options) {
  BpeTokenizer tok;
  for (const auto& s : options.specialTokens) {
    if (s.empty()) throw TokenizerError("BPE training: empty special token");
    if (std::find(tok.d_->specials.begin(), tok.d_->specials.end(), s) == tok.d_->specials.end())
      tok.d_->specials.push_back(s);
  }
  Impl& d = *tok.d_;
  const int base = d.mergeBase();
  const int targetMerges = options.vocabSize - base;
  if (targetMerges < 0)
    throw TokenizerError("BPE training: vocab_size " + std::to_string(options.vocabSize) +
                         " is smaller than the special tokens plus 256 bytes (" + std::to_string(base) + ")");

  // Distinct pieces with their counts, in a deterministic order.
  std::map<std::string, int64_t> counts;
  for (const auto& text : corpus)
    for (std::string_view piece : pretokenize(text)) ++counts[std::string(piece)];
  std::vector<std::vector<int>> words;
  std::vector<int64_t> freq;
  words.reserve(counts.size());
  for (const auto& [piece, c] : counts) {
    std::vector<int> w;
    for (unsigned char ch : piece) w.push_back(d.byteId(ch));
    words.push_back(std::move(w));
    freq.push_back(c);
  }

  std::unordered_map<uint64_t, int64_t> pairCount;
  std::unordered_map<uint64_t, std::vector<int>> where;  // may hold stale or repeated word indices
  for (size_t w = 0; w < words.size(); ++w)
    for (size_t i = 0; i + 1 < words[w].size(); ++i) {
      const uint64_t k = pairKey(words[w][i], words[w][i + 1]);
      pairCount[k] += freq[w];
      auto& list = where[k];
      if (list.empty() || list.back() != int(w)) list.push_back(int(w));
    }

  // Highest count first; ties broken by the smaller pair key so that training is reproducible.
  using Entry = std::pair<int64_t, uint64_t>;
  auto cmp = [](const Entry& x, const Entry& y) {
    return x.first != y.first ? x.first < y.first : x.second > y.second;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(cmp)> heap(cmp);
  for (const auto& [k, c] : pairCount) heap.push({c, k});

  std::unordered_map<uint64_t, int64_t> delta;
  while (int(d.merges.size()) < targetMerges && !heap.empty()) {
    const auto [count, key] = heap.top();
    heap.pop();
    auto it = pairCount.find(key);
    if (it == pairCount.end() || it->second != count) continue;  // stale entry
    if (count < std::max<int64_t>(1, options.minFrequency)) break;
    const int a = int(key >> 32), b = int(uint32_t(key));
    const int merged = base + int(d.merges.size());
    d.merges.emplace_back(a, b);

    delta.clear();
    std::vector<int> affected = std::move(where[key]);
    where.erase(key);
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
    for (int w : affected) {
      auto& sym = words[size_t(w)];
      bool present = false;
      for (size_t i = 0; i + 1 < sym.size(); ++i)
        if (sym[i] == a && sym[i + 1] == b) present = true;
      if (!present) continue;
      for (size_t i = 0; i + 1 < sym.size(); ++i) delta[pairKey(sym[i], sym[i + 1])] -= freq[size_t(w)];
      mergeInPlace(sym, a, b, merged);
      for (size_t i = 0; i + 1 < sym.size(); ++i) {
        const uint64_t k = pairKey(sym[i], sym[i + 1]);
        delta[k] += freq[size_t(w)];
        if (sym[i] == merged || sym[i + 1] == merged) {
          auto& list = where[k];
          if (list.empty() || list.back() != w) list.push_back(w);
        }
      }
    }
    for (const auto& [k, dc] : delta) {
      if (dc == 0) continue;
      int64_t& c = pairCount[k];
      c += dc;
      if (c <= 0) {
        pairCount.erase(k);
      } else {
        heap.push({c, k});
      }
    }
    pairCount.erase(key);
  }
  d.rebuild();
  return tok;
}

std::vector<int> BpeTokenizer::encode(std::string_view text, bool parseSpecial) const {
  std::vector<int> out;
  if (!parseSpecial) {
    d_->encodePlain(text, out);
    return out;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    // Find the earliest (then longest) special token occurrence.
    size_t best = std::string_view::npos;
    int bestId = -1;
    for (size_t s = 0; s < d_->specials.size(); ++s) {
      const size_t at = text.find(d_->specials[s], pos);
      if (at == std::string_view::npos) continue;
      if (at < best || (at == best && d_->specials[s].size() > d_->specials[size_t(bestId)].size())) {
        best = at;
        bestId = int(s);
      }
    }
    if (bestId < 0) {
      d_->encodePlain(text.substr(pos), out);
      break;
    }
    d_->encodePlain(text.substr(pos, best - pos), out);
    out.push_back(bestId);
    pos = best + d_->specials[size_t(bestId)].size();
  }
  return out;
}

std::string BpeTokenizer::decode(const std::vector<int>& ids, bool skipSpecial) const {
  std::string out;
  for (int id : ids) {
    if (id < 0 || id >= vocabSize())
      throw TokenizerError("decode: token id " + std::to_string(id) + " is outside the vocabulary (size " +
                           std::to_string(vocabSize()) + ")");
    if (skipSpecial && isSpecial(id)) continue;
    out += d_->tokens[size_t(id)];
  }
  return out;
}

int BpeTokenizer::vocabSize() const { return int(d_->tokens.size()); }
int BpeTokenizer::numSpecial() const { return int(d_->specials.size()); }
int BpeTokenizer::numMerges() const { return int(d_->merges.size()); }

int BpeTokenizer::tokenId(std::string_view specialToken) const {
  for (size_t s = 0; s < d_->specials.size(); ++s)
    if (d_->specials[s] == specialToken) return int(s);
  return -1;
}

const std::string& BpeTokenizer::tokenBytes(int id) const {
  if (id < 0 || id >= vocabSize())
    throw TokenizerError("token id " + std::to_string(id) + " is outside the vocabulary");
  return d_->tokens[size_t(id)];
}

Json BpeTokenizer::toJson() const {
  Json j = Json::object();
  j["format"] = "fedmrg-bpe";
  j["version"] = kFormatVersion;
  j["pretokenizer"] = "gpt2-bytes-v1";
  Json specials = Json::array();
  for (const auto& s : d_->specials) specials.push_back(s);
  j["special_tokens"] = std::move(specials);
  Json merges = Json::array();
  for (const auto& [a, b] : d_->merges) merges.push_back(Json(Json::Array{Json(a), Json(b)}));
  j["merges"] = std::move(merges);
  return j;
}

BpeTokenizer BpeTokenizer::fromJson(const Json& json, const std::string& source) {
  auto fail = [&](const std::string& why) { return TokenizerError(source + ": " + why); };
  try {
    if (!json.isObject()) throw fail("not a JSON object");
    const Json* format = json.find("format");
    if (!format || !format->isString() || format->asString() != "fedmrg-bpe")
      throw fail("field 'format' must be \"fedmrg-bpe\"");
    const Json* version = json.find("version");
    if (!version || !version->isNumber()) throw fail("missing field 'version'");
    if (version->asInt() != kFormatVersion)
      throw fail("unsupported version " + std::to_string(version->asInt()) + " (this build reads version " +
                 std::to_string(kFormatVersion) + ")");
    const std::string pre = json.value("pretokenizer", "gpt2-bytes-v1");
    if (pre != "gpt2-bytes-v1") throw fail("unknown pretokenizer '" + pre + "'");
    BpeTokenizer tok;
    Impl& d = *tok.d_;
    d.specials.clear();
    const Json* specials = json.find("special_tokens");
    if (!specials || !specials->isArray()) throw fail("field 'special_tokens' must be an array of strings");
    for (size_t i = 0; i < specials->size(); ++i) {
      const Json& s = specials->at(i);
      if (!s.isString() || s.asString().empty())
        throw fail("special_tokens[" + std::to_string(i) + "] must be a non-empty string");
      if (std::find(d.specials.begin(), d.specials.end(), s.asString()) != d.specials.end())
        throw fail("special_tokens[" + std::to_string(i) + "] '" + s.asString() + "' is repeated");
      d.specials.push_back(s.asString());
    }
    const Json* merges = json.find("merges");
    if (!merges || !merges->isArray()) throw fail("field 'merges' must be an array of [left, right] id pairs");
    const int base = d.mergeBase();
    std::unordered_set<uint64_t> seen;
    for (size_t k = 0; k < merges->size(); ++k) {
      const Json& m = merges->at(k);
      const std::string where = "merges[" + std::to_string(k) + "]";
      if (!m.isArray() || m.size() != 2 || !m.at(size_t(0)).isNumber() || !m.at(size_t(1)).isNumber())
        throw fail(where + " must be a pair of token ids");
      const int64_t a = m.at(size_t(0)).asInt(), b = m.at(size_t(1)).asInt();
      const int64_t limit = base + int64_t(k);
      const int64_t first = int64_t(d.specials.size());
      if (a < first || b < first || a >= limit || b >= limit)
        throw fail(where + " refers to id " + std::to_string(a < first || a >= limit ? a : b) +
                   ", which is a special token or not yet defined (ids below " + std::to_string(limit) +
                   " after the special tokens)");
      if (!seen.insert(pairKey(int(a), int(b))).second) throw fail(where + " repeats an earlier merge");
      d.merges.emplace_back(int(a), int(b));
    }
    d.rebuild();
    return tok;
  } catch (const JsonError& e) {
    throw fail(e.what());
  }
}

BpeTokenizer BpeTokenizer::load(const std::string& path) {
  Json j;
  try {
    j = Json::parseFile(path);
  } catch (const JsonError& e) {
    throw TokenizerError(std::string("cannot read tokenizer: ") + e.what());
  }
  return fromJson(j, path);
}

void BpeTokenizer::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw TokenizerError("cannot write tokenizer to " + path);
  out << toJson().dump(-1) << '\n';
  if (!out) throw TokenizerError("error while writing tokenizer to " + path);
}

}  // namespace fedmrg::engine

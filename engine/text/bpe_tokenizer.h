#pragma once
// Byte-level BPE tokenizer (trainer, encoder, decoder) for the report model; exact round trip for any bytes.
//
// Ids: special tokens first (0 .. S-1, in the order given at training; "<pad>", "<bos>", "<eos>" are always
// present), then the 256 single bytes (S .. S+255), then one id per merge in rank order.
// Pre-tokenization (GPT-2 style): the text is cut into pieces that are a run of letters (ASCII letters and every
// byte >= 0x80, so UTF-8 sequences stay whole), a run of digits, or a run of other non-space characters, each
// with at most one leading ' ' attached; whitespace runs form their own pieces, giving their last ' ' to the
// following word. Merges never cross pieces.
//
// The tokenizer file (version 1):
//   {"format": "fedmrg-bpe", "version": 1, "pretokenizer": "gpt2-bytes-v1",
//    "special_tokens": ["<pad>", "<bos>", "<eos>", ...],
//    "merges": [[left_id, right_id], ...]}      merge k creates id S + 256 + k
// A malformed file throws TokenizerError naming the file and the offending field.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fedmrg::engine {

class Json;

class TokenizerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BpeTrainOptions {
  int vocabSize = 4000;               // total, special tokens and the 256 bytes included
  int minFrequency = 2;               // a pair seen fewer times than this is never merged
  std::vector<std::string> specialTokens;  // extra ones, e.g. "<sep>", "<img>"; <pad>/<bos>/<eos> are implicit
};

class BpeTokenizer {
 public:
  BpeTokenizer();  // bytes and the three default special tokens, no merges
  ~BpeTokenizer();
  BpeTokenizer(const BpeTokenizer&);
  BpeTokenizer& operator=(const BpeTokenizer&);
  BpeTokenizer(BpeTokenizer&&) noexcept;
  BpeTokenizer& operator=(BpeTokenizer&&) noexcept;

  // Deterministic: the same corpus and options give the same tokenizer.
  static BpeTokenizer train(const std::vector<std::string>& corpus, const BpeTrainOptions& options);
  static BpeTokenizer load(const std::string& path);
  static BpeTokenizer fromJson(const Json& json, const std::string& source = "tokenizer");
  void save(const std::string& path) const;
  Json toJson() const;

  // parseSpecial: occurrences of special-token strings in the text become their ids; otherwise the text is
  // taken as plain bytes. Thread-safe.
  std::vector<int> encode(std::string_view text, bool parseSpecial = false) const;
  // Concatenates the tokens' bytes; special tokens are written as their text unless skipSpecial.
  // Throws TokenizerError for an id outside the vocabulary.
  std::string decode(const std::vector<int>& ids, bool skipSpecial = false) const;

  int vocabSize() const;
  int numSpecial() const;
  int numMerges() const;
  int tokenId(std::string_view specialToken) const;  // -1 when absent
  bool isSpecial(int id) const { return id >= 0 && id < numSpecial(); }
  const std::string& tokenBytes(int id) const;
  int padId() const { return tokenId("<pad>"); }
  int bosId() const { return tokenId("<bos>"); }
  int eosId() const { return tokenId("<eos>"); }

  // The pre-tokenizer's pieces, exposed for tests and the trainer.
  static std::vector<std::string_view> pretokenize(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace fedmrg::engine

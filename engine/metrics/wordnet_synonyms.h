// fedmrg:internal
// WordNet synonym sets for METEOR's synonym module, read from the WordNet 3.0 database files
// (Debian package wordnet-base: /usr/share/wordnet/data.{noun,verb,adj,adv} and {noun,verb,adj,adv}.exc).
// Two words are synonyms when some base form of each (WordNet's morphology: exception lists, then the
// standard suffix rules) belongs to a common synset.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fedmrg::engine {

class WordNetSynonyms {
 public:
    // Loads the database from `dir`; when the files are missing, available() is false and status() says why.
    explicit WordNetSynonyms(const std::string& dir = "/usr/share/wordnet");
    ~WordNetSynonyms();
    WordNetSynonyms(const WordNetSynonyms&) = delete;
    WordNetSynonyms& operator=(const WordNetSynonyms&) = delete;

    bool available() const;
    const std::string& status() const;  // "WordNet 3.0 from DIR: N lemmas" or the reason it is unavailable

    // Sorted synset ids of all base forms of a lower-case word (empty when unknown).
    std::vector<uint64_t> synsets(std::string_view word) const;

    // The process-wide instance for the default directory (loaded on first use).
    static const WordNetSynonyms& shared();

 private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fedmrg::engine

#include "engine/metrics/wordnet_synonyms.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <unordered_map>

namespace fedmrg::engine {
namespace {

constexpr const char* kPosNames[4] = {"noun", "verb", "adj", "adv"};

// WordNet's detachment rules (suffix, replacement) per part of speech.
struct Rule {
    const char* suffix;
    const char* replacement;
};
const std::vector<Rule>& detachRules(int pos) {
    static const std::vector<Rule> noun = {{"s", ""},     {"ses", "s"}, {"xes", "x"},  {"zes", "z"},
                                           {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}};
    static const std::vector<Rule> verb = {{"s", ""},   {"ies", "y"}, {"es", "e"},  {"es", ""},
                                           {"ed", "e"}, {"ed", ""},   {"ing", "e"}, {"ing", ""}};
    static const std::vector<Rule> adj = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};
    static const std::vector<Rule> none;
    switch (pos) {
        case 0: return noun;
        case 1: return verb;
        case 2: return adj;
        default: return none;
    }
}

}  // namespace

struct WordNetSynonyms::Impl {
    // lemma -> synset ids, per part of speech; synset id = (pos << 32) | byte offset.
    std::unordered_map<std::string, std::vector<uint64_t>> lemmas[4];
    std::unordered_map<std::string, std::vector<std::string>> exceptions[4];
    std::string status;
    bool ok = false;

    bool loadData(const std::string& path, int pos) {
        std::ifstream in(path);
        if (!in) return false;
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == ' ') continue;  // license header lines start with two spaces
            // offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id ...] ...
            const char* p = line.c_str();
            char* end = nullptr;
            unsigned long long offset = std::strtoull(p, &end, 10);
            p = end;
            std::strtoul(p, &end, 10);  // lex_filenum
            p = end;
            while (*p == ' ') ++p;
            while (*p && *p != ' ') ++p;  // ss_type
            unsigned long count = std::strtoul(p, &end, 16);
            p = end;
            const uint64_t id = (static_cast<uint64_t>(pos) << 32) | offset;
            for (unsigned long w = 0; w < count && *p; ++w) {
                while (*p == ' ') ++p;
                const char* start = p;
                while (*p && *p != ' ') ++p;
                std::string word(start, p);
                if (size_t paren = word.find('('); paren != std::string::npos) word.resize(paren);  // "(a)" markers
                for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                lemmas[pos][word].push_back(id);
                while (*p == ' ') ++p;
                while (*p && *p != ' ') ++p;  // lex_id
            }
        }
        return true;
    }

    void loadExceptions(const std::string& path, int pos) {
        std::ifstream in(path);
        std::string inflected, base;
        std::string line;
        while (std::getline(in, line)) {
            size_t sp = line.find(' ');
            if (sp == std::string::npos) continue;
            inflected = line.substr(0, sp);
            size_t pos2 = sp + 1;
            while (pos2 < line.size()) {
                size_t next = line.find(' ', pos2);
                if (next == std::string::npos) next = line.size();
                if (next > pos2) exceptions[pos][inflected].push_back(line.substr(pos2, next - pos2));
                pos2 = next + 1;
            }
        }
    }
};

WordNetSynonyms::WordNetSynonyms(const std::string& dir) : impl_(std::make_unique<Impl>()) {
    size_t total = 0;
    for (int pos = 0; pos < 4; ++pos) {
        const std::string data = dir + "/data." + kPosNames[pos];
        if (!impl_->loadData(data, pos)) {
            impl_->status = "WordNet not found (" + data + " is missing): synonym matching skipped";
            for (auto& l : impl_->lemmas) l.clear();
            return;
        }
        impl_->loadExceptions(dir + "/" + kPosNames[pos] + ".exc", pos);
        total += impl_->lemmas[pos].size();
    }
    for (auto& byPos : impl_->lemmas)
        for (auto& [word, ids] : byPos) {
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        }
    impl_->ok = true;
    impl_->status = "WordNet from " + dir + ": " + std::to_string(total) + " lemmas";
}

WordNetSynonyms::~WordNetSynonyms() = default;

bool WordNetSynonyms::available() const { return impl_->ok; }
const std::string& WordNetSynonyms::status() const { return impl_->status; }

std::vector<uint64_t> WordNetSynonyms::synsets(std::string_view word) const {
    std::vector<uint64_t> out;
    if (!impl_->ok || word.empty()) return out;
    const std::string w(word);
    for (int pos = 0; pos < 4; ++pos) {
        const auto& lemmas = impl_->lemmas[pos];
        auto add = [&](const std::string& base) {
            if (auto it = lemmas.find(base); it != lemmas.end()) out.insert(out.end(), it->second.begin(), it->second.end());
        };
        add(w);
        if (auto it = impl_->exceptions[pos].find(w); it != impl_->exceptions[pos].end())
            for (const std::string& base : it->second) add(base);
        for (const Rule& r : detachRules(pos)) {
            std::string_view suffix(r.suffix);
            if (w.size() > suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0)
                add(w.substr(0, w.size() - suffix.size()) + r.replacement);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

const WordNetSynonyms& WordNetSynonyms::shared() {
    static const WordNetSynonyms instance;
    return instance;
}

}  // namespace fedmrg::engine

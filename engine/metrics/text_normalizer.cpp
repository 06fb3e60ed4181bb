#include "engine/metrics/text_normalizer.h"

#include <stdexcept>

namespace fedmrg::engine {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
    std::string out;
    out.reserve(s.size());
    size_t pos = 0;
    while (true) {
        size_t hit = s.find(from, pos);
        if (hit == std::string::npos) break;
        out.append(s, pos, hit - pos);
        out.append(to);
        pos = hit + from.size();
    }
    out.append(s, pos, std::string::npos);
    s.swap(out);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

// Characters R2Gen's sentence cleaner deletes (after lower-casing).
bool r2genDeleted(char c) {
    switch (c) {
        case '"': case '/': case '\\': case '\'':
        case '.': case ',': case '?': case ';': case '*': case '!': case '%': case '^': case '&':
        case '_': case '+': case '(': case ')': case '{': case '}': case ']':
            return true;
        default:
            return c >= ':' && c <= '[';
    }
}

bool isPtbPunct(char c) {
    switch (c) {
        case '.': case ',': case '?': case '!': case ':': case ';': case '(': case ')': case '[': case ']':
        case '{': case '}': case '"': case '`': case '\'':
            return true;
        default:
            return false;
    }
}

}  // namespace

TokenizeMode tokenizeModeFromName(std::string_view name) {
    if (name == "whitespace") return TokenizeMode::Whitespace;
    if (name == "r2gen") return TokenizeMode::R2Gen;
    if (name == "ptb") return TokenizeMode::Ptb;
    throw std::invalid_argument("unknown tokenization '" + std::string(name) + "' (whitespace, r2gen or ptb)");
}

const char* tokenizeModeName(TokenizeMode mode) {
    switch (mode) {
        case TokenizeMode::Whitespace: return "whitespace";
        case TokenizeMode::R2Gen: return "r2gen";
        case TokenizeMode::Ptb: return "ptb";
    }
    return "r2gen";
}

std::vector<std::string> splitWhitespace(std::string_view text) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && isSpace(text[i])) ++i;
        size_t start = i;
        while (i < text.size() && !isSpace(text[i])) ++i;
        if (i > start) out.emplace_back(text.substr(start, i - start));
    }
    return out;
}

std::string r2genClean(std::string_view report) {
    std::string t(report);
    for (int k = 0; k < 3; ++k) replaceAll(t, "..", ".");
    replaceAll(t, "1. ", "");
    for (const char* from : {". 2. ", ". 3. ", ". 4. ", ". 5. "}) replaceAll(t, from, ". ");
    for (const char* from : {" 2. ", " 3. ", " 4. ", " 5. "}) replaceAll(t, from, ". ");
    std::string_view trimmed = trim(t);
    std::string lowered;
    lowered.reserve(trimmed.size());
    for (char c : trimmed) lowered.push_back(lower(c));

    // R2Gen joins every sentence, even one that cleaning left empty (its filter compares a str to []).
    std::string joined;
    joined.reserve(lowered.size() + 8);
    size_t pos = 0;
    bool first = true;
    while (true) {
        size_t cut = lowered.find(". ", pos);
        size_t end = cut == std::string::npos ? lowered.size() : cut;
        if (!first) joined += " . ";
        first = false;
        for (size_t i = pos; i < end; ++i)
            if (!r2genDeleted(lowered[i])) joined.push_back(lowered[i]);
        if (cut == std::string::npos) break;
        pos = cut + 2;
    }
    joined += " .";
    std::string out;
    out.reserve(joined.size());
    for (const std::string& tok : splitWhitespace(joined)) {
        if (!out.empty()) out.push_back(' ');
        out += tok;
    }
    return out;
}

std::vector<std::string> tokenize(std::string_view text, TokenizeMode mode) {
    switch (mode) {
        case TokenizeMode::Whitespace:
            return splitWhitespace(text);
        case TokenizeMode::R2Gen:
            return splitWhitespace(r2genClean(text));
        case TokenizeMode::Ptb: {
            std::vector<std::string> out;
            for (const std::string& word : splitWhitespace(text)) {
                std::string cur;
                for (char c : word) {
                    if (isPtbPunct(c)) {
                        if (!cur.empty()) out.push_back(cur);
                        cur.clear();
                    } else {
                        cur.push_back(lower(c));
                    }
                }
                if (!cur.empty()) out.push_back(cur);
            }
            // A lone "-" or "--" is a punctuation token too.
            std::vector<std::string> kept;
            kept.reserve(out.size());
            for (auto& tok : out)
                if (tok.find_first_not_of('-') != std::string::npos) kept.push_back(std::move(tok));
            return kept;
        }
    }
    return {};
}

}  // namespace fedmrg::engine

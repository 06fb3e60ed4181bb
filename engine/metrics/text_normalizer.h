// Turns report text into the token sequences the caption metrics score, the way the field does it.
//
// Modes (all return tokens; metrics then treat tokens as opaque strings):
//  - Whitespace: split on ASCII whitespace, nothing else (what nlg-eval feeds pycocoevalcap; case and
//    punctuation are kept, so "français." is one token).
//  - R2Gen (default for reports): the cleaning of R2Gen's clean_report_iu_xray / clean_report_mimic_cxr:
//      1. collapse ".." to "." (three times), drop the list markers "1. " and turn " N. " (N = 2..5)
//         into a sentence break, trim, lower-case (ASCII);
//      2. split sentences at ". ";
//      3. in each sentence delete the characters  " / \ '  and every character of
//         . , ? ; * ! % ^ & _ + ( ) { } ] and the range ':' .. '[' (: ; < = > ? @ [ and, before
//         lower-casing, A-Z), then trim (a sentence that ends up empty still counts, as in R2Gen);
//      4. join the sentences with " . " and end with " ." (so "." is a token between sentences).
//    Hyphens and digits are kept ("x-ray", "t11").
//  - Ptb: like pycocoevalcap's PTBTokenizer: lower-case, split punctuation off words, then drop the
//    punctuation tokens  '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : - -- ... ;  (hyphens inside words
//    are kept, clitics such as "'s" become separate tokens without their apostrophe).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fedmrg::engine {

enum class TokenizeMode { Whitespace, R2Gen, Ptb };

// Parses "whitespace" | "r2gen" | "ptb"; throws std::invalid_argument otherwise.
TokenizeMode tokenizeModeFromName(std::string_view name);
const char* tokenizeModeName(TokenizeMode mode);

std::vector<std::string> splitWhitespace(std::string_view text);

// The R2Gen-cleaned report as one string (tokens separated by single spaces).
std::string r2genClean(std::string_view report);

std::vector<std::string> tokenize(std::string_view text, TokenizeMode mode);

}  // namespace fedmrg::engine

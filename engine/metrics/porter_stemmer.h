// fedmrg:internal
// The Porter (1980) suffix-stripping stemmer for English words, written for METEOR's stem module.
#pragma once

#include <string>
#include <string_view>

namespace fedmrg::engine {

// Stems a lower-case ASCII word ("generated" -> "gener", "relational" -> "relat"). Words of one or two
// letters and words with non-letters are returned unchanged.
std::string porterStem(std::string_view word);

}  // namespace fedmrg::engine

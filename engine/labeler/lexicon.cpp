// The phrase tables. The mention lists, the exclusions and the "other findings" list contain most
// of the CheXpert labeler's phrases/mention/*.txt and phrases/unmention/*.txt (141 of its 153
// phrases), Copyright (c) 2018 Stanford Machine Learning Group, MIT licence (THIRD_PARTY_NOTICES),
// with the project's additions. The size cues and the trigger lists are the project's own words for
// the cues that the CheXpert labeler's Semgrex patterns and NegBio's (public-domain) regular
// expressions describe; no pattern was copied.
#include "engine/labeler/lexicon.h"

namespace fedmrg::engine {
namespace {

// Observation indices (CheXpert order, see observations.h).
constexpr int8_t kOther = 0, kEnlargedCm = 1, kCardiomegaly = 2, kLesion = 3, kOpacity = 4, kEdema = 5,
                 kConsolidation = 6, kPneumonia = 7, kAtelectasis = 8, kPneumothorax = 9, kEffusion = 10,
                 kPleuralOther = 11, kFracture = 12, kDevices = 13;

constexpr TriggerEffect kNeg = TriggerEffect::Negative;
constexpr TriggerEffect kUnc = TriggerEffect::Uncertain;
constexpr TriggerEffect kUncStrong = TriggerEffect::UncertainStrong;
constexpr TriggerDirection kPre = TriggerDirection::Pre;
constexpr TriggerDirection kPost = TriggerDirection::Post;

LexiconPhrase mention(const char* text, int8_t obs, uint8_t flags = 0) {
    return {text, PhraseKind::Mention, obs, TriggerEffect::None, TriggerDirection::None, 0, flags};
}
LexiconPhrase exclusion(const char* text, int8_t obs) {
    return {text, PhraseKind::Exclusion, obs, TriggerEffect::None, TriggerDirection::None, 0, 0};
}
LexiconPhrase trigger(const char* text, TriggerEffect e, TriggerDirection d, uint8_t scope, uint8_t flags = 0) {
    return {text, PhraseKind::Trigger, -1, e, d, scope, flags};
}

std::vector<LexiconPhrase> build() {
    std::vector<LexiconPhrase> t;
    // --- Mentions -------------------------------------------------------------------------------
    for (const char* p : {"cardiomediastinum", "cardiomediastinal silhouette*", "cardiomediastinal contour*",
                          "cardiomediastinal shadow*", "mediastinum", "mediastinal contour*", "contour*",
                          "mediastinal configuration", "mediastinal silhouette*", "pericardial silhouette*",
                          "mediastinal widening", "widened mediastinum", "cardiomediastinal"})
        t.push_back(mention(p, kEnlargedCm, kMentionContour));
    for (const char* p : {"cardiac silhouette and vascularity"}) t.push_back(mention(p, kEnlargedCm));

    for (const char* p : {"cardiomegaly"}) t.push_back(mention(p, kCardiomegaly));
    for (const char* p : {"the heart", "heart size", "heart is", "heart shadow", "cardiac enlargement", "cardiac size",
                          "cardiac shadow*", "cardiac contour*", "cardiac silhouette*", "enlarged heart",
                          "enlargement of the heart", "enlarged cardiac silhouette*"})
        t.push_back(mention(p, kCardiomegaly, kMentionContour));

    for (const char* p : {"mass", "masses", "nodular density", "nodular densities", "nodular opacity",
                          "nodular opacities", "nodular opacification", "nodule*", "lump", "lumps",
                          "cavitary lesion*", "carcinoma*", "neoplasm*", "tumor*", "tumour*"})
        t.push_back(mention(p, kLesion));
    // The project's additions (IU X-ray dev half): a round density or opacity and a nodular
    // prominence are how radiologists name a nodule they do not call one.
    for (const char* p :
         {"round densit*", "rounded densit*", "round opaci*", "rounded opaci*", "nodular prominence", "fibronodular"})
        t.push_back(mention(p, kLesion));
    for (const char* p : {"calcified nodul*", "calcified granulomatous nodul*", "thyroid mass*", "breast mass*",
                          "soft tissue mass*", "neck mass*", "pericardial mass*", "pleural mass*"})
        t.push_back(exclusion(p, kLesion));

    for (const char* p : {"opaci*", "decreased translucency", "increased density", "increased densities",
                          "airspace disease*", "air space disease*", "airspace process", "infiltrat*",
                          "interstitial marking*", "interstitial pattern*", "interstitial lung",
                          "reticular pattern*", "reticular marking*", "reticulation", "parenchymal scarring",
                          "peribronchial thickening", "wall thickening", "scar", "scars", "scarring", "airspace filling",
                          "opaque"})
        t.push_back(mention(p, kOpacity));
    t.push_back(exclusion("radio opaque", kOpacity));  // "radio-opaque marker"
    for (const char* p : {"pleural scar", "pleural scarring", "pleural parenchymal scar*", "pleuroparenchymal scar*",
                          "pleural peripheral scar*"})
        t.push_back(exclusion(p, kOpacity));

    for (const char* p : {"edema", "oedema", "heart failure", "chf"}) t.push_back(mention(p, kEdema));
    for (const char* p : {"soft tissue edema", "soft tissue swelling and edema", "subcutaneous edema"})
        t.push_back(exclusion(p, kEdema));
    for (const char* p : {"vascular congestion", "pulmonary congestion", "indistinctness", "vascular prominence",
                          "venous congestion", "interstitial congestion"})
        t.push_back(mention(p, kEdema, kMentionAlwaysUncertain));

    t.push_back(mention("consolidat*", kConsolidation));
    for (const char* p : {"pneumonia*", "infection*", "infectious process*", "infectious", "bronchopneumonia",
                          "pneumonitis"})
        t.push_back(mention(p, kPneumonia));
    for (const char* p : {"granulomatous infection*", "granulomatous infectious", "prior infection*", "old infection*",
                          "remote infection*", "previous infection*", "prior pneumonia*", "previous pneumonia*",
                          "old pneumonia*", "remote pneumonia*"})
        t.push_back(exclusion(p, kPneumonia));
    for (const char* p : {"atelecta*", "collapse*"}) t.push_back(mention(p, kAtelectasis));
    for (const char* p : {"pneumothorax", "pneumothoraces", "hydropneumothorax", "hemopneumothorax"})
        t.push_back(mention(p, kPneumothorax));

    for (const char* p : {"effusion*", "pleural fluid", "fluid in the pleural space"}) t.push_back(mention(p, kEffusion));
    for (const char* p : {"pericardial effusion*"}) t.push_back(exclusion(p, kEffusion));

    for (const char* p : {"pleural thickening", "fibrosis", "fibrothorax", "pleural scar", "pleural scarring",
                          "pleural parenchymal scar*", "pleuroparenchymal scar*", "pleuro parenchymal scar*",
                          "pleuro pericardial scar*", "pleural plaque*", "pleural peripheral scar*"})
        t.push_back(mention(p, kPleuralOther));

    t.push_back(mention("fracture*", kFracture));

    for (const char* p : {"pacer*", "line", "lines", "picc", "tube", "tubes", "valve", "valves", "catheter*",
                          "pacemaker*", "hardware", "arthroplast*", "marker", "markers", "icd", "defibrillator*",
                          "device", "devices", "drain", "drains", "plate", "plates", "screw", "screws", "cannula*",
                          "apparatus", "coil", "coils", "support", "equipment", "mediport*", "port a cath",
                          "portacath", "stent", "stents", "sternotomy wire*"})
        t.push_back(mention(p, kDevices));

    // Other findings: they make "No Finding" blank when positive or uncertain.
    for (const char* p : {"emphysema*", "blunt*", "density", "densities", "elevation", "elevated", "eventration",
                          "scoliosis", "degenera*", "calcifi*", "hyperinflat*", "bronchospasm", "asthma", "hernia*",
                          "copd", "plaque*", "osteophyt*", "aortic disease", "bronchiolitis", "airways disease",
                          "airway disease", "thickening", "cephalization", "aspiration", "bulla", "bullae", "contusion*",
                          "atherosclero*", "osteopenia", "metastas*", "granuloma*", "pneumomediastinum",
                          "pneumoperitoneum", "osteodystrophy", "cuffing", "irregular lucency", "inflam*", "fissure*",
                          "hypertension", "prominen*", "kyphosis", "hyperexpan*", "bullet*", "reticula*",
                          "thoracentesis", "bronchitis", "volume loss", "deformit*", "hemorrhage", "hematoma*",
                          "radiopaque", "aerophagia", "arthropathy", "tracheostomy", "spondylosis", "tortuous",
                          "tortuosity", "ectatic", "ectasia"})
        t.push_back(mention(p, kOther));

    // Size cues: "the heart" or "cardiac silhouette" alone states no finding; with one of these it does.
    for (const char* p : {"enlarg*", "large", "larger", "prominen*", "widen*", "increase*", "cardiomegaly", "big",
                          "dilat*", "abnormal*", "globular", "wide", "expanded"})
        t.push_back({p, PhraseKind::SizeCue, -1, TriggerEffect::None, TriggerDirection::None, 0, 0});

    // --- Triggers -------------------------------------------------------------------------------
    // Uncertainty that beats negation ("cannot exclude", "no new").
    for (const char* p : {"cannot exclude", "can not exclude", "cannot rule out", "can not rule out",
                          "cannot be excluded", "no new", "not rule out", "difficult to exclude",
                          "no evidence to rule out", "not excluded", "not be excluded", "not ruled out",
                          "not be ruled out", "cannot be ruled out", "not entirely excluded"})
        t.push_back(trigger(p, kUncStrong, kPre, 8));
    for (const char* p : {"cannot be excluded", "can not be excluded", "not excluded", "not be excluded",
                          "not ruled out", "not be ruled out", "cannot be ruled out", "not entirely excluded",
                          "cannot be entirely excluded", "not completely excluded", "difficult to exclude",
                          "difficult to entirely exclude"})
        t.push_back(trigger(p, kUncStrong, kPost, 8));

    // Negation before the mention.
    for (const char* p : {"no", "not", "without", "negative for", "free of", "clear of", "resolution of",
                          "resolved", "removal of", "rather than", "absence of", "absent", "rules out", "ruled out",
                          "exclude", "excluded", "excludes", "never", "clearing of", "cleared", "disappearance of",
                          "history of", "nor", "none"})
        t.push_back(trigger(p, kNeg, kPre, 12));
    for (const char* p : {"normal", "unremarkable", "normally", "normal sized", "negative"})
        t.push_back(trigger(p, kNeg, kPre, 3));

    // Negation after the mention.
    for (const char* p : {"normal", "unremarkable", "not enlarged", "not seen", "not identified", "not visualized",
                          "not present", "not appreciated", "not demonstrated", "not evident", "not noted",
                          "has resolved", "have resolved", "resolved", "resolving", "removed", "absent", "negative",
                          "has cleared", "have cleared", "cleared", "no longer", "not increased", "not widened",
                          "not dilated", "upper limits", "top normal", "not significantly enlarged"})
        t.push_back(trigger(p, kNeg, kPost, 8));

    // Uncertainty before the mention.
    for (const char* p : {"may be", "might be", "could be", "can be", "may have", "might have", "could have",
                          "may", "might", "could", "possible", "possibly", "probable", "probably", "presumably",
                          "presumed", "likely", "questionable", "question of", "questioned", "suspect*",
                          "suspicious", "suspicion", "concern", "concerning", "worrisome", "differential",
                          "consider", "considered", "consideration", "borderline",
                          "equivocal", "indeterminate", "rule out", "evaluate for", "evaluation for", "favor*",
                          "cannot", "can not", "perhaps", "maybe", "correlate", "correlation", "atypical", "uncertain"})
        t.push_back(trigger(p, kUnc, kPre, 8));
    for (const char* p : {"suggestion of", "there is suspected", "there are suspected"})
        t.push_back(trigger(p, kUnc, kPre, 8));
    // A hedge followed by a cause ("opacity, possibly due to atelectasis", "opacities may be compatible
    // with scarring") makes the cause uncertain, not the finding before it (CheXpert's "may be due to",
    // "may represent" patterns). Being longer, these hide the post-trigger "possibly" / "may be".
    for (const char* p : {"possibly due to", "probably due to", "likely due to", "may be due to", "could be due to",
                          "might be due to", "possibly related to", "may be related to", "could be related to",
                          "possibly secondary to", "may be secondary to", "may be compatible with",
                          "could be compatible with", "possibly compatible with", "may be consistent with",
                          "may represent", "might represent", "could represent", "possibly representing",
                          "may reflect", "could reflect", "possibly reflecting"})
        t.push_back(trigger(p, kUnc, kPre, 8));
    // "stable/unchanged heart size" is uncertain in CheXpert (no statement about enlargement).
    for (const char* p : {"stable", "unchanged", "similar", "no change", "not changed"})
        t.push_back(trigger(p, kUnc, kPre, 3, kTriggerContourOnly));

    // Uncertainty after the mention. Not a bare "possibly": in "opacity, possibly atelectasis" it hedges
    // what follows it (CheXpert), not the opacity.
    for (const char* p : {"may be", "might be", "could be", "can be", "may have", "might have", "could have",
                          "is possible", "are possible", "suspected", "is suspected", "questionable",
                          "not well visualized", "not clearly seen", "not well seen",
                          "not well evaluated", "poorly evaluated", "incompletely evaluated", "obscured",
                          "not assessed", "is likely", "likely", "?", "not clearly visualized", "borderline",
                          "difficult to entirely exclude"})
        t.push_back(trigger(p, kUnc, kPost, 6));
    for (const char* p : {"stable", "unchanged", "similar", "no change", "not changed"})
        t.push_back(trigger(p, kUnc, kPost, 6, kTriggerContourOnly));
    return t;
}

}  // namespace

const std::vector<const char*>& scopeTerminators() {
    static const std::vector<const char*> words = {"but", "however", "although", "though", "except", "aside",
                                                   "apart", "whereas", "yet", "while", "which", "who",
                                                   "because", "since", "then", "there"};
    return words;
}

const std::vector<const char*>& postScopeTerminators() {
    static const std::vector<const char*> words = {"with", "otherwise", "addition", "also", "without", "no"};
    return words;
}

const std::vector<LexiconPhrase>& labelerLexicon() {
    static const std::vector<LexiconPhrase> table = build();
    return table;
}

}  // namespace fedmrg::engine

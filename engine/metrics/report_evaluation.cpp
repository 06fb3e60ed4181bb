#include "engine/metrics/report_evaluation.h"

#include <cstdio>
#include <unordered_map>

#include "engine/labeler/labeler.h"
#include "engine/metrics/meteor.h"
#include "engine/metrics/text_metrics.h"

namespace fedmrg::engine {
namespace {

std::string fixed(double v, int digits = 4) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

Json prfJson(const PrfScores& s) {
    Json j = Json::object();
    j["precision"] = s.precision;
    j["recall"] = s.recall;
    j["f1"] = s.f1;
    return j;
}

}  // namespace

EvaluationResult evaluateReports(const std::vector<IdReport>& predictions, const std::vector<IdReport>& references,
                                 const EvaluationOptions& options) {
    EvaluationResult out;
    std::unordered_map<std::string, const IdReport*> refById;
    for (const IdReport& r : references) refById.emplace(r.id, &r);
    std::unordered_map<std::string, bool> predIds;
    TokenCorpus corpus;
    std::vector<const IdReport*> predPaired, refPaired;
    for (const IdReport& p : predictions) {
        predIds.emplace(p.id, true);
        auto it = refById.find(p.id);
        if (it == refById.end()) {
            out.onlyInPredictions.push_back(p.id);
            continue;
        }
        predPaired.push_back(&p);
        refPaired.push_back(it->second);
    }
    for (const IdReport& r : references)
        if (!predIds.count(r.id)) out.onlyInReferences.push_back(r.id);
    out.pairs = predPaired.size();
    corpus.hyps.reserve(out.pairs);
    corpus.refs.reserve(out.pairs);
    for (size_t i = 0; i < out.pairs; ++i) {
        out.emptyPredictions += predPaired[i]->report.find_first_not_of(" \t\r\n") == std::string::npos;
        out.emptyReferences += refPaired[i]->report.find_first_not_of(" \t\r\n") == std::string::npos;
        corpus.hyps.push_back(tokenize(predPaired[i]->report, options.tokenize));
        corpus.refs.push_back({tokenize(refPaired[i]->report, options.tokenize)});
    }
    if (out.pairs == 0) return out;
    out.bleu = corpusBleu(corpus).bleu;
    out.rougeL = corpusRougeL(corpus);
    out.ciderD = corpusCiderD(corpus);
    if (options.meteor) {
        Meteor meteor;
        out.meteor = meteor.corpusScore(corpus);
        out.meteorSynonyms = meteor.synonymStatus();
    }
    if (options.clinical) {
        ReportLabeler labeler;
        std::vector<ObservationStates> pred, ref;
        pred.reserve(out.pairs);
        ref.reserve(out.pairs);
        for (size_t i = 0; i < out.pairs; ++i) {
            pred.push_back(labeler.states(predPaired[i]->report));
            ref.push_back(labeler.states(refPaired[i]->report));
        }
        out.clinical = clinicalEfficacy(pred, ref);
        out.clinicalComputed = true;
    }
    return out;
}

Json EvaluationResult::toJson() const {
    Json j = Json::object();
    j["pairs"] = pairs;
    Json a = Json::array(), b = Json::array();
    for (const auto& id : onlyInPredictions) a.push_back(id);
    for (const auto& id : onlyInReferences) b.push_back(id);
    j["only_in_predictions"] = a;
    j["only_in_references"] = b;
    j["empty_predictions"] = emptyPredictions;
    j["empty_references"] = emptyReferences;
    for (int n = 0; n < 4; ++n) j["bleu_" + std::to_string(n + 1)] = bleu[n];
    if (meteor >= 0) {
        j["meteor"] = meteor;
        j["meteor_synonyms"] = meteorSynonyms;
    }
    j["rouge_l"] = rougeL;
    j["cider_d"] = ciderD;
    if (clinicalComputed) {
        Json c = Json::object();
        c["example_based"] = prfJson(clinical.exampleBased);
        c["micro_14"] = prfJson(clinical.micro14);
        c["micro_5"] = prfJson(clinical.micro5);
        c["macro_f1_14"] = clinical.macroF1_14;
        c["macro_f1_5"] = clinical.macroF1_5;
        Json per = Json::object();
        for (int k = 0; k < kNumObservations; ++k) {
            const auto& o = clinical.perObservation[k];
            Json e = Json::object();
            e["tp"] = o.tp;
            e["fp"] = o.fp;
            e["fn"] = o.fn;
            e["tn"] = o.tn;
            e["precision"] = o.precision;
            e["recall"] = o.recall;
            e["f1"] = o.f1;
            per[observationKey(k)] = e;
        }
        c["per_observation"] = per;
        j["clinical"] = c;
    }
    return j;
}

std::string EvaluationResult::toText() const {
    std::string t;
    t += "pairs scored: " + std::to_string(pairs) + "\n";
    if (emptyPredictions || emptyReferences)
        t += "empty reports scored: " + std::to_string(emptyPredictions) + " predictions, " +
             std::to_string(emptyReferences) + " references\n";
    if (pairs == 0) return t;
    t += "BLEU-1  " + fixed(bleu[0]) + "\nBLEU-2  " + fixed(bleu[1]) + "\nBLEU-3  " + fixed(bleu[2]) + "\nBLEU-4  " +
         fixed(bleu[3]) + "\n";
    if (meteor >= 0) t += "METEOR  " + fixed(meteor) + "   (" + meteorSynonyms + ")\n";
    t += "ROUGE-L " + fixed(rougeL) + "\nCIDEr-D " + fixed(ciderD) + "\n";
    if (!clinicalComputed) return t;
    const auto& c = clinical;
    t += "\nClinical efficacy (labeler 'positive' states, generated vs reference)\n";
    t += "example-based  P " + fixed(c.exampleBased.precision) + "  R " + fixed(c.exampleBased.recall) + "  F1 " +
         fixed(c.exampleBased.f1) + "\n";
    t += "micro (14)     P " + fixed(c.micro14.precision) + "  R " + fixed(c.micro14.recall) + "  F1 " +
         fixed(c.micro14.f1) + "\n";
    t += "micro (5)      P " + fixed(c.micro5.precision) + "  R " + fixed(c.micro5.recall) + "  F1 " +
         fixed(c.micro5.f1) + "\n";
    t += "macro F1 (14)  " + fixed(c.macroF1_14) + "\nmacro F1 (5)   " + fixed(c.macroF1_5) + "\n\n";
    char line[160];
    std::snprintf(line, sizeof line, "%-28s %5s %5s %5s %9s %7s %7s\n", "observation", "tp", "fp", "fn", "precision",
                  "recall", "F1");
    t += line;
    for (int k = 0; k < kNumObservations; ++k) {
        const auto& o = c.perObservation[k];
        std::snprintf(line, sizeof line, "%-28s %5d %5d %5d %9.4f %7.4f %7.4f\n", observationName(k), o.tp, o.fp, o.fn,
                      o.precision, o.recall, o.f1);
        t += line;
    }
    return t;
}

}  // namespace fedmrg::engine

#include "engine/metrics/clinical_metrics.h"

namespace fedmrg::engine {
namespace {

double ratio(double num, double den, bool bothEmpty) { return den > 0 ? num / den : (bothEmpty ? 1.0 : 0.0); }

double f1Of(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

PrfScores pooled(const ClinicalScores& s, const int* obs, size_t count) {
    double tp = 0, fp = 0, fn = 0;
    for (size_t k = 0; k < count; ++k) {
        const auto& a = s.perObservation[obs[k]];
        tp += a.tp;
        fp += a.fp;
        fn += a.fn;
    }
    PrfScores out;
    out.precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
    out.recall = tp + fn > 0 ? tp / (tp + fn) : 0.0;
    out.f1 = f1Of(out.precision, out.recall);
    return out;
}

}  // namespace

const std::array<int, 5>& commonObservations() {
    static const std::array<int, 5> obs = {observationIndex("cardiomegaly"), observationIndex("edema"),
                                           observationIndex("consolidation"), observationIndex("atelectasis"),
                                           observationIndex("pleural_effusion")};
    return obs;
}

ClinicalScores clinicalEfficacy(const std::vector<ObservationStates>& pred, const std::vector<ObservationStates>& ref) {
    if (pred.size() != ref.size())
        throw std::invalid_argument("clinical efficacy: " + std::to_string(pred.size()) + " predictions but " +
                                    std::to_string(ref.size()) + " references");
    ClinicalScores s;
    s.reports = pred.size();
    double sumP = 0, sumR = 0, sumF = 0;
    for (size_t i = 0; i < pred.size(); ++i) {
        int inter = 0, np = 0, nr = 0;
        for (int k = 0; k < kNumObservations; ++k) {
            const bool p = pred[i][k] == ObservationState::Positive;
            const bool r = ref[i][k] == ObservationState::Positive;
            auto& a = s.perObservation[k];
            if (p && r) ++a.tp;
            else if (p) ++a.fp;
            else if (r) ++a.fn;
            else ++a.tn;
            inter += p && r;
            np += p;
            nr += r;
        }
        const bool bothEmpty = np == 0 && nr == 0;
        sumP += ratio(inter, np, bothEmpty);
        sumR += ratio(inter, nr, bothEmpty);
        sumF += ratio(2.0 * inter, np + nr, bothEmpty);
    }
    if (!pred.empty()) {
        s.exampleBased = {sumP / pred.size(), sumR / pred.size(), sumF / pred.size()};
    }
    for (auto& a : s.perObservation) {
        a.precision = a.tp + a.fp > 0 ? double(a.tp) / (a.tp + a.fp) : 0.0;
        a.recall = a.tp + a.fn > 0 ? double(a.tp) / (a.tp + a.fn) : 0.0;
        a.f1 = f1Of(a.precision, a.recall);
    }
    int all[kNumObservations];
    for (int k = 0; k < kNumObservations; ++k) all[k] = k;
    s.micro14 = pooled(s, all, kNumObservations);
    s.micro5 = pooled(s, commonObservations().data(), commonObservations().size());
    for (int k = 0; k < kNumObservations; ++k) s.macroF1_14 += s.perObservation[k].f1 / kNumObservations;
    for (int k : commonObservations()) s.macroF1_5 += s.perObservation[k].f1 / commonObservations().size();
    return s;
}

}  // namespace fedmrg::engine

#include "engine/synth/report_writer.h"

#include <cctype>
#include <cmath>
#include <vector>

#include "engine/synth/synth_random.h"

namespace fedmrg::engine {
namespace {

using State = ObservationState;

std::string capitalize(std::string s) {
  if (!s.empty()) s[0] = char(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

const char* severityWord(int severity, bool technical) {
  switch (severity) {
    case 1: return "mild";
    case 2: return "moderate";
    default: return technical ? "marked" : "severe";
  }
}
const char* sizeWord(int severity) { return severity == 1 ? "small" : (severity == 2 ? "moderate" : "large"); }

std::string ordinal(int n) {
  static const char* words[] = {"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                                "eighth", "ninth", "tenth", "eleventh", "twelfth"};
  return n >= 1 && n <= 12 ? words[n] : std::to_string(n) + "th";
}

std::string sideAdj(Side s) { return sideName(s); }

// "An" before a vowel sound ("an 8 mm nodule", "an 11 mm nodule"), else "A".
std::string article(const std::string& next) {
  const bool vowel = !next.empty() && (std::string("aeiou").find(next[0]) != std::string::npos || next[0] == '8' ||
                                       next.rfind("11 ", 0) == 0 || next.rfind("18 ", 0) == 0);
  return vowel ? "An" : "A";
}

std::string lobe(Side s, Zone z, bool technical) {
  const std::string side = s == Side::Both ? "bilateral" : sideName(s);
  if (!technical) {
    const char* zone = z == Zone::Upper ? "upper" : (z == Zone::Middle ? "mid" : "lower");
    return s == Side::Both ? std::string("both ") + zone + " lungs" : side + " " + zone + " lung";
  }
  if (s == Side::Both) return z == Zone::Upper ? "both upper lobes" : (z == Zone::Middle ? "both mid lungs" : "both lower lobes");
  if (z == Zone::Middle) return s == Side::Right ? "right middle lobe" : "lingula";
  return side + (z == Zone::Upper ? " upper lobe" : " lower lobe");
}

class Writer {
 public:
  Writer(const StudyTruth& t, const ReportingProfile& p, uint64_t seed) : t_(t), p_(p), rng_(seed) {
    for (auto& s : report_.states) s = State::Blank;
  }

  SynthReport write() {
    collectSentences();
    assemble();
    report_.states[obs::NoFinding] = t_.anyPathology() ? State::Blank : State::Positive;
    return report_;
  }

 private:
  struct Group {
    std::string title;
    std::vector<std::string> sentences;
  };
  const StudyTruth& t_;
  const ReportingProfile& p_;
  SynthRng rng_;
  SynthReport report_;
  Group devices_{"", {}}, cardiac_{"CARDIAC", {}}, lungs_{"LUNGS", {}}, pleura_{"PLEURA", {}}, bones_{"BONES", {}};
  std::vector<std::string> impression_;

  const Finding& f(int i) const { return t_.findings[size_t(i)]; }
  bool present(int i) const { return f(i).present; }
  bool tech() const { return p_.technicalTerms; }
  static std::string the(const Finding& x) { return x.side == Side::Both ? "" : "the "; }

  // "possible X", "X cannot be excluded", "findings may represent X".
  std::string hedge(const std::string& x) {
    switch (p_.hedgeStyle) {
      case 0: return capitalize("possible " + x) + ".";
      case 1: return capitalize(x) + " cannot be excluded.";
      default: return "Findings may represent " + x + ".";
    }
  }
  std::string negative(const std::string& x) {
    switch (p_.negativeStyle) {
      case 0: return "No " + x + ".";
      case 1: return "There is no " + x + ".";
      default: return "Negative for " + x + ".";
    }
  }
  void mark(int i) { report_.states[size_t(i)] = f(i).uncertain ? State::Uncertain : State::Positive; }
  // Adds the sentence for a present finding: certain wording or the hedge of `hedged`.
  void finding(Group& g, int i, const std::string& certain, const std::string& hedged, const std::string& impression) {
    mark(i);
    g.sentences.push_back(f(i).uncertain ? hedge(hedged) : certain);
    impression_.push_back(f(i).uncertain ? hedge(hedged) : impression);
  }
  bool sayNegative() { return rng_.chance(p_.verbosity); }
  void negated(Group& g, int i, const std::string& phrase) {
    report_.states[size_t(i)] = State::Negative;
    g.sentences.push_back(negative(phrase));
  }

  void collectSentences() {
    deviceSentences();
    cardiacSentences();
    lungSentences();
    pleuraSentences();
    boneSentences();
  }

  void deviceSentences() {
    const Finding& d = f(obs::SupportDevices);
    if (!d.present) return;
    report_.states[obs::SupportDevices] = State::Positive;
    if (d.kind & kDeviceEtTube) {
      const int cm = 3 + rng_.below(3);
      devices_.sentences.push_back(tech() ? "Endotracheal tube tip approximately " + std::to_string(cm) + " cm above the carina."
                                          : "The endotracheal tube ends about " + std::to_string(cm) + " cm above the carina.");
    }
    if (d.kind & kDeviceNgTube)
      devices_.sentences.push_back(tech() ? "Enteric tube courses below the diaphragm into the stomach."
                                          : "A feeding tube passes into the stomach.");
    if (d.kind & kDeviceCentralLine) {
      const std::string side = d.side == Side::Left ? "left" : "right";
      devices_.sentences.push_back(tech() ? capitalize(side) + " subclavian central venous catheter with tip in the superior vena cava."
                                          : "A " + side + " central venous catheter ends in the superior vena cava.");
    }
    if (d.kind & kDevicePacemaker)
      devices_.sentences.push_back(tech() ? "Left chest wall pacemaker with leads in the right atrium and right ventricle."
                                          : "A pacemaker is present over the left chest with its leads in the expected position.");
    if (rng_.chance(0.5)) impression_.push_back(tech() ? "Support devices as described." : "Lines and tubes as described.");
  }

  void cardiacSentences() {
    if (present(obs::Cardiomegaly)) {
      const std::string sev = severityWord(f(obs::Cardiomegaly).severity, tech());
      finding(cardiac_, obs::Cardiomegaly,
              tech() ? pick({capitalize(sev + " cardiomegaly."), "The cardiac silhouette is " + sev + "ly enlarged."})
                     : pick({"The heart is " + sev + "ly enlarged.", "The heart looks " + sev + "ly enlarged."}),
              "cardiomegaly", capitalize(sev + " cardiomegaly."));
    } else if (sayNegative() || rng_.chance(0.5)) {
      report_.states[obs::Cardiomegaly] = State::Negative;
      cardiac_.sentences.push_back(tech() ? pick({"The heart size is normal.", "Heart size is within normal limits.",
                                                  "Normal heart size."})
                                          : pick({"The cardiac silhouette is normal in size.", "The heart is normal in size."}));
    }
    if (present(obs::EnlargedCardiomediastinum)) {
      finding(cardiac_, obs::EnlargedCardiomediastinum,
              tech() ? "The mediastinum is widened." : "The mediastinal silhouette is enlarged.",
              "widening of the mediastinum", "Widened mediastinum.");
    } else if (sayNegative()) {
      report_.states[obs::EnlargedCardiomediastinum] = State::Negative;
      cardiac_.sentences.push_back(tech() ? pick({"The mediastinal contours are normal.",
                                                  "Mediastinal contours are within normal limits."})
                                          : pick({"The mediastinum is not widened.", "The mediastinum looks normal."}));
    }
  }

  void lungSentences() {
    const bool parenchyma = present(obs::LungOpacity) || present(obs::Consolidation) || present(obs::Pneumonia) ||
                            present(obs::Edema) || present(obs::Atelectasis) || present(obs::LungLesion);
    if (present(obs::Pneumonia)) {
      const Finding& x = f(obs::Pneumonia);
      const std::string where = lobe(x.side, x.zone, tech());
      const std::string certain = x.side == Side::Both ? "Pneumonia in " + where + "." : capitalize(where) + " pneumonia.";
      finding(lungs_, obs::Pneumonia, certain, std::string("pneumonia in ") + (x.side == Side::Both ? "" : "the ") + where, certain);
    }
    if (present(obs::Consolidation)) {
      const Finding& x = f(obs::Consolidation);
      const std::string where = lobe(x.side, x.zone, tech());
      finding(lungs_, obs::Consolidation,
              tech() ? "Consolidation in " + the(x) + where + "." : "There is patchy consolidation in " + the(x) + where + ".",
              std::string("consolidation in ") + (x.side == Side::Both ? "" : "the ") + where, x.side == Side::Both ? "Consolidation in " + where + "." : capitalize(where) + " consolidation.");
    } else if (!parenchyma && sayNegative()) {
      negated(lungs_, obs::Consolidation, "focal consolidation");
    }
    if (present(obs::LungOpacity)) {
      const Finding& x = f(obs::LungOpacity);
      const std::string where = lobe(x.side, x.zone, false);
      finding(lungs_, obs::LungOpacity,
              tech() ? "Patchy airspace opacity in " + the(x) + where + "." : "There is a hazy opacity in " + the(x) + where + ".",
              "an opacity in " + the(x) + where, "Opacity in " + the(x) + where + ".");
    }
    if (present(obs::Edema)) {
      const Finding& x = f(obs::Edema);
      const std::string sev = severityWord(x.severity, tech());
      finding(lungs_, obs::Edema,
              x.severity == 1 ? (tech() ? "Mild interstitial pulmonary edema." : "There is mild pulmonary edema.")
                              : capitalize(sev) + " pulmonary edema with perihilar haziness.",
              "mild pulmonary edema", capitalize(sev + " pulmonary edema."));
    } else if (sayNegative()) {
      negated(lungs_, obs::Edema, "pulmonary edema");
    }
    if (present(obs::Atelectasis)) {
      const Finding& x = f(obs::Atelectasis);
      const std::string side = x.side == Side::Both ? "bibasilar" : sideAdj(x.side) + " basilar";
      finding(lungs_, obs::Atelectasis,
              x.severity >= 2 ? capitalize(sideAdj(x.side == Side::Both ? Side::Right : x.side)) + " lower lobe atelectasis with volume loss."
                              : (tech() ? capitalize(side) + " atelectasis." : "Some " + side + " atelectasis is seen."),
              side + " atelectasis", capitalize(side + " atelectasis."));
    }
    if (present(obs::LungLesion)) {
      const Finding& x = f(obs::LungLesion);
      const std::string where = lobe(x.side, x.zone, false);
      std::string size;
      if (p_.metricSizes) {
        size = x.sizeMm >= 30 ? std::to_string(int(x.sizeMm / 10)) + "." + std::to_string(int(x.sizeMm) % 10) + " cm"
                              : std::to_string(int(x.sizeMm)) + " mm";
      } else {
        size = x.kind == 1 ? "large" : (x.sizeMm < 15 ? "small" : "");
      }
      const std::string what = x.kind == 1 ? "mass" : "nodule";
      const std::string sized = size.empty() ? what : size + " " + what;
      finding(lungs_, obs::LungLesion, article(sized) + " " + sized + " in the " + where + ".",
              "a " + what + " in the " + where, capitalize(sized) + " in the " + where + ".");
    }
    if (!parenchyma && rng_.chance(0.7))
      lungs_.sentences.push_back(tech() ? pick({"The lungs are clear.", "Lungs are clear bilaterally."})
                                        : pick({"The lungs are clear and well expanded.", "Both lungs are clear."}));
  }

  void pleuraSentences() {
    const Finding& e = f(obs::PleuralEffusion);
    const Finding& x = f(obs::Pneumothorax);
    if (e.present) {
      const std::string side = e.side == Side::Both ? "bilateral" : sideAdj(e.side);
      const std::string plural = e.side == Side::Both ? "effusions" : "effusion";
      const std::string base = std::string(sizeWord(e.severity)) + " " + side + " pleural " + plural;
      finding(pleura_, obs::PleuralEffusion,
              pick({capitalize(base + "."), "There " + std::string(e.side == Side::Both ? "are " : "is a ") + base + ".",
                    capitalize(base) + (e.side == Side::Both ? " blunting the costophrenic angles." : " blunting the costophrenic angle.")}),
              "a small " + side + " pleural " + plural,
              capitalize(std::string(sizeWord(e.severity)) + " " + side + " pleural " + plural + "."));
    }
    if (x.present) {
      const std::string side = sideAdj(x.side);
      const std::string base = std::string(sizeWord(x.severity)) + " " + side + " pneumothorax";
      finding(pleura_, obs::Pneumothorax,
              pick({capitalize(base + "."), "There is a " + base + ".",
                    capitalize(std::string(sizeWord(x.severity)) + " " + side + " apical pneumothorax.")}),
              "a small " + side + " apical pneumothorax",
              capitalize(std::string(sizeWord(x.severity)) + " " + side + " pneumothorax."));
    }
    const bool negE = !e.present && sayNegative(), negX = !x.present && sayNegative();
    if (negE && negX && p_.negativeStyle <= 1 && rng_.chance(0.7)) {
      report_.states[obs::PleuralEffusion] = State::Negative;
      report_.states[obs::Pneumothorax] = State::Negative;
      const std::string pair = rng_.chance(0.5) ? "pleural effusion or pneumothorax" : "pneumothorax or pleural effusion";
      pleura_.sentences.push_back(negative(pair));
    } else {
      if (negE) negated(pleura_, obs::PleuralEffusion, "pleural effusion");
      if (negX) negated(pleura_, obs::Pneumothorax, "pneumothorax");
    }
    if (present(obs::PleuralOther)) {
      const Finding& o = f(obs::PleuralOther);
      const std::string side = o.side == Side::Both ? "bilateral" : sideAdj(o.side);
      finding(pleura_, obs::PleuralOther,
              o.kind == 1 ? capitalize(side) + " calcified pleural thickening along the chest wall."
                          : capitalize(side) + " apical pleural thickening.",
              side + " pleural thickening", capitalize(side + " pleural thickening."));
    }
  }

  void boneSentences() {
    const Finding& fr = f(obs::Fracture);
    if (fr.present) {
      const std::string rib = sideAdj(fr.side) + " " + ordinal(fr.rib) + " rib";
      finding(bones_, obs::Fracture, "Nondisplaced fracture of the " + rib + ".", "fracture of the " + rib,
              capitalize("fracture of the " + rib + "."));
    } else if (sayNegative()) {
      negated(bones_, obs::Fracture, tech() ? pick({"acute rib fracture", "displaced rib fracture"}) : "rib fracture");
    }
  }

  std::string header(const std::string& name) const {
    if (p_.upperCaseHeaders) return name + ":";
    std::string s = name;
    for (size_t i = 1; i < s.size(); ++i) s[i] = char(std::tolower(static_cast<unsigned char>(s[i])));
    return s + ":";
  }

  std::string indication() {
    static const char* lines[] = {"Cough.", "Shortness of breath.", "Chest pain.", "Fever.", "Preoperative evaluation.",
                                  "Dyspnea.", "Routine follow-up.", "Hypoxia."};
    return lines[rng_.below(8)];
  }

  std::string pick(std::initializer_list<std::string> options) {
    const int k = rng_.below(int(options.size()));
    return *(options.begin() + k);
  }

  std::string comparison() {
    static const char* lines[] = {"None.", "No prior studies are available.", "Prior radiograph from last year."};
    return lines[rng_.below(3)];
  }

  static void appendJoined(std::string& out, const std::vector<std::string>& sentences) {
    for (const std::string& s : sentences) {
      if (!out.empty() && out.back() != '\n' && out.back() != ' ') out += ' ';
      out += s;
    }
  }

  void assemble() {
    std::string& text = report_.text;
    const bool normal = !t_.anyPathology();
    static const char* normals[] = {"No acute cardiopulmonary abnormality.", "No acute cardiopulmonary process.",
                                    "No active disease.", "Normal chest radiograph."};
    std::vector<std::string> impression = impression_;
    if (normal) {
      std::vector<std::string> kept;
      for (const std::string& s : impression) kept.push_back(s);  // devices only
      kept.push_back(normals[rng_.below(f(obs::SupportDevices).present ? 3 : 4)]);
      impression = kept;
    }
    std::vector<std::string> all;
    for (const Group* g : {&devices_, &cardiac_, &lungs_, &pleura_, &bones_})
      all.insert(all.end(), g->sentences.begin(), g->sentences.end());
    switch (p_.layout) {
      case ReportingProfile::Layout::Sections: {
        if (rng_.chance(0.5)) text += header("INDICATION") + " " + indication() + "\n";
        if (rng_.chance(p_.comparisonRate)) text += header("COMPARISON") + " " + comparison() + "\n";
        text += header("FINDINGS") + " ";
        appendJoined(text, all);
        text += "\n" + header("IMPRESSION") + " ";
        appendJoined(text, impression);
        break;
      }
      case ReportingProfile::Layout::Narrative: {
        if (rng_.chance(p_.comparisonRate)) text += "Comparison is made with a prior study. ";
        text += std::string(t_.patient.apView ? "Portable AP" : "PA") + " view of the chest. ";
        appendJoined(text, all);
        if (normal) appendJoined(text, {impression.back()});
        break;
      }
      case ReportingProfile::Layout::Structured: {
        text += header("EXAMINATION") + " Chest radiograph, " + (t_.patient.apView ? "single portable AP view." : "PA view.") + "\n";
        text += header("INDICATION") + " " + indication() + "\n";
        text += header("COMPARISON") + " " + (rng_.chance(p_.comparisonRate) ? comparison() : "None.") + "\n";
        text += header("FINDINGS") + "\n";
        if (!devices_.sentences.empty()) {
          appendJoined(text, devices_.sentences);
          text += "\n";
        }
        for (const Group* g : {&cardiac_, &lungs_, &pleura_, &bones_}) {
          if (g->sentences.empty()) continue;
          text += header(g->title) + " ";
          appendJoined(text, g->sentences);
          text += "\n";
        }
        text += header("IMPRESSION") + "\n";
        for (size_t i = 0; i < impression.size(); ++i) text += std::to_string(i + 1) + ". " + impression[i] + "\n";
        if (!text.empty() && text.back() == '\n') text.pop_back();
        break;
      }
    }
  }
};

}  // namespace

SynthReport writeSynthReport(const StudyTruth& study, const ReportingProfile& profile, uint64_t seed) {
  return Writer(study, profile, seed).write();
}

}  // namespace fedmrg::engine

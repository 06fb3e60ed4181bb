#include "engine/synth/synth_study.h"

#include <algorithm>
#include <cmath>

#include "engine/synth/synth_random.h"

namespace fedmrg::engine {

const char* sideName(Side s) {
  switch (s) {
    case Side::None: return "";
    case Side::Right: return "right";
    case Side::Left: return "left";
    case Side::Both: return "bilateral";
  }
  return "";
}

bool StudyTruth::anyPathology() const {
  for (int i = 1; i < kNumObservations; ++i)
    if (i != obs::SupportDevices && findings[size_t(i)].present) return true;
  return false;
}

namespace {

Side randomSide(SynthRng& rng, double bothRate) {
  if (rng.chance(bothRate)) return Side::Both;
  return rng.chance(0.55) ? Side::Right : Side::Left;
}
Side randomSingleSide(SynthRng& rng) { return rng.chance(0.5) ? Side::Right : Side::Left; }
Zone randomZone(SynthRng& rng, double lowerBias) {
  const double u = rng.uniform();
  if (u < lowerBias) return Zone::Lower;
  return u < lowerBias + (1 - lowerBias) / 2 ? Zone::Middle : Zone::Upper;
}
int severityDraw(SynthRng& rng, double mild, double moderate) {
  const double u = rng.uniform();
  return u < mild ? 1 : (u < mild + moderate ? 2 : 3);
}

}  // namespace

StudyTruth sampleStudy(const SiteProfile& site, uint64_t seed) {
  SynthRng rng(seed);
  StudyTruth t;
  t.seed = seed;
  PatientParams& p = t.patient;
  p.female = rng.chance(site.femaleFraction);
  p.ageYears = int(std::clamp(rng.normal(site.meanAge, site.ageSd), 18.0, 95.0));
  p.habitus = std::clamp(rng.normal(0, 0.45), -1.0, 1.0);
  p.inspiration = std::clamp(rng.normal(0.1, 0.45), -1.0, 1.0);
  p.rotation = std::clamp(rng.normal(0, 0.35), -1.0, 1.0);
  p.shiftX = rng.normal(0, 0.015);
  p.shiftY = rng.normal(0, 0.015);
  p.scale = std::clamp(rng.normal(1.0, 0.04), 0.9, 1.1);
  p.apView = rng.chance(site.acquisition.apFraction);
  p.ctr = std::clamp(rng.normal(0.44, 0.03), 0.36, 0.49);
  p.mediastinumWidth = std::clamp(rng.normal(0.15, 0.015), 0.12, 0.18);
  if (p.apView) p.inspiration = std::min(p.inspiration, rng.uniform(-1.0, 0.2));

  auto& f = t.findings;
  auto prev = site.prevalence;
  const double sick = p.apView ? 1.5 : 1.0;  // portable films come from sicker patients
  auto draw = [&](int i, double boost) {
    return rng.chance(std::min(0.95, prev[size_t(i)] * sick * boost));
  };

  // Edema first: it drives cardiomegaly and effusions.
  if (draw(obs::Edema, 1.0)) {
    f[obs::Edema] = {true, false, severityDraw(rng, 0.45, 0.35), Side::Both, Zone::Middle, 0, 0, 0};
  }
  const bool edema = f[obs::Edema].present;
  if (draw(obs::Cardiomegaly, edema ? 2.5 : 1.0)) {
    Finding& c = f[obs::Cardiomegaly];
    c.present = true;
    c.severity = severityDraw(rng, 0.45, 0.4);
    p.ctr = 0.52 + 0.05 * c.severity + rng.uniform(-0.015, 0.015);
  }
  if (draw(obs::EnlargedCardiomediastinum, f[obs::Cardiomegaly].present ? 1.8 : 1.0)) {
    Finding& m = f[obs::EnlargedCardiomediastinum];
    m.present = true;
    m.severity = severityDraw(rng, 0.5, 0.35);
    p.mediastinumWidth = 0.20 + 0.035 * m.severity;
  }
  if (draw(obs::PleuralEffusion, edema ? 3.0 : 1.0)) {
    Finding& e = f[obs::PleuralEffusion];
    e.present = true;
    e.severity = severityDraw(rng, 0.5, 0.35);
    e.side = edema ? (rng.chance(0.7) ? Side::Both : Side::Right) : randomSide(rng, 0.3);
  }
  if (draw(obs::Pneumonia, 1.0)) {
    Finding& pn = f[obs::Pneumonia];
    pn.present = true;
    pn.severity = severityDraw(rng, 0.4, 0.4);
    pn.side = randomSide(rng, 0.12);
    pn.zone = randomZone(rng, 0.6);
  }
  const Finding& pneu = f[obs::Pneumonia];
  if (pneu.present ? rng.chance(0.7) : draw(obs::Consolidation, 1.0)) {
    Finding& c = f[obs::Consolidation];
    c.present = true;
    c.severity = pneu.present ? pneu.severity : severityDraw(rng, 0.4, 0.4);
    c.side = pneu.present ? pneu.side : randomSide(rng, 0.1);
    c.zone = pneu.present ? pneu.zone : randomZone(rng, 0.6);
  }
  if (draw(obs::LungOpacity, pneu.present ? 1.5 : 1.0)) {
    Finding& o = f[obs::LungOpacity];
    o.present = true;
    o.severity = severityDraw(rng, 0.5, 0.35);
    o.side = randomSide(rng, 0.2);
    o.zone = randomZone(rng, 0.45);
  }
  if (draw(obs::Atelectasis, f[obs::PleuralEffusion].present ? 1.8 : 1.0)) {
    Finding& a = f[obs::Atelectasis];
    a.present = true;
    a.severity = severityDraw(rng, 0.6, 0.3);
    a.side = f[obs::PleuralEffusion].present && f[obs::PleuralEffusion].side != Side::Both
                 ? f[obs::PleuralEffusion].side
                 : randomSide(rng, 0.3);
    a.zone = Zone::Lower;
  }
  if (draw(obs::LungLesion, 1.0)) {
    Finding& l = f[obs::LungLesion];
    l.present = true;
    l.kind = rng.chance(0.25) ? 1 : 0;
    l.sizeMm = l.kind ? std::round(rng.uniform(32, 65)) : std::round(rng.uniform(8, 28));
    l.severity = l.kind ? 3 : (l.sizeMm < 15 ? 1 : 2);
    l.side = randomSingleSide(rng);
    l.zone = randomZone(rng, 0.3);
  }
  if (draw(obs::Fracture, 1.0)) {
    Finding& fr = f[obs::Fracture];
    fr.present = true;
    fr.severity = 1;
    fr.side = randomSingleSide(rng);
    fr.rib = 4 + rng.below(5);
  }
  if (draw(obs::Pneumothorax, f[obs::Fracture].present ? 3.0 : 1.0)) {
    Finding& px = f[obs::Pneumothorax];
    px.present = true;
    px.severity = severityDraw(rng, 0.55, 0.3);
    px.side = f[obs::Fracture].present ? f[obs::Fracture].side : randomSingleSide(rng);
    px.zone = Zone::Upper;
  }
  if (draw(obs::PleuralOther, 1.0)) {
    Finding& po = f[obs::PleuralOther];
    po.present = true;
    po.severity = 1;
    po.kind = rng.chance(0.5) ? 1 : 0;
    po.side = randomSide(rng, 0.4);
  }
  if (draw(obs::SupportDevices, p.apView ? 2.5 : 1.0)) {
    Finding& d = f[obs::SupportDevices];
    d.present = true;
    int bits = 0;
    if (p.apView && rng.chance(0.55)) bits |= kDeviceEtTube;
    if (rng.chance(0.5)) bits |= kDeviceCentralLine;
    if (rng.chance(p.apView ? 0.15 : 0.45)) bits |= kDevicePacemaker;
    if ((bits & kDeviceEtTube) && rng.chance(0.6)) bits |= kDeviceNgTube;
    if (bits == 0) bits = kDeviceCentralLine;
    d.kind = bits;
    d.side = rng.chance(0.6) ? Side::Right : Side::Left;  // central line entry side
  }
  // Hedged findings: drawn subtly and written as uncertain. Devices are always certain.
  for (int i = 1; i < kNumObservations; ++i) {
    Finding& x = f[size_t(i)];
    if (!x.present || i == obs::SupportDevices) continue;
    if (rng.chance(site.uncertainRate)) {
      x.uncertain = true;
      x.severity = 1;
      if (i == obs::Cardiomegaly) p.ctr = 0.51;
      if (i == obs::EnlargedCardiomediastinum) p.mediastinumWidth = 0.19;
      if (i == obs::LungLesion) {
        x.kind = 0;
        x.sizeMm = std::min(x.sizeMm, 12.0);
      }
    }
  }
  f[obs::NoFinding].present = !t.anyPathology();
  return t;
}

}  // namespace fedmrg::engine

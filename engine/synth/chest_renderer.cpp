#include "engine/synth/chest_renderer.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "engine/synth/bitmap_font.h"
#include "engine/synth/synth_random.h"

namespace fedmrg::engine {
namespace {

constexpr double kPi = 3.14159265358979323846;

double clamp01(double v) { return v < 0 ? 0 : (v > 1 ? 1 : v); }
double smoothstep(double e0, double e1, double x) {
  const double t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}
double smin(double a, double b, double k) {
  const double h = clamp01(0.5 + 0.5 * (b - a) / k);
  return b + (a - b) * h - k * h * (1 - h);
}

// Gaussian noise, computed once per process and read at a per-study offset.
const std::vector<float>& noiseTable() {
  static std::vector<float> table;
  static std::once_flag once;
  std::call_once(once, [] {
    SynthRng rng(0x5EEDull);
    table.resize(size_t(1) << 20);
    for (float& v : table) v = float(rng.normal());
  });
  return table;
}

// In-place box blur of radius r (separable, running sums), `passes` times.
void boxBlur(std::vector<float>& img, int w, int h, int r, int passes) {
  if (r <= 0) return;
  std::vector<float> line(size_t(std::max(w, h)));
  const float inv = 1.0f / float(2 * r + 1);
  for (int p = 0; p < passes; ++p) {
    for (int y = 0; y < h; ++y) {
      float* row = img.data() + size_t(y) * w;
      float acc = 0;
      for (int i = -r; i <= r; ++i) acc += row[std::clamp(i, 0, w - 1)];
      for (int x = 0; x < w; ++x) {
        line[size_t(x)] = acc * inv;
        acc += row[std::min(x + r + 1, w - 1)] - row[std::max(x - r, 0)];
      }
      std::copy(line.begin(), line.begin() + w, row);
    }
    for (int x = 0; x < w; ++x) {
      float acc = 0;
      for (int i = -r; i <= r; ++i) acc += img[size_t(std::clamp(i, 0, h - 1)) * w + x];
      for (int y = 0; y < h; ++y) {
        line[size_t(y)] = acc * inv;
        acc += img[size_t(std::min(y + r + 1, h - 1)) * w + x] - img[size_t(std::max(y - r, 0)) * w + x];
      }
      for (int y = 0; y < h; ++y) img[size_t(y) * w + x] = line[size_t(y)];
    }
  }
}

struct Vec {
  double u, v;
};

// The work canvas: patient coordinates (u across, 0 at the midline, patient right negative;
// v down, 0 at the top of the field) in units of the field height, mapped to work pixels.
class Canvas {
 public:
  Canvas(int w, int h, const PatientParams& p) : w_(w), h_(h), p_(p) {}
  int width() const { return w_; }
  int height() const { return h_; }
  double px(double u) const { return (w_ * 0.5) + (u * p_.scale + p_.shiftX) * h_; }
  double py(double v) const { return ((v - 0.5) * p_.scale + 0.5 + p_.shiftY) * h_; }
  double u(double x) const { return ((x + 0.5 - w_ * 0.5) / h_ - p_.shiftX) / p_.scale; }
  double v(double y) const { return (((y + 0.5) / h_ - 0.5 - p_.shiftY) / p_.scale) + 0.5; }
  double unitsToPx(double d) const { return d * p_.scale * h_; }

  // Adds amp * profile(distance / radius) along a segment (a capsule), clipped to the canvas.
  void capsule(std::vector<float>& buf, Vec a, Vec b, double radius, double amp, bool flat = false) const {
    const double ax = px(a.u), ay = py(a.v), bx = px(b.u), by = py(b.v);
    const double r = std::max(0.6, unitsToPx(radius));
    const int x0 = std::max(0, int(std::floor(std::min(ax, bx) - r - 1)));
    const int x1 = std::min(w_ - 1, int(std::ceil(std::max(ax, bx) + r + 1)));
    const int y0 = std::max(0, int(std::floor(std::min(ay, by) - r - 1)));
    const int y1 = std::min(h_ - 1, int(std::ceil(std::max(ay, by) + r + 1)));
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) {
        const double qx = x + 0.5 - ax, qy = y + 0.5 - ay;
        const double t = len2 > 0 ? std::clamp((qx * dx + qy * dy) / len2, 0.0, 1.0) : 0.0;
        const double ex = qx - t * dx, ey = qy - t * dy;
        const double d = std::sqrt(ex * ex + ey * ey) / r;
        if (d >= 1.0) continue;
        const double prof = flat ? smoothstep(1.0, 0.7, d) : std::sqrt(1.0 - d * d);
        buf[size_t(y) * w_ + x] += float(amp * prof);
      }
  }
  // Adds amp * (1 - r^2)^2, a soft bump with no visible edge, in an ellipse.
  void gauss(std::vector<float>& buf, Vec c, double ru, double rv, double amp, double angle = 0) const {
    shape(buf, c, ru, rv, amp, angle, true);
  }
  // Adds amp * sphere profile in an ellipse (radii in units), rotated by `angle`.
  void blob(std::vector<float>& buf, Vec c, double ru, double rv, double amp, double angle = 0) const {
    shape(buf, c, ru, rv, amp, angle, false);
  }
  void shape(std::vector<float>& buf, Vec c, double ru, double rv, double amp, double angle, bool soft) const {
    const double cx = px(c.u), cy = py(c.v);
    const double rx = std::max(0.8, unitsToPx(ru)), ry = std::max(0.8, unitsToPx(rv));
    const double rr = std::max(rx, ry) + 1;
    const double ca = std::cos(angle), sa = std::sin(angle);
    const int x0 = std::max(0, int(cx - rr)), x1 = std::min(w_ - 1, int(cx + rr));
    const int y0 = std::max(0, int(cy - rr)), y1 = std::min(h_ - 1, int(cy + rr));
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) {
        const double qx = x + 0.5 - cx, qy = y + 0.5 - cy;
        const double lx = (qx * ca + qy * sa) / rx, ly = (-qx * sa + qy * ca) / ry;
        const double d2 = lx * lx + ly * ly;
        if (d2 >= 1.0) continue;
        buf[size_t(y) * w_ + x] += float(amp * (soft ? (1.0 - d2) * (1.0 - d2) : std::sqrt(1.0 - d2)));
      }
  }

 private:
  int w_, h_;
  const PatientParams& p_;
};

// The anatomical model's geometry for one patient.
struct Anatomy {
  double thoraxHalf;        // inner rib cage half width
  double apex;              // top of the lung apices
  double widest;            // level of the widest rib cage
  double lungCenter;        // |u| of each lung's centre
  double domeR, domeL;      // top of each hemidiaphragm dome
  double heartCu, heartCv, heartA, heartB;
  double mediastinumHalf;
  double spineU;
  double tracheaU;
  double carinaV;

  double dome(double u) const {
    const double top = u < 0 ? domeR : domeL;
    const double t = (std::fabs(u) - 0.16) / 0.2;
    return top + 0.075 * t * t;
  }
  double heartExtent(double v, double sign) const {  // |u| reach of the heart on one side at level v
    const double dv = (v - heartCv) / heartB;
    if (dv <= -1) return 0;
    // Tilted: the apex points down and to the patient's left; the lower half rests on the diaphragm.
    const double shape = dv < 0 ? std::sqrt(1 - dv * dv) : std::max(0.0, 1 - 0.3 * dv * dv);
    const double half = heartA * shape * (1 + 0.12 * std::min(dv, 1.0) * sign);
    return std::max(0.0, sign * (heartCu + 0.05 * dv) + half);
  }
  double mediastinumEdge(double v, double sign) const {  // |u| of the mediastinal border (sign -1 right)
    double m = mediastinumHalf * (v < 0.2 ? 0.85 + 0.75 * (0.2 - v) : 1.0);
    auto bump = [v](double at, double width) { return std::exp(-((v - at) / width) * ((v - at) / width)); };
    if (sign > 0) m += 0.03 * bump(0.28, 0.04);    // aortic knob
    if (sign > 0) m += 0.016 * bump(0.36, 0.025);  // pulmonary artery
    if (sign < 0) m += 0.012 * bump(0.27, 0.06);   // superior vena cava
    if (sign < 0) m += 0.008 * smoothstep(0.30, 0.40, v);                    // right hilum
    return std::max(m, heartExtent(v, sign));
  }
  // Signed distance-like value: > 0 inside the lung on side `sign` (-1 right, +1 left).
  // `medEdge` is mediastinumEdge(v, sign), computed once per row by the caller.
  double lungInside(double u, double v, double sign, double medEdge, double* ribPart = nullptr) const {
    const double au = std::fabs(u);
    const double dx = au - lungCenter;
    const double ax = dx > 0 ? thoraxHalf - lungCenter : lungCenter;
    double r;
    if (v < widest) {
      const double ay = widest - apex;
      const double a = dx / ax, b = (widest - v) / ay;
      r = std::sqrt(a * a + b * b);
    } else {
      r = std::fabs(dx) / (ax * (1 - 0.1 * (v - widest)));
    }
    const double sRib = (1 - r) * 0.16;
    if (ribPart) *ribPart = sRib;
    if (u * sign < 0) return -1;
    const double sMed = au - medEdge;
    const double sDia = dome(u) - v;
    return std::min(smin(sRib, sMed, 0.04), sDia);
  }
};

struct StudyRender {
  const StudyTruth& study;
  const AcquisitionProfile& acq;
  SynthRng rng;
  Anatomy an{};
  Canvas cv;
  std::vector<float> density, air, airKeep, vessels, metal;
  std::vector<float> lungMask, vesselMask;
  double mmPerUnit;
  static constexpr int kTextureGrid = 48;
  std::vector<float> texture;
  double lungWeight = 0.8;  // how much more a bone band shows over aerated lung than elsewhere

  StudyRender(const StudyTruth& s, const AcquisitionProfile& a, int w, int h)
      : study(s), acq(a), rng(mixSeed(s.seed, 0xC4E57)), cv(w, h, s.patient), mmPerUnit(a.fieldOfViewMm) {
    const size_t n = size_t(w) * h;
    density.assign(n, 0);
    air.assign(n, 0);
    airKeep.assign(n, 1);
    vessels.assign(n, 0);
    metal.assign(n, 0);
    lungMask.assign(n, 0);
    vesselMask.assign(n, 0);
    texture.resize(size_t(kTextureGrid + 1) * (kTextureGrid + 1));
    for (float& t : texture) t = float(rng.normal());
  }
  bool pleuralThickening(double sign) const {
    const Finding& po = f(obs::PleuralOther);
    return po.present && po.kind == 0 && onSide(po, sign);
  }

  const Finding& f(int i) const { return study.findings[size_t(i)]; }
  static bool onSide(const Finding& x, double sign) {
    return x.present && (x.side == Side::Both || (sign < 0 ? x.side == Side::Right : x.side == Side::Left));
  }

  void buildAnatomy() {
    const PatientParams& p = study.patient;
    an.thoraxHalf = 0.355 + 0.03 * p.habitus;
    an.apex = 0.105 - 0.01 * p.inspiration;
    an.widest = 0.60;
    an.lungCenter = 0.19 + 0.01 * p.habitus;
    an.domeR = 0.69 - 0.045 * p.inspiration;
    an.domeL = an.domeR + 0.02 + rng.uniform(0, 0.015);
    const double mag = p.apView ? 1.1 : 1.0;
    const double heartWidth = p.ctr * 2 * an.thoraxHalf * mag;
    an.heartA = heartWidth / 2;
    an.heartCu = heartWidth / 6 + 0.01 * p.rotation;
    an.heartB = 0.12 + 0.25 * (p.ctr - 0.44);
    an.heartCv = std::min(an.domeR, an.domeL) + 0.05 - an.heartB;
    an.mediastinumHalf = p.mediastinumWidth * an.thoraxHalf;
    an.spineU = 0.018 * p.rotation;
    an.tracheaU = an.spineU * 0.3 + 0.004;
    an.carinaV = 0.36;
    // Volume loss from atelectasis raises the hemidiaphragm on its side.
    const Finding& at = f(obs::Atelectasis);
    if (at.present && at.severity >= 2) {
      if (onSide(at, -1)) an.domeR -= 0.03;
      if (onSide(at, 1)) an.domeL -= 0.03;
    }
  }

  void bodyAndLungs() {
    const PatientParams& p = study.patient;
    const int w = cv.width(), h = cv.height();
    const double softHalf = an.thoraxHalf + 0.07 + 0.04 * p.habitus;
    const Finding& eff = f(obs::PleuralEffusion);
    const Finding& ptx = f(obs::Pneumothorax);
    const double effH[] = {0, 0.035, 0.1, 0.2};
    const double ptxDepth[] = {0, 0.025, 0.05, 0.09};
    for (int y = 0; y < h; ++y) {
      const double v = cv.v(y);
      // Body outline: neck, shoulders, chest wall.
      const double shoulder = std::sqrt(smoothstep(-0.08, 0.2, v));
      const double bodyHalf = 0.1 + (softHalf + 0.06 - 0.1) * shoulder + 0.05 * smoothstep(0.5, 1.0, v) * p.habitus;
      const double medRight = an.mediastinumEdge(v, -1), medLeft = an.mediastinumEdge(v, 1);
      for (int x = 0; x < w; ++x) {
        const double u = cv.u(x);
        const size_t i = size_t(y) * w + x;
        const double bu = u / bodyHalf;
        double d = bu * bu < 1 ? 0.55 * std::sqrt(1 - bu * bu) : 0.0;
        d *= smoothstep(1.0, 0.96, std::fabs(bu)) * 0.3 + 0.7 * (std::fabs(bu) < 1);
        const double sign = u < 0 ? -1.0 : 1.0;
        double ribPart = 0;
        const double s = an.lungInside(u, v, sign, sign < 0 ? medRight : medLeft, &ribPart);
        const double t = s > 0 ? smoothstep(0, 0.035, s) : 0.0;
        const double edge = t * (1.6 - 0.6 * t);  // a steeper rise than smoothstep at the pleura
        double lung = edge;
        // The lung bases are thinner behind the breasts and diaphragm curvature.
        lung *= 1.0 - 0.25 * smoothstep(0.45, 0.8, v) - 0.15 * smoothstep(0.25, 0.1, v);
        double keep = 1.0, vmask = lung > 0 ? 1.0 : 0.0;
        if (lung > 0 && onSide(eff, sign)) {
          const double hgt = eff.uncertain ? 0.02 : effH[eff.severity];
          const double cp = an.dome(sign * an.thoraxHalf);
          const double level = cp - hgt - hgt * 0.8 * (1 - std::fabs(u) / an.thoraxHalf);
          const double fluid = smoothstep(level - 0.012, level + 0.02, v);
          keep *= 1 - 0.92 * fluid;
        }
        if (ptx.present && onSide(ptx, sign) && lung > 0) {
          const double depth = ptx.uncertain ? 0.012 : ptxDepth[ptx.severity];
          const double inPtx = smoothstep(depth + 0.002, depth - 0.002, ribPart) * smoothstep(an.dome(u) - 0.02, an.dome(u) - 0.12, v);
          vmask *= 1 - inPtx;
          lung = lung * (1 - inPtx) + inPtx * edge * 1.3;  // no lung tissue there: darker
          const double line = ribPart - depth;
          density[i] += float(0.09 * std::exp(-line * line / (0.003 * 0.003)) * smoothstep(an.dome(u) - 0.03, an.dome(u) - 0.12, v));
        }
        if (lung > 0) {
          // Parenchymal mottling: coarse random texture, bilinear on a grid.
          const double gx = (u + 0.5) * kTextureGrid, gy = v * kTextureGrid;
          const int ix = std::clamp(int(gx), 0, kTextureGrid - 1), iy = std::clamp(int(gy), 0, kTextureGrid - 1);
          const double fx = std::clamp(gx - ix, 0.0, 1.0), fy = std::clamp(gy - iy, 0.0, 1.0);
          auto at = [&](int a, int b) { return texture[size_t(std::min(b, kTextureGrid) * (kTextureGrid + 1) + std::min(a, kTextureGrid))]; };
          const double tex = (at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx) * (1 - fy) + (at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx) * fy;
          d += 0.012 * tex * lung;
        }
        if (lung > 0 && pleuralThickening(sign)) {
          const double t = smoothstep(0.016, 0.004, ribPart) * smoothstep(an.widest + 0.12, an.widest, v);
          keep *= 1 - 0.75 * t;
        }
        density[i] += float(d);
        air[i] = float(0.34 * lung);
        airKeep[i] = float(keep);
        lungMask[i] = float(lung);
        vesselMask[i] = float(vmask * keep);
        // The gastric bubble under the left hemidiaphragm.
        if (u > 0.05 && v > an.domeL) {
          const double gu = (u - 0.17) / 0.065, gv = (v - an.domeL - 0.045) / 0.032;
          const double g2 = gu * gu + gv * gv;
          if (g2 < 1) density[i] -= float(0.035 * (1 - g2) * (1 - g2));
        }
      }
    }
  }

  void mediastinumAndSpine() {
    const int w = cv.width(), h = cv.height();
    for (int y = 0; y < h; ++y) {
      const double v = cv.v(y);
      for (int x = 0; x < w; ++x) {
        const double u = cv.u(x);
        const size_t i = size_t(y) * w + x;
        // Heart: a little denser than the mediastinum.
        const double hu = (u - an.heartCu) / an.heartA, hv = (v - an.heartCv) / an.heartB;
        const double shape = hv < 0 ? 1.0 : std::max(0.2, 1 - 0.3 * hv * hv);
        const double hr = hv < 0 ? hu * hu + hv * hv : (hu / shape) * (hu / shape);
        if (hr < 1) density[i] += float(0.05 * std::sqrt(1 - hr) * smoothstep(an.dome(u) + 0.03, an.dome(u) - 0.01, v));
        // Spine: vertebral bodies, end plates, pedicles.
        const double su = (u - an.spineU) / 0.036;
        if (std::fabs(su) < 1.2 && v > 0.02) {
          const double period = 0.043 + 0.003 * v;
          const double phase = std::fmod(v / period + 10.0, 1.0);
          const double body = smoothstep(1.25, 0.75, std::fabs(su));
          const double disc = smoothstep(0.0, 0.12, phase) * smoothstep(1.0, 0.88, phase);
          const double p1 = (phase - 0.12) / 0.04, p2 = (phase - 0.88) / 0.04;
          const double plate = std::exp(-p1 * p1) + std::exp(-p2 * p2);
          double sp = body * (0.035 + 0.02 * disc + 0.008 * plate) * (1 - 0.5 * smoothstep(an.domeR, an.domeR + 0.1, v));
          for (double side : {-0.62, 0.62}) {  // pedicles: oval rings
            const double pu = (su - side) / 0.22, pv = (phase - 0.35) / 0.17;
            const double pr = std::sqrt(pu * pu + pv * pv);
            sp += 0.012 * std::exp(-pr * pr);
          }
          const double spinous = (su - 0.0) / 0.12, spv = (phase - 0.6) / 0.2;
          sp += 0.02 * std::exp(-(spinous * spinous + spv * spv));
          density[i] += float(sp);
        }
        // Trachea and main bronchi: air.
        if (v < an.carinaV + 0.08) {
          double tu = std::fabs(u - an.tracheaU) / 0.02;
          double fade = 1.0;
          if (v > an.carinaV - 0.01) {
            const double dv = v - an.carinaV + 0.01;
            tu = std::min(std::fabs(u - an.tracheaU + dv * 1.1) / 0.02, std::fabs(u - an.tracheaU - dv * 0.8) / 0.018);
            fade = smoothstep(0.08, 0.02, dv);
          }
          density[i] -= float(0.075 * fade * std::exp(-3.0 * tu * tu) * smoothstep(0.0, 0.05, v));
        }
      }
    }
  }

  void vesselTree(Vec start, double angle, double length, double radius, int depth) {
    if (depth == 0 || radius < 0.0012) return;
    const Vec end{start.u + std::sin(angle) * length, start.v - std::cos(angle) * length};
    cv.capsule(vessels, start, end, radius, 0.01 + 3.5 * radius);
    const int kids = depth > 2 ? 2 : 1 + rng.below(2);
    for (int k = 0; k < kids; ++k) {
      const double spread = (k == 0 ? -1 : 1) * rng.uniform(0.25, 0.55);
      vesselTree(end, angle + spread + rng.normal(0, 0.1), length * rng.uniform(0.72, 0.88), radius * 0.72, depth - 1);
    }
  }

  void lungMarkings() {
    for (double sign : {-1.0, 1.0}) {
      const Vec hilum{sign * (an.mediastinumEdge(0.42, sign) + 0.01), 0.42};
      cv.gauss(vessels, hilum, 0.05, 0.08, 0.09);
      const int roots = 9;
      for (int r = 0; r < roots; ++r) {
        // Fan from up-lateral to down-lateral; more vessels (and larger) to the bases.
        const double a = (-0.35 + 2.9 * (r + rng.uniform(0.2, 0.8)) / roots) * sign;
        const double angle = a;
        const Vec root{hilum.u + sign * rng.uniform(0.0, 0.02) + std::sin(angle) * 0.015, hilum.v + rng.uniform(-0.03, 0.03)};
        vesselTree(root, angle, rng.uniform(0.045, 0.065), 0.0075 + 0.002 * (r > 4), 6);
      }
    }
  }

  // Draws a rib as a band along y = curve(t), t across columns; `fracT` >= 0 breaks it there.
  template <class Curve>
  void ribBand(Curve curve, double sign, double t0, double t1, double thickness, double amp, double fracT,
               double fracShift) {
    const double uAtT0 = sign * t0, uAtT1 = sign * t1;
    int xa = int(cv.px(std::min(uAtT0, uAtT1))), xb = int(cv.px(std::max(uAtT0, uAtT1)));
    xa = std::max(0, xa);
    xb = std::min(cv.width() - 1, xb);
    const double halfPx = cv.unitsToPx(thickness / 2);
    for (int x = xa; x <= xb; ++x) {
      const double t = std::fabs(cv.u(x));
      if (t < t0 || t > t1) continue;
      if (fracT >= 0 && std::fabs(t - fracT) < 0.004) continue;
      double vc = curve(t);
      if (fracT >= 0 && t > fracT) vc += fracShift;
      const double slope = (curve(t + 0.002) - curve(t - 0.002)) / 0.004;
      const double halfV = halfPx * std::sqrt(1 + slope * slope);
      const double yc = cv.py(vc);
      const int y0 = std::max(0, int(yc - halfV - 1)), y1 = std::min(cv.height() - 1, int(yc + halfV + 1));
      const double taper = smoothstep(t1, t1 - 0.03, t) * smoothstep(t0, t0 + 0.02, t);
      for (int y = y0; y <= y1; ++y) {
        const double d = std::fabs(y + 0.5 - yc) / halfV;
        if (d >= 1) continue;
        const double d3 = d * d * d;
        const double cortex = 0.55 + 0.45 * d3 * d3;
        const size_t i = size_t(y) * cv.width() + x;
        density[i] += float(amp * taper * cortex * smoothstep(1.0, 0.8, d) * (1 - lungWeight + lungWeight * lungMask[i]));
      }
    }
  }

  void ribsAndClavicles() {
    const PatientParams& p = study.patient;
    const Finding& fr = f(obs::Fracture);
    const double spacing = (an.domeR - an.apex) / (7.2 - 0.9 * p.inspiration);
    for (double sign : {-1.0, 1.0}) {
      for (int k = 1; k <= 11; ++k) {
        const double yk = an.apex - 0.03 + (k - 1) * spacing * 1.02;
        const double width = an.thoraxHalf * (0.7 + 0.3 * smoothstep(0, 5, k)) + 0.02;
        auto post = [&](double t) {
          const double s = t / width;
          return yk - 0.05 * s + 0.16 * s * s * s * s;
        };
        double fracT = -1, shift = 0;
        if (fr.present && k == fr.rib && onSide(fr, sign)) {
          fracT = width * 0.72;
          shift = fr.uncertain ? 0.0 : 0.007;
        }
        ribBand(post, sign, 0.035, width, 0.02 + 0.001 * k, 0.1 * smoothstep(12.5, 9, k), fracT, shift);
        if (k <= 7) {  // anterior rib: from the lateral wall down and medially, fainter
          const double yl = post(width);
          auto ant = [&](double t) { return yl + 0.2 * std::pow((width - t) / width, 1.1); };
          ribBand(ant, sign, width * 0.32, width, 0.017, 0.055, -1, 0);
        }
      }
      // Clavicle: an S-shaped bone from the sternal notch to the shoulder.
      auto clav = [&](double t) {
        const double s = (t - 0.04) / 0.3;
        // AP films project the clavicles higher and flatter.
        const double lift = p.apView ? 0.035 : 0.0, slope = p.apView ? 0.035 : 0.065;
        return 0.165 - lift - slope * s + 0.012 * std::sin(2 * kPi * s) + 0.01 * p.rotation * sign;
      };
      lungWeight = 0.2;
      ribBand(clav, sign, 0.035, an.thoraxHalf + 0.04, 0.026, 0.11, -1, 0);
      // Scapula's medial border projecting over the upper lateral lung.
      auto scap = [&](double t) { return 0.16 + (an.thoraxHalf + 0.02 - t) * 2.2; };
      // On AP films the scapulae are not rotated off the lungs.
      ribBand(scap, sign, an.thoraxHalf - (p.apView ? 0.12 : 0.07), an.thoraxHalf + 0.02, 0.03, p.apView ? 0.045 : 0.03, -1, 0);
      lungWeight = 0.8;
    }
    if (study.patient.female) {
      for (double sign : {-1.0, 1.0}) cv.blob(density, {sign * (an.thoraxHalf - 0.1), an.domeR - 0.02}, 0.17, 0.12, 0.07);
    }
  }

  Vec lobeCenter(double sign, Zone z) {
    const double v = z == Zone::Upper ? an.apex + 0.11 : (z == Zone::Middle ? 0.44 : an.dome(sign * 0.2) - 0.07);
    return {sign * (an.lungCenter + rng.uniform(-0.03, 0.05)), v + rng.uniform(-0.02, 0.02)};
  }

  // Patchy air-space replacement: the lung's air is replaced by fluid or tissue.
  void patches(const Finding& x, double strength, double size, int count) {
    for (double sign : {-1.0, 1.0}) {
      if (!onSide(x, sign)) continue;
      const Vec c = lobeCenter(sign, x.zone);
      const double sev = x.uncertain ? 0.5 : 0.7 + 0.25 * x.severity;
      for (int b = 0; b < count; ++b) {
        const Vec q{c.u + rng.normal(0, size * 0.6), c.v + rng.normal(0, size * 0.5)};
        cv.gauss(airKeep, q, size * rng.uniform(0.6, 1.2) * sev, size * rng.uniform(0.5, 1.0) * sev,
                 -strength * (x.uncertain ? 0.5 : 1.0), rng.uniform(0, kPi));
      }
    }
  }

  void findings() {
    const Finding& cons = f(obs::Consolidation);
    if (cons.present) patches(cons, 0.55, 0.07, 10);
    const Finding& pn = f(obs::Pneumonia);
    if (pn.present && !cons.present) patches(pn, 0.45, 0.07, 9);
    const Finding& op = f(obs::LungOpacity);
    if (op.present) patches(op, 0.3, 0.06, 8);
    const Finding& ed = f(obs::Edema);
    if (ed.present) {
      const double k = ed.uncertain ? 0.5 : double(ed.severity);
      for (double sign : {-1.0, 1.0}) {
        const Vec hil{sign * (an.mediastinumEdge(0.45, sign) + 0.05), 0.46};
        cv.gauss(airKeep, hil, 0.16 + 0.03 * k, 0.2 + 0.03 * k, -0.2 * k);
        const int lines = 5 + 4 * int(k);
        for (int l = 0; l < lines; ++l) {  // septal thickening at the lateral bases
          const double v = an.dome(sign * an.thoraxHalf) - 0.02 - rng.uniform(0, 0.14);
          const double u = sign * (an.thoraxHalf - 0.005 - rng.uniform(0, 0.01));
          cv.capsule(density, {u, v}, {u - sign * rng.uniform(0.02, 0.035), v + rng.normal(0, 0.003)}, 0.0018, 0.05);
        }
      }
    }
    const Finding& at = f(obs::Atelectasis);
    if (at.present) {
      for (double sign : {-1.0, 1.0}) {
        if (!onSide(at, sign)) continue;
        const double v = an.dome(sign * 0.2) - 0.05 - rng.uniform(0, 0.04);
        const double u0 = sign * (an.lungCenter - 0.08), u1 = sign * (an.lungCenter + 0.07);
        const double thick = at.uncertain ? 0.006 : 0.007 + 0.004 * at.severity;
        for (int k = 0; k < 6; ++k) {
          const double t = (k + 0.5) / 6;
          cv.gauss(airKeep, {u0 + (u1 - u0) * t, v + 0.01 - 0.025 * t + rng.normal(0, 0.002)}, 0.028, thick, -0.55, -0.2 * sign);
        }
      }
    }
    const Finding& le = f(obs::LungLesion);
    if (le.present) {
      const double sign = le.side == Side::Left ? 1.0 : -1.0;
      const Vec c = lobeCenter(sign, le.zone);
      const double r = le.sizeMm / 2 / mmPerUnit;
      const double amp = 0.05 + 0.0025 * le.sizeMm;
      if (le.kind == 1) {
        for (int b = 0; b < 3; ++b)
          cv.blob(density, {c.u + rng.normal(0, r * 0.3), c.v + rng.normal(0, r * 0.3)}, r * 0.8, r * 0.75, amp * 0.6);
      } else {
        cv.blob(density, c, r, r, amp);
      }
    }
    const Finding& po = f(obs::PleuralOther);
    if (po.present) {
      for (double sign : {-1.0, 1.0}) {
        if (!onSide(po, sign)) continue;
        if (po.kind == 1) {  // calcified plaques along the chest wall and diaphragm (thickening: bodyAndLungs)
          for (int k = 0; k < 4; ++k) {
            const double v = 0.35 + 0.08 * k + rng.uniform(0, 0.03);
            cv.blob(density, {sign * (an.thoraxHalf - 0.02 - rng.uniform(0, 0.03)), v}, 0.012, 0.035, 0.12, rng.uniform(-0.3, 0.3));
          }
        }
      }
    }
  }

  void polyline(std::vector<float>& buf, const std::vector<Vec>& pts, double radius, double amp) {
    for (size_t i = 0; i + 1 < pts.size(); ++i) cv.capsule(buf, pts[i], pts[i + 1], radius, amp, true);
  }

  void devices() {
    const Finding& d = f(obs::SupportDevices);
    if (!d.present) return;
    const double tu = an.tracheaU;
    if (d.kind & kDeviceEtTube) {
      const double tip = an.carinaV - rng.uniform(0.03, 0.06);
      cv.capsule(metal, {tu, -0.02}, {tu, tip}, 0.011, 0.05, true);
      cv.capsule(metal, {tu - 0.007, -0.02}, {tu - 0.007, tip}, 0.0018, 0.45, true);
    }
    if (d.kind & kDeviceNgTube) {
      const double sx = tu + 0.012;
      polyline(metal, {{sx, -0.02}, {sx + 0.005, 0.3}, {sx + 0.02, 0.55}, {0.09, an.domeL + 0.02}, {0.16, an.domeL + 0.06}}, 0.0022, 0.4);
    }
    if (d.kind & kDeviceCentralLine) {
      const double s = d.side == Side::Left ? 1.0 : -1.0;
      polyline(metal, {{s * 0.33, 0.12}, {s * 0.2, 0.17}, {s * 0.08, 0.2}, {-0.05, 0.25}, {-0.045, 0.34 + rng.uniform(0, 0.04)}}, 0.0022, 0.45);
    }
    if (d.kind & kDevicePacemaker) {
      const Vec g{0.24, 0.17};
      cv.capsule(metal, {g.u - 0.03, g.v}, {g.u + 0.03, g.v}, 0.028, 0.9, true);
      cv.blob(metal, {g.u + 0.01, g.v}, 0.012, 0.01, -0.3);
      polyline(metal, {{g.u - 0.02, g.v}, {0.1, 0.2}, {-0.045, 0.26}, {-0.05, 0.42}, {-0.02, an.heartCv + 0.02},
                       {an.heartCu + an.heartA * 0.5, an.heartCv + an.heartB * 0.6}}, 0.003, 0.6);
      polyline(metal, {{g.u - 0.02, g.v + 0.01}, {0.09, 0.22}, {-0.04, 0.28}, {-0.055, an.heartCv - 0.04}}, 0.003, 0.6);
    }
  }

  // Combines the buffers into densities on the work canvas.
  std::vector<float> compose() {
    const size_t n = density.size();
    std::vector<float> out(n);
    for (size_t i = 0; i < n; ++i) {
      const float keep = std::clamp(airKeep[i], 0.0f, 1.0f);
      out[i] = density[i] - air[i] * keep + std::min(vessels[i], 0.12f) * vesselMask[i] * (0.4f + 0.6f * keep);
    }
    return out;
  }
};

}  // namespace

SynthImage renderChest(const StudyTruth& study, const AcquisitionProfile& acq, int rows) {
  SynthImage img;
  img.height = rows;
  img.width = std::max(8, int(std::lround(rows * acq.aspect)) & ~1);
  img.bitsStored = acq.bitsStored;
  img.monochrome1 = acq.monochrome1;
  img.pixelSpacingMm = acq.fieldOfViewMm / rows;
  // Work canvas: half resolution for large images, then bilinear upsampling.
  const int factor = rows >= 512 ? 2 : 1;
  const int wh = rows / factor, ww = (img.width + factor - 1) / factor;
  StudyRender r(study, acq, ww, wh);
  r.buildAnatomy();
  r.bodyAndLungs();
  r.mediastinumAndSpine();
  r.lungMarkings();
  r.ribsAndClavicles();
  r.findings();
  r.devices();
  std::vector<float> d = r.compose();

  // Site processing: large-scale equalization and unsharp masking, in density space.
  {
    std::vector<float> large = d, small = d;
    boxBlur(large, ww, wh, std::max(2, wh / 20), 2);
    boxBlur(small, ww, wh, std::max(1, wh / 160), 1);
    double mean = 0;
    for (float v : d) mean += v;
    mean /= double(d.size());
    const float eq = float(acq.equalization), ee = float(acq.edgeEnhance);
    for (size_t i = 0; i < d.size(); ++i)
      d[i] = d[i] - eq * (large[i] - float(mean)) * 0.6f + ee * (d[i] - small[i]) * 1.5f + r.metal[i];
  }

  // Detector response curve as a lookup table over density.
  constexpr int kLut = 4096;
  constexpr float kDMin = -0.4f, kDMax = 1.6f;
  std::vector<float> lut(kLut);
  {
    auto sig = [&](double x) { return 1.0 / (1.0 + std::exp(-acq.curveGain * (x - acq.curveCenter + 0.15))); };
    const double lo = sig(0.0), hi = sig(1.1);
    for (int k = 0; k < kLut; ++k) {
      const double x = kDMin + (kDMax - kDMin) * k / (kLut - 1);
      lut[size_t(k)] = float(std::pow(clamp01((sig(x) - lo) / (hi - lo) * 0.92 + 0.04), acq.gamma));
    }
  }
  const int W = img.width, H = img.height;
  std::vector<float> y(size_t(W) * H);
  const float lutScale = (kLut - 1) / (kDMax - kDMin);
  std::vector<uint16_t> lutIndex(size_t(W) * H);  // for the density-dependent noise
  for (int j = 0; j < H; ++j) {
    const float sy = std::clamp((j + 0.5f) / factor - 0.5f, 0.0f, float(wh - 1));
    const int y0 = int(sy), y1 = std::min(y0 + 1, wh - 1);
    const float fy = sy - float(y0);
    for (int i = 0; i < W; ++i) {
      const float sx = std::clamp((i + 0.5f) / factor - 0.5f, 0.0f, float(ww - 1));
      const int x0 = int(sx), x1 = std::min(x0 + 1, ww - 1);
      const float fx = sx - float(x0);
      const float a = d[size_t(y0) * ww + x0] * (1 - fx) + d[size_t(y0) * ww + x1] * fx;
      const float b = d[size_t(y1) * ww + x0] * (1 - fx) + d[size_t(y1) * ww + x1] * fx;
      const float v = a * (1 - fy) + b * fy;
      const int k = std::clamp(int((v - kDMin) * lutScale), 0, kLut - 1);
      lutIndex[size_t(j) * W + i] = uint16_t(k);
      y[size_t(j) * W + i] = lut[size_t(k)];
    }
  }
  const int blur = int(std::lround(acq.blurRadiusMm / img.pixelSpacingMm / 2));
  boxBlur(y, W, H, blur, 1);

  // Noise (stronger where fewer photons reach the detector), grid lines, collimation, marker.
  SynthRng rng(mixSeed(study.seed, 0x0A15E));
  const std::vector<float>& noise = noiseTable();
  size_t nk = size_t(rng.next() % noise.size());
  // Quantum noise grows where fewer photons reach the detector: sigma0 * exp(1.3 * density).
  std::vector<float> sigmaLut(kLut);
  for (int k = 0; k < kLut; ++k) {
    const double dens = std::clamp(kDMin + (kDMax - kDMin) * k / (kLut - 1.0), 0.0, 1.2);
    sigmaLut[size_t(k)] = float(acq.noise * std::exp(1.3 * dens));
  }
  const double col = acq.collimation;
  const int left = int(W * (col + rng.uniform(0, col * 0.6))), right = W - int(W * (col + rng.uniform(0, col * 0.6)));
  const int top = int(H * (col * 0.5 + rng.uniform(0, col * 0.5))), bottom = H - int(H * (col * 0.8 + rng.uniform(0, col * 0.6)));
  const float unexposed = 0.97f;
  for (int j = 0; j < H; ++j) {
    for (int i = 0; i < W; ++i) {
      const size_t p = size_t(j) * W + i;
      float v = y[p] + sigmaLut[lutIndex[p]] * noise[nk];
      if (++nk == noise.size()) nk = 0;
      if (acq.gridAmplitude > 0 && i % acq.gridPeriodPx == 0) v -= float(acq.gridAmplitude);
      const int edge = std::min(std::min(i - left, right - 1 - i), std::min(j - top, bottom - 1 - j));
      if (edge < 0) v = unexposed + 0.01f * noise[(nk + 7) % noise.size()];
      else if (edge < 3) v = v + (unexposed - v) * (1.0f - float(edge) / 3.0f);
      y[p] = v;
    }
  }
  if (acq.sideMarker) {
    const bool rightSide = rng.chance(0.5);  // "R" over the patient's right (image left), or "L"
    const int scale = std::max(2, H / 110);
    const int mx = rightSide ? left + W / 25 : right - W / 25 - textWidth("L", scale);
    const int my = top + H / 30;
    forEachTextPixel(rightSide ? "R" : "L", mx, my, scale, [&](int x, int yy) {
      if (x >= 0 && yy >= 0 && x < W && yy < H) y[size_t(yy) * W + x] = 0.99f;
    });
  }
  const int maxV = (1 << acq.bitsStored) - 1;
  img.pixels.resize(y.size());
  for (size_t p = 0; p < y.size(); ++p) {
    const int v = int(clamp01(y[p]) * maxV + 0.5);
    img.pixels[p] = uint16_t(acq.monochrome1 ? maxV - v : v);
  }
  img.windowCenter = std::round(maxV * 0.5);
  img.windowWidth = std::round(maxV * 0.98);
  return img;
}

std::vector<uint8_t> displayPixels(const SynthImage& image) {
  std::vector<uint8_t> out(image.pixels.size());
  const double lo = image.windowCenter - image.windowWidth / 2;
  for (size_t i = 0; i < out.size(); ++i) {
    double t = (image.pixels[i] - lo) / image.windowWidth;
    t = clamp01(t);
    if (image.monochrome1) t = 1 - t;
    out[i] = uint8_t(std::lround(t * 255));
  }
  return out;
}

}  // namespace fedmrg::engine

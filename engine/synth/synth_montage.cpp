#include "engine/synth/synth_montage.h"

#include <algorithm>
#include <cmath>

#include "engine/core/png_writer.h"
#include "engine/synth/bitmap_font.h"
#include "engine/synth/chest_renderer.h"
#include "engine/synth/synth_random.h"
#include "engine/synth/synth_study.h"

namespace fedmrg::engine {

uint64_t studySeed(uint64_t datasetSeed, int siteIndex, int index) {
  return mixSeed(datasetSeed, uint64_t(siteIndex) + 1, uint64_t(index) + 1);
}

namespace {

// Short labels of the positive (+) and uncertain (?) findings.
std::vector<std::string> labelLines(const StudyTruth& t) {
  static const char* abbrev[kNumObservations] = {"NO FINDING", "WIDE MEDIAST", "CARDIOMEG", "LESION", "OPACITY",
                                                  "EDEMA", "CONSOLID", "PNEUMONIA", "ATELECT", "PTX",
                                                  "EFFUSION", "PLEURAL OTH", "FRACTURE", "DEVICES"};
  std::vector<std::string> lines;
  for (int i = 0; i < kNumObservations; ++i) {
    const Finding& f = t.findings[size_t(i)];
    if (!f.present) continue;
    std::string s = std::string(f.uncertain ? "?" : "+") + abbrev[i];
    if (f.side == Side::Right) s += " R";
    if (f.side == Side::Left) s += " L";
    if (f.side == Side::Both) s += " B";
    lines.push_back(s);
  }
  return lines;
}

}  // namespace

std::vector<uint8_t> renderMontage(const std::vector<SiteProfile>& sites, const MontageOptions& o, int& width,
                                   int& height) {
  const int header = 22, pad = 6, labelW = 150;
  const int tile = o.tile;
  width = labelW + o.perSite * (tile + pad) + pad;
  height = int(sites.size()) * (tile + header + pad) + pad;
  std::vector<uint8_t> out(size_t(width) * height, 24);
  const uint8_t white = 235, yellow = 255;
  for (size_t s = 0; s < sites.size(); ++s) {
    const SiteProfile& site = sites[s];
    const int y0 = pad + int(s) * (tile + header + pad);
    const auto& a = site.acquisition;
    const std::string title = site.id + (site.heldOut ? " (HELD OUT)" : "");
    drawText(out.data(), width, height, 1, title, pad, y0 + 4, 2, &white);
    const int infoX = std::max(labelW + pad, pad + textWidth(title, 2) + 12);
    const std::string info = a.modality + " " + std::to_string(a.bitsStored) + "-BIT " +
                             (a.monochrome1 ? "MONO1" : "MONO2") + " " + transferSyntaxName(a.transferSyntax);
    drawText(out.data(), width, height, 1, info, infoX, y0 + 7, 1, &white);
    for (int k = 0; k < o.perSite; ++k) {
      const StudyTruth t = sampleStudy(site, studySeed(o.seed, int(s), k));
      const SynthImage img = renderChest(t, a, o.renderSize);
      const std::vector<uint8_t> disp = displayPixels(img);
      // Area-average shrink into the tile, keeping the aspect ratio.
      const double f = double(img.height) / tile;
      const int tw = std::min(tile, int(img.width / f));
      const int tx = labelW + pad + k * (tile + pad) + (tile - tw) / 2, ty = y0 + header;
      for (int y = 0; y < tile; ++y)
        for (int x = 0; x < tw; ++x) {
          const int sx0 = int(x * f), sx1 = std::max(sx0 + 1, int((x + 1) * f));
          const int sy0 = int(y * f), sy1 = std::max(sy0 + 1, int((y + 1) * f));
          int sum = 0, n = 0;
          for (int yy = sy0; yy < std::min(sy1, img.height); ++yy)
            for (int xx = sx0; xx < std::min(sx1, img.width); ++xx, ++n) sum += disp[size_t(yy) * img.width + xx];
          out[size_t(ty + y) * width + tx + x] = uint8_t(n ? sum / n : 0);
        }
      int ly = ty + tile - 4;
      const std::vector<std::string> lines = labelLines(t);
      for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        ly -= 9;
        for (int yy = ly - 1; yy < ly + 8; ++yy)
          for (int xx = tx + 2; xx < tx + 4 + textWidth(*it, 1) + 1; ++xx)
            if (xx < width && yy >= 0) out[size_t(yy) * width + xx] = 0;
        drawText(out.data(), width, height, 1, *it, tx + 3, ly, 1, &yellow);
      }
      const std::string view = t.patient.apView ? "AP" : "PA";
      drawText(out.data(), width, height, 1, view, tx + tw - 16, ty + 3, 1, &yellow);
    }
    // Left column: the site's reporting style in a few words.
    const auto& r = site.reporting;
    const char* layout = r.layout == ReportingProfile::Layout::Sections
                             ? "SECTIONS"
                             : (r.layout == ReportingProfile::Layout::Narrative ? "NARRATIVE" : "STRUCTURED");
    const std::string lines[] = {site.institution.substr(0, 22), std::string("REPORTS: ") + layout,
                                 r.technicalTerms ? "TECHNICAL TERMS" : "PLAIN TERMS",
                                 "NEGATIVES " + std::to_string(int(std::lround(r.verbosity * 100))) + "%"};
    int ly = y0 + header + 4;
    for (const std::string& l : lines) {
      drawText(out.data(), width, height, 1, l, pad, ly, 1, &white);
      ly += 12;
    }
  }
  return out;
}

void writeMontagePng(const std::string& path, const std::vector<SiteProfile>& sites, const MontageOptions& options) {
  int w = 0, h = 0;
  const std::vector<uint8_t> px = renderMontage(sites, options, w, h);
  writePng(path, px.data(), w, h, 1);
}

}  // namespace fedmrg::engine

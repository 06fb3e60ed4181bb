// fedmrg:internal
#pragma once
// A small deterministic random generator for the synthetic data set: std:: distributions differ
// between standard libraries, and the same seed must give the same bytes everywhere.
#include <cmath>
#include <cstdint>

namespace fedmrg::engine {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Mixes several values into one seed (order matters).
inline uint64_t mixSeed(uint64_t a, uint64_t b, uint64_t c = 0) {
  return splitmix64(splitmix64(splitmix64(a) ^ b) ^ c);
}

class SynthRng {
 public:
  explicit SynthRng(uint64_t seed) {
    s_[0] = splitmix64(seed);
    s_[1] = splitmix64(s_[0] ^ 0xA5A5A5A5ull);
    s_[2] = splitmix64(s_[1] ^ 0x12345678ull);
    s_[3] = splitmix64(s_[2] ^ 0x9ABCDEF0ull);
  }
  uint64_t next() {  // xoshiro256**
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Integer in [0, n).
  int below(int n) { return n <= 0 ? 0 : int(uniform() * n); }
  bool chance(double p) { return uniform() < p; }
  // Standard normal (Box-Muller with std::log/std::cos, which are correctly rounded enough on glibc).
  double normal() {
    double u1 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * uniform());
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }
  template <class T>
  const T& pick(const T* items, int n) { return items[below(n)]; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace fedmrg::engine

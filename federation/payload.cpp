#include "federation/payload.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace fedmrg::federation {

int64_t WireTensor::elementCount() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

uint64_t Payload::totalBytes() const {
  uint64_t n = 0;
  for (const auto& t : tensors) n += t.bytes.size();
  return n;
}

Sha256 payloadDigest(const Payload& p) {
  Sha256 out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
  for (const auto& t : p.tensors) EVP_DigestUpdate(ctx, t.bytes.data(), t.bytes.size());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

std::string toHex(const Sha256& d) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (uint8_t b : d) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

}  // namespace fedmrg::federation

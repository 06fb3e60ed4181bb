#include "coordinator/spilled_update.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <stdexcept>

#include "federation/tensor_codec.h"
#include "fedmrg/federation/v1/federation.pb.h"

namespace fedmrg::coordinator {

namespace {

constexpr uint8_t kHeaderTag = 0x0A;  // PayloadChunk.header: field 1, length-delimited
constexpr uint8_t kDataTag = 0x12;    // PayloadChunk.data: field 2, length-delimited

std::string fileSha256Hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buf(64 << 10);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    EVP_DigestUpdate(ctx.get(), buf.data(), size_t(in.gcount()));
  }
  federation::Sha256 d{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), d.data(), &len);
  return federation::toHex(d);
}

}  // namespace

SpilledUpdate::SpilledUpdate(std::string path, const std::string& digestHex,
                             std::map<std::string, std::pair<int64_t, int64_t>> shapes)
    : path_(std::move(path)), shapes_(std::move(shapes)) {
  if (fileSha256Hex(path_) != digestHex) throw std::runtime_error(path_ + " does not match its digest (damaged on disk)");
  index();
}

// The file is the payload's chunks, each preceded by its 4-byte length (round_blobs.cpp). Header chunks are
// parsed; data chunks are only located, their bytes skipped.
void SpilledUpdate::index() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path_);
  in.seekg(0, std::ios::end);
  const uint64_t fileSize = uint64_t(in.tellg());
  in.seekg(0);
  const auto damaged = [&](const std::string& why) { return std::runtime_error(path_ + ": " + why); };
  size_t current = 0;     // the tensor the data stream is in
  uint64_t filled = 0;    // its bytes located so far
  bool header = false;
  std::vector<uint64_t> announced;  // each tensor's byte_size
  for (;;) {
    uint32_t n = 0;
    if (!in.read(reinterpret_cast<char*>(&n), 4)) {
      if (in.gcount() != 0) throw damaged("truncated");
      break;
    }
    if (n == 0) throw damaged("an empty chunk");
    const uint64_t recordEnd = uint64_t(in.tellg()) + n;
    if (recordEnd > fileSize) throw damaged("truncated");
    const int tag = in.get();
    if (tag == kHeaderTag) {
      if (header) throw damaged("a second header chunk");
      std::string bytes(n, '\0');
      bytes[0] = char(tag);
      if (!in.read(&bytes[1], std::streamsize(n) - 1)) throw damaged("truncated");
      federation::v1::PayloadChunk chunk;
      if (!chunk.ParseFromString(bytes) || !chunk.has_header()) throw damaged("a damaged header chunk");
      for (const auto& t : chunk.header().tensors()) {
        Entry e;
        e.meta.name = t.name();
        e.meta.dtype = static_cast<federation::WireDType>(t.dtype());
        e.meta.encoding = static_cast<federation::WireEncoding>(t.encoding());
        e.meta.shape.assign(t.shape().begin(), t.shape().end());
        e.meta.framed = t.codec_frame();
        announced.push_back(t.byte_size());
        entries_.push_back(std::move(e));
      }
      header = true;
    } else if (tag == kDataTag && header) {
      uint64_t len = 0;
      for (int shift = 0;; shift += 7) {
        const int b = in.get();
        if (b < 0 || shift > 63) throw damaged("a damaged data chunk");
        len |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
      }
      uint64_t offset = uint64_t(in.tellg());
      if (offset + len != recordEnd) throw damaged("a damaged data chunk");
      while (len > 0) {
        while (current < entries_.size() && filled == announced[current]) {
          ++current;
          filled = 0;
        }
        if (current >= entries_.size()) throw damaged("more data than its header announced");
        const uint64_t take = std::min(len, announced[current] - filled);
        entries_[current].pieces.push_back({offset, take});
        filled += take;
        offset += take;
        len -= take;
      }
    } else {
      throw damaged("a damaged chunk");
    }
    in.seekg(std::streamoff(recordEnd));
  }
  if (!header) throw damaged("no header chunk");
  for (size_t i = 0; i < entries_.size(); ++i) {
    uint64_t located = 0;
    for (const Piece& p : entries_[i].pieces) located += p.size;
    if (located != announced[i]) throw damaged("truncated: tensor data is missing");
  }
}

std::vector<std::string> SpilledUpdate::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.meta.name);
  return out;
}

federation::Matrix SpilledUpdate::tensor(const std::string& name) const {
  const Entry* entry = nullptr;
  for (const auto& e : entries_)
    if (e.meta.name == name) entry = &e;
  const auto shape = shapes_.find(name);
  if (!entry || shape == shapes_.end()) throw std::runtime_error(path_ + ": no tensor '" + name + "'");
  federation::WireTensor w = entry->meta;
  std::ifstream in(path_, std::ios::binary);
  for (const Piece& p : entry->pieces) {
    const size_t at = w.bytes.size();
    w.bytes.resize(at + p.size);
    in.seekg(std::streamoff(p.offset));
    if (!in.read(&w.bytes[at], std::streamsize(p.size))) throw std::runtime_error("cannot read " + path_);
  }
  federation::Matrix m = federation::decodeFrame(w);
  if (m.rows * m.cols != shape->second.first * shape->second.second)
    throw std::runtime_error(path_ + ": tensor '" + name + "' holds the wrong number of values");
  m.rows = shape->second.first;
  m.cols = shape->second.second;
  return m;
}

}  // namespace fedmrg::coordinator

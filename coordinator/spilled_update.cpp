#include "coordinator/spilled_update.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
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

SpilledUpdate::SpilledUpdate(std::string path, const std::string& digestHex, std::shared_ptr<const SpillShapes> shapes)
    : path_(std::move(path)), shapes_(std::move(shapes)) {
  if (shapes_->size() > UINT16_MAX) throw std::runtime_error("more federated tensors than an upload index holds");
  if (fileSha256Hex(path_) != digestHex)
    throw std::runtime_error(path_ + " does not match its digest (damaged on disk)");
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
  bool header = false;
  uint64_t announced = 0;  // the header's total of the tensors' bytes
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
        const auto it = shapes_->find(t.name());
        if (it == shapes_->end()) throw damaged("a tensor that is not federated in this round");
        if (t.byte_size() > UINT32_MAX || t.encoding() > 127) throw damaged("a tensor of an impossible size");
        entries_.push_back({announced, uint32_t(t.byte_size()), uint16_t(std::distance(shapes_->begin(), it)),
                            static_cast<federation::WireDType>(t.dtype()), uint8_t(t.encoding()),
                            uint8_t(t.codec_frame())});
        announced += t.byte_size();
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
      const uint64_t offset = uint64_t(in.tellg());
      if (offset + len != recordEnd) throw damaged("a damaged data chunk");
      chunks_.push_back({dataBytes_, offset});
      dataBytes_ += len;
      if (dataBytes_ > announced) throw damaged("more data than its header announced");
    } else {
      throw damaged("a damaged chunk");
    }
    in.seekg(std::streamoff(recordEnd));
  }
  if (!header) throw damaged("no header chunk");
  if (dataBytes_ != announced) throw damaged("truncated: tensor data is missing");
}

const SpillShapes::value_type& SpilledUpdate::tensorAt(uint16_t position) const {
  return *std::next(shapes_->begin(), position);
}

SpilledUpdate::~SpilledUpdate() {
  if (decoded_) ::unlink((path_ + ".decoded").c_str());
}

void SpilledUpdate::keep() const {
  const std::string scratch = path_ + ".decoded";
  const int fd = ::open(scratch.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  bool ok = true;
  for (const auto& [name, shape] : *shapes_) {
    federation::Matrix m;
    try {
      m = tensor(name);
    } catch (const std::exception&) {
      ok = false;  // values() decodes instead, and names what fails
      break;
    }
    const char* p = reinterpret_cast<const char*>(m.values.data());
    for (size_t left = m.values.size() * sizeof(float); ok && left > 0;) {
      const ssize_t n = ::write(fd, p, left);
      ok = n > 0;
      if (ok) {
        p += n;
        left -= size_t(n);
      }
    }
  }
  ok = ::close(fd) == 0 && ok;
  decoded_ = ok;  // a scratch file, not a record: no fsync; a partial one is never used
  if (!ok) ::unlink(scratch.c_str());
}

void SpilledUpdate::values(const std::string& name, size_t begin, size_t end, float* out) const {
  if (!decoded_) return UpdateSource::values(name, begin, end, out);
  uint64_t offset = 0;  // the tensor's first value in the scratch file: the round's tensors in order
  auto it = shapes_->begin();
  for (; it != shapes_->end() && it->first != name; ++it) offset += uint64_t(it->second.first * it->second.second);
  if (it == shapes_->end() || end > size_t(it->second.first * it->second.second) || begin > end)
    throw std::runtime_error(path_ + ": no values " + std::to_string(begin) + ".." + std::to_string(end) +
                             " of tensor '" + name + "'");
  const std::string scratch = path_ + ".decoded";
  const int fd = ::open(scratch.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + scratch);
  char* dst = reinterpret_cast<char*>(out);
  const uint64_t from = (offset + begin) * sizeof(float), bytes = (end - begin) * sizeof(float);
  for (uint64_t done = 0; done < bytes;) {
    const ssize_t n = ::pread(fd, dst + done, size_t(bytes - done), off_t(from + done));
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot read " + scratch + " (truncated?)");
    }
    done += uint64_t(n);
  }
  ::close(fd);
}

std::vector<std::string> SpilledUpdate::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(tensorAt(e.tensor).first);
  return out;
}

federation::Matrix SpilledUpdate::tensor(const std::string& name) const {
  const Entry* entry = nullptr;
  for (const auto& e : entries_)
    if (tensorAt(e.tensor).first == name) entry = &e;
  if (!entry) throw std::runtime_error(path_ + ": no tensor '" + name + "'");
  const auto [rows, cols] = tensorAt(entry->tensor).second;
  federation::WireTensor w;
  w.name = name;
  w.dtype = entry->dtype;
  w.encoding = static_cast<federation::WireEncoding>(entry->encoding);
  w.framed = entry->framed;
  w.shape = {rows, cols};  // a frame decodes by its element count; the upload's shape was checked on arrival
  w.bytes.resize(entry->size);
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + path_);
  // The tensor's bytes may run across data chunks: copy each chunk's share.
  for (size_t c = 0; c < chunks_.size(); ++c) {
    const uint64_t chunkEnd = c + 1 < chunks_.size() ? chunks_[c + 1].begin : dataBytes_;
    const uint64_t from = std::max(entry->begin, chunks_[c].begin);
    const uint64_t to = std::min(entry->begin + entry->size, chunkEnd);
    for (uint64_t at = from; at < to;) {
      const ssize_t got =
          ::pread(fd, &w.bytes[at - entry->begin], size_t(to - at), off_t(chunks_[c].offset + (at - chunks_[c].begin)));
      if (got <= 0) {
        ::close(fd);
        throw std::runtime_error("cannot read " + path_ + " (truncated?)");
      }
      at += uint64_t(got);
    }
  }
  ::close(fd);
  federation::Matrix m = federation::decodeFrame(w);
  if (m.rows * m.cols != rows * cols)
    throw std::runtime_error(path_ + ": tensor '" + name + "' holds the wrong number of values");
  m.rows = rows;
  m.cols = cols;
  return m;
}

}  // namespace fedmrg::coordinator

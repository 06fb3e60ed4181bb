#include "coordinator/round_blobs.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "federation/payload_stream.h"
#include "fedmrg/federation/v1/federation.pb.h"

namespace fedmrg::coordinator {

namespace fs = std::filesystem;

RoundBlobs::RoundBlobs(std::string folder) : folder_(std::move(folder)) {
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec) throw std::runtime_error("cannot create the upload folder " + folder_ + ": " + ec.message());
}

namespace {

std::string sha256Hex(const std::string& bytes) {
  federation::Sha256 d{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), d.data(), &len, EVP_sha256(), nullptr);
  return federation::toHex(d);
}

void writeDurably(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".part";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + tmp + " (disk full?)");
    }
    off += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) throw std::runtime_error("cannot flush " + tmp + " to disk");
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp);
}

}  // namespace

std::string RoundBlobs::put(const federation::Payload& payload) {
  std::string bytes;
  federation::streamPayload(payload, federation::kDefaultChunkBytes, [&](const federation::v1::PayloadChunk& c) {
    const std::string s = c.SerializeAsString();
    const uint32_t n = uint32_t(s.size());
    bytes.append(reinterpret_cast<const char*>(&n), 4);
    bytes += s;
    return true;
  });
  const std::string digest = sha256Hex(bytes);
  const std::string path = this->path(digest);
  if (!fs::exists(path)) writeDurably(path, bytes);
  return digest;
}

std::string RoundBlobs::path(const std::string& digestHex) const { return folder_ + "/" + digestHex + ".payload"; }

federation::Payload RoundBlobs::get(const std::string& digestHex) const {
  const std::string path = this->path(digestHex);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  if (sha256Hex(bytes) != digestHex) throw std::runtime_error(path + " does not match its digest (damaged on disk)");
  federation::PayloadAssembler assembler(uint64_t(1) << 34);
  size_t off = 0;
  while (off < bytes.size()) {
    if (bytes.size() - off < 4) throw std::runtime_error(path + " is truncated");
    uint32_t n = 0;
    std::memcpy(&n, bytes.data() + off, 4);
    off += 4;
    if (bytes.size() - off < n) throw std::runtime_error(path + " is truncated");
    federation::v1::PayloadChunk chunk;
    if (!chunk.ParseFromArray(bytes.data() + off, int(n)) || !assembler.add(chunk))
      throw std::runtime_error(path + ": " + (assembler.error().empty() ? "a damaged chunk" : assembler.error()));
    off += n;
  }
  if (!assembler.finish()) throw std::runtime_error(path + ": " + assembler.error());
  return assembler.take();
}

}  // namespace fedmrg::coordinator

// Content-addressed blob files. Durability order for a new blob: write a temp file in the same folder,
// fsync it, rename it to its digest, fsync the folder; a SIGKILL or power loss at any step leaves either
// no file under the digest or the whole one, and at worst a temp file that collectGarbage() removes.
#include "coordinator/blob_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>

#include "federation/payload.h"

namespace fedmrg::coordinator {

namespace {

constexpr const char* kTempPrefix = ".tmp-";
constexpr size_t kChunk = 1 << 16;

std::string errnoText() { return std::strerror(errno); }

bool isDigestName(const std::string& name) {
  if (name.size() != 64) return false;
  for (char c : name)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// An incremental SHA-256 (OpenSSL EVP).
class Hasher {
 public:
  Hasher() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) throw StateError("SHA-256 unavailable");
  }
  void update(const void* data, size_t n) { EVP_DigestUpdate(ctx_.get(), data, n); }
  std::string hex() {
    federation::Sha256 out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), out.data(), &len);
    return federation::toHex(out);
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // close() reports late write errors (NFS), so a blob is acknowledged only after it succeeded.
  int release() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

void writeAll(int fd, const char* data, size_t n, const std::string& path) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw StateError("blob " + path + ": cannot write: " + errnoText());
    data += w;
    n -= size_t(w);
  }
}

// Reads a whole file through `sink`; returns false when the file cannot be opened.
template <typename Sink>
bool readFile(const std::string& path, Sink sink) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return false;
  std::string buffer(kChunk, '\0');
  for (;;) {
    const ssize_t r = ::read(fd.get(), buffer.data(), buffer.size());
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw StateError("blob " + path + ": cannot read: " + errnoText());
    if (r == 0) return true;
    sink(buffer.data(), size_t(r));
  }
}

void fsyncFolder(const std::string& folder) {
  Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0)
    throw StateError("blob folder " + folder + ": cannot fsync: " + errnoText());
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
  Hasher h;
  h.update(bytes.data(), bytes.size());
  return h.hex();
}

BlobStore::BlobStore(std::string folder) : folder_(std::move(folder)) {
  if (folder_.empty()) throw StateError("blob folder: no path given");
  std::error_code ec;
  std::filesystem::create_directories(folder_, ec);
  if (ec) throw StateError("blob folder " + folder_ + ": cannot create: " + ec.message());
  if (!std::filesystem::is_directory(folder_)) throw StateError("blob folder " + folder_ + ": not a folder");
  // Uploads are the sites' model updates: readable by the coordinator's account only.
  if (::chmod(folder_.c_str(), 0700) != 0)
    throw StateError("blob folder " + folder_ + ": cannot set mode 0700: " + errnoText());
}

std::string BlobStore::pathOf(const std::string& digestHex) const {
  if (!isDigestName(digestHex)) throw BlobError("blob folder " + folder_ + ": \"" + digestHex + "\" is not a digest");
  return folder_ + "/" + digestHex;
}

std::string BlobStore::newTempPath() {
  static std::atomic<uint64_t> counter{0};
  static thread_local std::mt19937_64 random(std::random_device{}());
  for (;;) {
    const std::string path = folder_ + "/" + kTempPrefix + std::to_string(::getpid()) + "-" +
                             std::to_string(counter++) + "-" + std::to_string(random() % 1000000000);
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() >= 0) return path;
    if (errno != EEXIST) throw StateError("blob folder " + folder_ + ": cannot create a temp file: " + errnoText());
  }
}

std::string BlobStore::put(std::string_view bytes) {
  const std::string digest = sha256Hex(bytes);
  if (verify(digest)) return digest;
  const std::string temp = newTempPath();
  try {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (fd.get() < 0) throw StateError("blob " + temp + ": cannot open: " + errnoText());
    writeAll(fd.get(), bytes.data(), bytes.size(), temp);
    if (::fsync(fd.get()) != 0 || fd.release() != 0)
      throw StateError("blob " + temp + ": cannot fsync: " + errnoText());
    if (::rename(temp.c_str(), pathOf(digest).c_str()) != 0)
      throw StateError("blob " + pathOf(digest) + ": cannot rename into place: " + errnoText());
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  fsyncFolder(folder_);
  return digest;
}

std::string BlobStore::putFile(const std::string& tempPath) {
  // Hash the bytes as they are on disk (what get() will check) and make them durable before the rename.
  Hasher h;
  {
    Fd fd(::open(tempPath.c_str(), O_RDWR | O_CLOEXEC));
    if (fd.get() < 0) throw StateError("blob " + tempPath + ": cannot open: " + errnoText());
    std::string buffer(kChunk, '\0');
    for (;;) {
      const ssize_t r = ::read(fd.get(), buffer.data(), buffer.size());
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) throw StateError("blob " + tempPath + ": cannot read: " + errnoText());
      if (r == 0) break;
      h.update(buffer.data(), size_t(r));
    }
    if (::fsync(fd.get()) != 0) throw StateError("blob " + tempPath + ": cannot fsync: " + errnoText());
  }
  const std::string digest = h.hex();
  const std::string target = pathOf(digest);
  if (verify(digest)) {
    ::unlink(tempPath.c_str());
    return digest;
  }
  if (::rename(tempPath.c_str(), target.c_str()) != 0) {
    if (errno != EXDEV) throw StateError("blob " + target + ": cannot rename into place: " + errnoText());
    // Another file system: copy into a temp file of this folder, then rename that one.
    std::string bytes;
    if (!readFile(tempPath, [&](const char* d, size_t n) { bytes.append(d, n); }))
      throw StateError("blob " + tempPath + ": cannot open: " + errnoText());
    if (put(bytes) != digest) throw BlobError("blob " + tempPath + ": changed while it was stored");
    ::unlink(tempPath.c_str());
    return digest;
  }
  fsyncFolder(folder_);
  return digest;
}

bool BlobStore::contains(const std::string& digestHex) const {
  struct stat st {};
  return isDigestName(digestHex) && ::stat(pathOf(digestHex).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string BlobStore::get(const std::string& digestHex) const {
  const std::string path = pathOf(digestHex);
  std::string bytes;
  if (!readFile(path, [&](const char* d, size_t n) { bytes.append(d, n); }))
    throw BlobError("blob " + path + ": missing (" + errnoText() + ")");
  const std::string actual = sha256Hex(bytes);
  if (actual != digestHex)
    throw BlobError("blob " + path + ": damaged: its " + std::to_string(bytes.size()) + " bytes hash to " + actual);
  return bytes;
}

bool BlobStore::verify(const std::string& digestHex) const {
  if (!isDigestName(digestHex)) return false;
  Hasher h;
  if (!readFile(pathOf(digestHex), [&](const char* d, size_t n) { h.update(d, n); })) return false;
  return h.hex() == digestHex;
}

std::vector<std::string> BlobStore::list() const {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
    const std::string name = entry.path().filename().string();
    if (isDigestName(name) && entry.is_regular_file()) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t BlobStore::collectGarbage(const std::set<std::string>& referenced, int64_t minAgeSeconds) {
  const auto now = std::filesystem::file_time_type::clock::now();
  size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
    const std::string name = entry.path().filename().string();
    const bool temp = name.rfind(kTempPrefix, 0) == 0;
    if (!temp && (!isDigestName(name) || referenced.count(name))) continue;
    const auto changed = std::filesystem::last_write_time(entry.path(), ec);
    if (ec || now - changed < std::chrono::seconds(minAgeSeconds)) continue;
    if (std::filesystem::remove(entry.path(), ec)) ++removed;
  }
  if (removed) fsyncFolder(folder_);
  return removed;
}

}  // namespace fedmrg::coordinator

#pragma once
// An SQLite VFS for tests that forwards everything to the default VFS and counts the fsyncs (xSync) of
// write-ahead logs and main database files, so that a test can tell a commit that reached the disk from one
// that only reached the OS page cache (which a killed process does not lose, but a power cut does).
#include <sqlite3.h>

#include <atomic>
#include <stdexcept>

namespace fedmrg::testing {

class SyncCountingVfs {
 public:
  // Registers itself as the process's default VFS: every database opened while it lives goes through it.
  // Close those databases before it is destroyed.
  SyncCountingVfs() {
    real_ = sqlite3_vfs_find(nullptr);
    if (!real_) throw std::runtime_error("no default SQLite VFS");
    self() = this;
    vfs_ = *real_;
    vfs_.iVersion = 3;
    vfs_.szOsFile = int(sizeof(File)) + real_->szOsFile;
    vfs_.zName = "fedmrg-sync-counting";
    vfs_.pNext = nullptr;
    vfs_.pAppData = nullptr;
    vfs_.xOpen = open;
    vfs_.xDelete = [](sqlite3_vfs*, const char* n, int d) { return real()->xDelete(real(), n, d); };
    vfs_.xAccess = [](sqlite3_vfs*, const char* n, int f, int* r) { return real()->xAccess(real(), n, f, r); };
    vfs_.xFullPathname = [](sqlite3_vfs*, const char* n, int size, char* out) {
      return real()->xFullPathname(real(), n, size, out);
    };
    vfs_.xDlOpen = [](sqlite3_vfs*, const char* n) { return real()->xDlOpen(real(), n); };
    vfs_.xDlError = [](sqlite3_vfs*, int n, char* msg) { real()->xDlError(real(), n, msg); };
    vfs_.xDlSym = [](sqlite3_vfs*, void* h, const char* s) { return real()->xDlSym(real(), h, s); };
    vfs_.xDlClose = [](sqlite3_vfs*, void* h) { real()->xDlClose(real(), h); };
    vfs_.xRandomness = [](sqlite3_vfs*, int n, char* out) { return real()->xRandomness(real(), n, out); };
    vfs_.xSleep = [](sqlite3_vfs*, int us) { return real()->xSleep(real(), us); };
    vfs_.xCurrentTime = [](sqlite3_vfs*, double* t) { return real()->xCurrentTime(real(), t); };
    vfs_.xGetLastError = [](sqlite3_vfs*, int n, char* msg) { return real()->xGetLastError(real(), n, msg); };
    vfs_.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* t) { return real()->xCurrentTimeInt64(real(), t); };
    vfs_.xSetSystemCall = [](sqlite3_vfs*, const char* n, sqlite3_syscall_ptr p) {
      return real()->xSetSystemCall(real(), n, p);
    };
    vfs_.xGetSystemCall = [](sqlite3_vfs*, const char* n) { return real()->xGetSystemCall(real(), n); };
    vfs_.xNextSystemCall = [](sqlite3_vfs*, const char* n) { return real()->xNextSystemCall(real(), n); };
    if (real_->iVersion < 3) throw std::runtime_error("the default SQLite VFS is older than version 3");
    if (sqlite3_vfs_register(&vfs_, 1) != SQLITE_OK) throw std::runtime_error("cannot register the test VFS");
  }
  ~SyncCountingVfs() {
    sqlite3_vfs_unregister(&vfs_);
    self() = nullptr;
  }
  SyncCountingVfs(const SyncCountingVfs&) = delete;
  SyncCountingVfs& operator=(const SyncCountingVfs&) = delete;

  int walSyncs() const { return walSyncs_.load(); }
  int databaseSyncs() const { return databaseSyncs_.load(); }

 private:
  // Our part of an open file; the default VFS's own file object follows it in the same allocation.
  struct File {
    sqlite3_file base;
    sqlite3_file* real;
    bool wal, database;
  };

  static SyncCountingVfs*& self() {
    static SyncCountingVfs* s = nullptr;
    return s;
  }
  static sqlite3_vfs* real() { return self()->real_; }
  static sqlite3_file* inner(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

  static int sync(sqlite3_file* f, int flags) {
    const File* file = reinterpret_cast<File*>(f);
    if (file->wal) self()->walSyncs_.fetch_add(1);
    if (file->database) self()->databaseSyncs_.fetch_add(1);
    return file->real->pMethods->xSync(file->real, flags);
  }

  static const sqlite3_io_methods* methods() {
    static const sqlite3_io_methods m = {
        3,
        [](sqlite3_file* f) { return inner(f)->pMethods->xClose(inner(f)); },
        [](sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return inner(f)->pMethods->xRead(inner(f), b, n, o); },
        [](sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
          return inner(f)->pMethods->xWrite(inner(f), b, n, o);
        },
        [](sqlite3_file* f, sqlite3_int64 size) { return inner(f)->pMethods->xTruncate(inner(f), size); },
        sync,
        [](sqlite3_file* f, sqlite3_int64* size) { return inner(f)->pMethods->xFileSize(inner(f), size); },
        [](sqlite3_file* f, int lock) { return inner(f)->pMethods->xLock(inner(f), lock); },
        [](sqlite3_file* f, int lock) { return inner(f)->pMethods->xUnlock(inner(f), lock); },
        [](sqlite3_file* f, int* out) { return inner(f)->pMethods->xCheckReservedLock(inner(f), out); },
        [](sqlite3_file* f, int op, void* arg) { return inner(f)->pMethods->xFileControl(inner(f), op, arg); },
        [](sqlite3_file* f) { return inner(f)->pMethods->xSectorSize(inner(f)); },
        [](sqlite3_file* f) { return inner(f)->pMethods->xDeviceCharacteristics(inner(f)); },
        [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
          return inner(f)->pMethods->xShmMap(inner(f), page, size, extend, out);
        },
        [](sqlite3_file* f, int offset, int n, int flags) {
          return inner(f)->pMethods->xShmLock(inner(f), offset, n, flags);
        },
        [](sqlite3_file* f) { inner(f)->pMethods->xShmBarrier(inner(f)); },
        [](sqlite3_file* f, int deleteFlag) { return inner(f)->pMethods->xShmUnmap(inner(f), deleteFlag); },
        [](sqlite3_file* f, sqlite3_int64 o, int n, void** out) {
          return inner(f)->pMethods->xFetch(inner(f), o, n, out);
        },
        [](sqlite3_file* f, sqlite3_int64 o, void* p) { return inner(f)->pMethods->xUnfetch(inner(f), o, p); },
    };
    return &m;
  }

  static int open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* outFlags) {
    File* file = reinterpret_cast<File*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    file->wal = (flags & SQLITE_OPEN_WAL) != 0;
    file->database = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    const int rc = real()->xOpen(real(), name, file->real, flags, outFlags);
    // SQLite calls xClose only when pMethods is set: forward it only when the real file is open.
    file->base.pMethods = file->real->pMethods ? methods() : nullptr;
    return rc;
  }

  sqlite3_vfs* real_ = nullptr;
  sqlite3_vfs vfs_{};
  std::atomic<int> walSyncs_{0}, databaseSyncs_{0};
};

}  // namespace fedmrg::testing

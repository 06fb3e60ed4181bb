#pragma once
// The consortium's revoked certificates, read from the CRL that `fedmrg-coordinator certs revoke` writes.
// A CRL counts only when the consortium CA signed it: a forged or foreign file is refused, never trusted
// to shorten (or empty) the list.
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>

namespace fedmrg::coordinator {

class RevocationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RevocationList {
 public:
  RevocationList() = default;  // nothing revoked
  // Throws RevocationError naming the file and the reason: missing, unreadable, not a PEM CRL, not issued
  // or not signed by the CA of `caCertFile`.
  static RevocationList load(const std::string& crlFile, const std::string& caCertFile);

  bool isRevoked(const std::string& serialHex) const { return serials_.count(serialHex) > 0; }
  size_t size() const { return serials_.size(); }
  int64_t nextUpdate() const { return nextUpdate_; }  // Unix seconds; when the CA promised a fresher list

 private:
  std::set<std::string> serials_;  // lower-case hex, as federation::certificateSerial gives them
  int64_t nextUpdate_ = 0;
};

}  // namespace fedmrg::coordinator

#pragma once
// Transport security between the coordinator and its sites (docs/federation.md, "Security"): mutual TLS
// where both sides present a certificate from the consortium CA, or plaintext only when asked for
// explicitly and only on a loopback address (tests, development on one machine).
//
// The PEM files are checked before gRPC sees them, so that a misconfigured site or coordinator fails at
// start with the file and the reason instead of with a handshake error on the first call.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace grpc {
class ServerCredentials;
class ChannelCredentials;
class ChannelArguments;
}  // namespace grpc

namespace fedmrg::federation {

// A TLS file that cannot be used; what() names the file and the reason.
class TlsConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TlsFiles {
  std::string caCertFile;  // the consortium CA's certificate
  std::string certFile;    // this party's certificate: the coordinator's (server) or the site's (client)
  std::string keyFile;     // its private key: must not be readable by group or others
};

enum class TlsRole { Server, Client };

struct TlsMaterial {
  std::string caPem, certPem, keyPem;
};

// Reads and checks the three files: each present, readable and PEM; the key unreadable by group and
// others and matching the certificate; the certificate signed by the CA, valid at `nowUnix` (0 = now) and
// meant for `role` (extended key usage serverAuth or clientAuth). Throws TlsConfigError.
TlsMaterial loadTlsMaterial(const TlsFiles& files, TlsRole role, int64_t nowUnix = 0);

// The coordinator's credentials: TLS 1.2 or later (gRPC's minimum), and every client must present a
// certificate that verifies against the consortium CA, or the handshake fails.
std::shared_ptr<grpc::ServerCredentials> mutualTlsServerCredentials(const TlsFiles& files);

// A site's credentials: its certificate and key, and the CA that the coordinator's certificate must chain to.
// gRPC checks the coordinator's certificate names (subject alternative names) against the target's host,
// or against `coordinatorName` when coordinatorNameArguments() is passed to the channel.
std::shared_ptr<grpc::ChannelCredentials> mutualTlsChannelCredentials(const TlsFiles& files);
// Channel arguments that check the coordinator's certificate against `coordinatorName` instead of the
// target's host (a coordinator reached through an address that its certificate does not name).
grpc::ChannelArguments coordinatorNameArguments(const std::string& coordinatorName);

// Whether `address` (a listen address or a channel target: "127.0.0.1:50051", "[::1]:0",
// "localhost:50051", "ipv4:127.0.0.1:1", "dns:///localhost:1") can only be reached from this machine.
bool isLoopbackAddress(const std::string& address);
// Why plaintext is refused on `address`: empty when `insecureFlag` is set and the address is loopback.
std::string plaintextRefusal(const std::string& address, bool insecureFlag);
// Plaintext credentials after that check; throw TlsConfigError with the refusal otherwise.
std::shared_ptr<grpc::ServerCredentials> insecureLoopbackServerCredentials(const std::string& listenAddress,
                                                                           bool insecureFlag);
std::shared_ptr<grpc::ChannelCredentials> insecureLoopbackChannelCredentials(const std::string& target,
                                                                             bool insecureFlag);

// What a program's configuration picks: mutual TLS from `files`, or, with `insecureLoopback`, plaintext on a
// loopback address only. Giving both TLS files and the flag is refused as ambiguous. Throw TlsConfigError.
std::shared_ptr<grpc::ServerCredentials> coordinatorCredentials(const std::string& listenAddress, const TlsFiles& files,
                                                                bool insecureLoopback);
std::shared_ptr<grpc::ChannelCredentials> siteCredentials(const std::string& target, const TlsFiles& files,
                                                          bool insecureLoopback);

}  // namespace fedmrg::federation

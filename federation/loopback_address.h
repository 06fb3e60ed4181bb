#pragma once
// Plain-text gRPC is allowed only on loopback (docs/federation.md, "Threat model"); both the coordinator and
// the site check an address with this.
#include <string>

namespace fedmrg::federation {

// Whether host:port names a loopback host: 127.x.x.x, [::1] or localhost.
inline bool isLoopbackAddress(const std::string& address) {
  std::string host = address;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string::npos) {
    host.resize(colon);
  }
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace fedmrg::federation

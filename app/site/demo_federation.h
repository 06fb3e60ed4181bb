#pragma once
// Demo only (fedmrg --demo-federation, scripts/demo-federation.sh): puts the demo site into the local demo
// federation the script runs, through the same settings an administrator sets in the federation panel: the
// coordinator's address, the site's certificates (checked on import), every round, and a real Join.
#include <QString>
#include <cstdint>
#include <string>

namespace fedmrg::app {

class Site;

// The demo site's id in the demo consortium: the common name of its certificate.
constexpr const char* kDemoFederationSite = "demo-site";

// `federationDir`: the script's DIR/federation, with coordinator.address and ca/sites/demo-site/{ca,cert,key}.pem.
// Changes only what differs (each change is audit-logged as usual) and joins when the site is not joined to that
// coordinator yet. Returns what it did, for the console. Throws FederationSettingsError naming the file or the
// coordinator's reason.
std::string joinDemoFederation(Site& site, int64_t userId, const QString& federationDir);

}  // namespace fedmrg::app

// Loading the policy `warden serve` decides with (see policy_source.hpp).
#include "server/policy_source.hpp"

#include "server/service_log.hpp"
#include "table/artifact.hpp"
#include "watch/source_target.hpp"

namespace warden::server {

WatchTarget policy_source(const std::string& path, std::shared_ptr<PolicyInfoCell> info,
                          std::vector<table::VerifyKey> verify_keys) {
  const bool verified = !verify_keys.empty();
  compiler::Options options;
  options.verify_keys = std::move(verify_keys);
  return watch::policy_source_target(path, std::move(options), [path, info, verified](const compiler::Compilation& c) {
    PolicyInfo i;
    i.source = path;
    i.kind = c.kind == compiler::InputKind::Artifact ? "artifact" : "sources";
    i.fingerprint = c.fingerprint;
    // The header says which compiler made an artifact; sources were just
    // compiled by this one.
    const table::ArtifactLoad header = table::load_artifact(c.artifact);
    i.format_version = header.header.format_version;
    i.compiler_version = header.header.compiler_version;
    // The driver loaded it against the verify keys, if any.
    i.signature = verified ? "verified" : "unverified";
    if (header.header.is_signed()) i.signed_by = table::hex64(header.header.key_id);
    i.loaded_at_ms = now_unix_millis();
    info->set(std::move(i));
  });
}

}  // namespace warden::server

// Loading an artifact for `warden serve` (see policy_source.hpp).
#include "server/policy_source.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "server/service_log.hpp"
#include "table/artifact.hpp"

namespace warden::server {
namespace fs = std::filesystem;

PolicySource policy_source(const std::string& path, std::shared_ptr<PolicyInfoCell> info) {
  PolicySource s;
  std::error_code ec;
  if (fs::is_directory(path, ec) || fs::path(path).extension() == ".warden") {
    s.error = "`" + path + "` is policy source: compile it first (`warden compile " + path +
              " -o policy.wdn`) and serve the artifact";
    return s;
  }
  s.target.name = "policy";
  s.target.paths.push_back(runtime::WatchPath::file(path));
  s.target.load = [path, info](Engine& engine, runtime::ReloadReport& r) {
    auto fail = [&](const std::string& code, const std::string& message) {
      r.ok = false;
      r.code = code;
      r.message = "cannot load `" + path + "`: " + message;
      r.diagnostics.push_back(path + ": error[" + code + "]: " + message);
    };
    // Read once; the header reported is the header of the bytes published.
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("E0506", "cannot read artifact file");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const table::ArtifactLoad loaded = table::load_artifact(bytes);
    if (!loaded.ok()) return fail(std::string(code_info(loaded.error->code).name), loaded.error->message);
    const Status status = engine.load_policy(bytes);
    if (!status.ok) return fail(status.code, status.message);
    r.ok = true;
    PolicyInfo i;
    i.source = path;
    i.fingerprint = loaded.header.source_fingerprint;
    i.format_version = loaded.header.format_version;
    i.compiler_version = loaded.header.compiler_version;
    i.loaded_at_ms = now_unix_millis();
    info->set(std::move(i));
  };
  return s;
}

}  // namespace warden::server

// Decision → HTTP status (see http_status.hpp).
#include "bindings/core/http_status.hpp"

#include <string_view>

namespace warden::bindings {

int http_status(const Decision& d, bool authenticated) {
  if (d.allowed()) return 200;
  const std::string_view code = d.code.view();
  if (code == "NO_POLICY") return 503;
  if (!authenticated || code == "UNAUTHENTICATED" || code == "KEY_UNKNOWN" || code == "KEY_REVOKED" || code == "KEY_EXPIRED") return 401;
  return 403;
}

}  // namespace warden::bindings

// A whole running `warden serve`: engine, reload, HTTP, decision log.
//
// Pipeline position: server/, the entry point the `serve` command calls
// (run_serve) and that tests start in process (Server). Start-up order:
// decision log, policy and facts (a first load that fails is an error: the
// service does not start on a broken policy), listeners, workers, file
// watching. Shutdown is the reverse and graceful: stop accepting, let
// requests in flight finish, stop watching, write and flush the decision log.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "server/options.hpp"

namespace warden::server {

class Server {
 public:
  Server(ServeOptions options, std::ostream& log_stream);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Load and start. On failure an exit status (1: policy or facts refused,
  // 2: usage or I/O, e.g. an address in use) with the reason in the log.
  std::optional<int> start();

  unsigned short port() const;        // the decision API's bound port
  unsigned short admin_port() const;  // 0 without --admin-listen

  // SIGHUP: reload policy and facts now, reopen the decision log.
  void reload();
  // Graceful shutdown; idempotent.
  void stop();

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// `warden serve`: start, then wait for signals (SIGHUP: reload; SIGTERM,
// SIGINT: stop). Returns the exit status.
int run_serve(const ServeOptions& options, std::ostream& log_stream);

}  // namespace warden::server

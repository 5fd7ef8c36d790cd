// The HTTP/1.1 front of `warden serve`: listeners, keep-alive connections,
// limits and timeouts, graceful drain. What a request means is the
// Handler's business (service.hpp); this file only moves bytes.
//
// Pipeline position: server/, the outermost layer, on Boost.Beast/Asio.
// Threads: N workers, each running an io_context of its own; the acceptor
// hands every new connection to the next worker in turn, and a connection
// then lives on that one thread for its whole life. No connection state is
// ever shared between threads, so there are no strands and no locks here;
// the Handler is called on the worker's thread and must be thread-safe.
//
// Limits (options.hpp, HttpLimits): header and body size (431 / 413, the
// parser stops reading at the limit), open connections (503 and close),
// idle keep-alive, header-read and body-read timeouts (a slow sender's
// connection is closed, counted as 408 S0104 when part of a request had
// arrived). Timeouts are deadlines that one sweep per worker enforces.
// Malformed HTTP is 400 and the connection is closed. Every refusal has a
// stable code (support/diagnostic_codes.def) in the JSON error body.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/options.hpp"

namespace warden::server {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// Where a request came from.
struct Peer {
  std::string address;   // the connecting socket's address
  bool admin = false;    // accepted on the admin listener
  std::size_t worker = 0;  // the worker thread's number (metrics shard)
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Fill `res` (status, headers, body) for `req`. Must not throw; called on
  // worker threads concurrently.
  virtual void handle(const HttpRequest& req, const Peer& peer, HttpResponse& res) noexcept = 0;
  // A request refused before it reached handle() (limits, malformed HTTP):
  // fill the error response and count it.
  virtual void refuse(unsigned status, std::string_view code, std::string_view detail, const Peer& peer,
                      HttpResponse& res) noexcept = 0;
  // A connection opened or closed (for the connection metrics); `refused`
  // for one turned away at the connection limit.
  virtual void connection_event(bool opened, bool refused) noexcept = 0;
};

class HttpServer {
 public:
  HttpServer(Handler& handler, HttpLimits limits, unsigned threads);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Bind and listen on "ADDR:PORT" (port 0: any free port). Before start().
  // Returns the bound "ADDR:PORT", or an error text.
  struct Bound {
    std::string address;
    unsigned short port = 0;
    std::optional<std::string> error;
  };
  Bound listen(const std::string& address, bool admin);

  // Start the worker threads.
  void start();

  // Graceful shutdown: stop accepting, close idle connections, let requests
  // in flight finish (their responses say `Connection: close`); after
  // `deadline`, close what remains. Returns once every worker has stopped.
  void shutdown(std::chrono::milliseconds deadline);

  std::size_t worker_count() const { return workers_.size(); }

  struct Worker;
  struct Listener;

 private:
  Handler& handler_;
  HttpLimits limits_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> next_worker_{0};
  bool started_ = false;
  bool stopped_ = false;

  friend struct Session;
};

}  // namespace warden::server

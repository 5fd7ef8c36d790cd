// Listeners, sessions, limits and drain (see http_server.hpp).
#include "server/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <algorithm>
#include <chrono>
#include <list>
#include <thread>

namespace warden::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kWriteTimeout{10};

}  // namespace

struct Session;

struct HttpServer::Worker {
  explicit Worker(std::size_t i) : index(i), guard(asio::make_work_guard(ctx)) {}
  std::size_t index;
  // Touched only on this worker's thread (from sessions and posted drains).
  // Declared before `ctx`: destroying the context destroys the frames of
  // unfinished sessions, which take themselves off this list.
  std::list<Session*> sessions;
  bool draining = false;
  // Concurrency hint 1: exactly one thread runs this context, so Asio can
  // skip its internal locking.
  asio::io_context ctx{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
};

struct HttpServer::Listener {
  Listener(asio::io_context& ctx, bool a) : acceptor(ctx), admin(a) {}
  tcp::acceptor acceptor;
  bool admin;
};

using Clock = std::chrono::steady_clock;

// One connection, alive for the duration of its coroutine, on one worker.
//
// Timeouts are deadlines, not timers: each phase (idle, headers, body,
// write) stores when it must be over, and the worker's sweep (one timer per
// worker) closes the sockets that are late. Arming a timer per phase would
// cost system calls on every request; storing a time point costs a clock
// read.
struct Session {
  Session(HttpServer::Worker& w, tcp::socket sock, bool admin) : worker(w), socket(std::move(sock)) {
    peer.admin = admin;
    peer.worker = w.index;
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (!ec) peer.address = remote.address().to_string();
    socket.set_option(tcp::no_delay(true), ec);
    worker.sessions.push_back(this);
    position = std::prev(worker.sessions.end());
  }
  ~Session() { worker.sessions.erase(position); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void close() {
    boost::system::error_code ec;
    socket.close(ec);
  }

  HttpServer::Worker& worker;
  tcp::socket socket;
  Peer peer;
  Clock::time_point deadline = Clock::time_point::max();
  bool busy = false;       // a request has begun arriving: drain lets it finish
  bool timed_out = false;  // the sweep closed it
  std::list<Session*>::iterator position;
};

namespace {

// Counts a connection for the limit and the metrics, for exactly as long as
// it lives.
class ConnectionSlot {
 public:
  ConnectionSlot(std::atomic<std::size_t>& count, Handler& h) : count_(count), handler_(h) {
    handler_.connection_event(true, false);
  }
  ~ConnectionSlot() {
    count_.fetch_sub(1, std::memory_order_relaxed);
    handler_.connection_event(false, false);
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::atomic<std::size_t>& count_;
  Handler& handler_;
};

// Beast's parse errors, as the status and code the client gets.
std::pair<unsigned, const char*> classify(const boost::system::error_code& ec) {
  if (ec == http::error::body_limit) return {413, "S0101"};
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) return {431, "S0102"};
  return {400, "S0103"};
}

bool is_disconnect(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == asio::error::bad_descriptor || ec == asio::error::broken_pipe;
}

asio::awaitable<bool> send(Session& s, HttpResponse& res) {
  s.deadline = Clock::now() + kWriteTimeout;
  auto [ec, n] = co_await http::async_write(s.socket, res, kTuple);
  (void)n;
  co_return !ec;
}

void shut(Session& s) {
  boost::system::error_code ec;
  s.socket.shutdown(tcp::socket::shutdown_send, ec);
  s.close();
}

// Parse what is already buffered. A keep-alive client's request usually
// arrives whole in one read, and then it is parsed here without another
// asynchronous operation. need_more is not an error: read on.
void parse_buffered(http::request_parser<http::string_body>& parser, beast::flat_buffer& buffer,
                    boost::system::error_code& ec) {
  while (buffer.size() > 0 && !parser.is_done()) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) {
      ec = {};
      return;
    }
    if (ec || used == 0) return;
  }
}

asio::awaitable<void> run_session(Session& s, Handler& handler, const HttpLimits& limits) {
  beast::flat_buffer buffer;
  for (;;) {
    // Idle: wait for the first byte of the next request.
    s.busy = false;
    if (s.worker.draining) break;
    if (buffer.size() == 0) {
      s.deadline = Clock::now() + limits.idle_timeout;
      auto [ec, n] = co_await s.socket.async_read_some(buffer.prepare(4096), kTuple);
      if (ec) break;  // closed, idle too long, or drained
      buffer.commit(n);
    }
    s.busy = true;
    s.deadline = Clock::now() + limits.header_timeout;

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header, UINT32_MAX)));
    parser.body_limit(limits.max_body);
    parser.eager(true);
    HttpResponse res;
    boost::system::error_code ec;
    parse_buffered(parser, buffer, ec);
    if (!ec && !parser.is_header_done()) {
      auto [hec, hn] = co_await http::async_read_header(s.socket, buffer, parser, kTuple);
      (void)hn;
      ec = hec;
    }
    if (!ec && !parser.is_done()) {
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        // The client waits for this before it sends the body (curl does for
        // bodies over 1 KiB).
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        s.deadline = Clock::now() + kWriteTimeout;
        auto [cec, cn] = co_await asio::async_write(s.socket, asio::buffer(kContinue.data(), kContinue.size()), kTuple);
        (void)cn;
        if (cec) break;
      }
      s.deadline = Clock::now() + limits.body_timeout;
      auto [bec, bn] = co_await http::async_read(s.socket, buffer, parser, kTuple);
      (void)bn;
      ec = bec;
    }
    if (ec) {
      if (s.timed_out) {
        // The sweep closed the socket: nothing can be sent; count it.
        handler.refuse(408, "S0104", "the request did not arrive in time", s.peer, res);
        break;
      }
      if (is_disconnect(ec)) break;
      const auto [status, code] = classify(ec);
      handler.refuse(status, code, ec.message(), s.peer, res);
      res.keep_alive(false);
      res.prepare_payload();
      co_await send(s, res);
      break;
    }

    const HttpRequest& req = parser.get();
    handler.handle(req, s.peer, res);
    const bool keep_alive = req.keep_alive() && !s.worker.draining;
    res.keep_alive(keep_alive);
    if (req.method() == http::verb::head) {
      const auto size = res.body().size();
      res.body().clear();
      res.content_length(size);
    } else {
      res.prepare_payload();
    }
    if (!co_await send(s, res) || !keep_alive) break;
  }
  shut(s);
}

asio::awaitable<void> refuse_connection(tcp::socket socket, Handler& handler, std::size_t worker) {
  Peer peer;
  peer.worker = worker;
  HttpResponse res;
  handler.refuse(503, "S0109", "the service has too many open connections", peer, res);
  res.keep_alive(false);
  res.prepare_payload();
  // Small enough for the socket's send buffer: the write does not wait.
  co_await http::async_write(socket, res, kTuple);
  boost::system::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

// Once per interval on each worker: close the connections past their
// deadline. Ends once the worker drains and has no connection left.
asio::awaitable<void> sweep(HttpServer::Worker& w, std::chrono::milliseconds interval) {
  asio::steady_timer timer(w.ctx);
  for (;;) {
    timer.expires_after(interval);
    auto [ec] = co_await timer.async_wait(kTuple);
    if (ec || (w.draining && w.sessions.empty())) co_return;
    const auto now = Clock::now();
    for (Session* s : w.sessions) {
      if (s->deadline < now && !s->timed_out) {
        s->timed_out = true;
        s->close();
      }
    }
  }
}

bool parse_address(const std::string& text, tcp::endpoint& out, std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    error = "`" + text + "` is not ADDR:PORT";
    return false;
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    error = "`" + text + "` has no valid port";
    return false;
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) {
    error = "`" + host + "` is not an IP address";
    return false;
  }
  out = tcp::endpoint(address, static_cast<unsigned short>(port));
  return true;
}

}  // namespace

HttpServer::HttpServer(Handler& handler, HttpLimits limits, unsigned threads) : handler_(handler), limits_(limits) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>(i));
}

HttpServer::~HttpServer() { shutdown(std::chrono::milliseconds(0)); }

HttpServer::Bound HttpServer::listen(const std::string& address, bool admin) {
  Bound b;
  tcp::endpoint endpoint;
  std::string error;
  if (!parse_address(address, endpoint, error)) {
    b.error = error;
    return b;
  }
  auto l = std::make_unique<Listener>(workers_[0]->ctx, admin);
  boost::system::error_code ec;
  l->acceptor.open(endpoint.protocol(), ec);
  if (!ec) l->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) l->acceptor.bind(endpoint, ec);
  if (!ec) l->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    b.error = "cannot listen on `" + address + "`: " + ec.message();
    return b;
  }
  const auto local = l->acceptor.local_endpoint(ec);
  b.address = local.address().to_string();
  b.port = local.port();
  listeners_.push_back(std::move(l));
  return b;
}

void HttpServer::start() {
  if (started_) return;
  started_ = true;
  for (auto& l : listeners_) {
    Listener* listener = l.get();
    asio::co_spawn(
        workers_[0]->ctx,
        [this, listener]() -> asio::awaitable<void> {
          for (;;) {
            Worker& w = *workers_[next_worker_.fetch_add(1, std::memory_order_relaxed) % workers_.size()];
            auto [ec, socket] = co_await listener->acceptor.async_accept(w.ctx, kTuple);
            if (ec == asio::error::operation_aborted || !listener->acceptor.is_open()) co_return;
            if (ec) continue;  // a connection that failed while queued; keep accepting
            // Count first, then check: two accepts cannot both slip under the limit.
            if (connections_.fetch_add(1, std::memory_order_relaxed) >= limits_.max_connections) {
              connections_.fetch_sub(1, std::memory_order_relaxed);
              handler_.connection_event(false, true);
              asio::co_spawn(w.ctx, refuse_connection(std::move(socket), handler_, w.index), asio::detached);
              continue;
            }
            const bool admin = listener->admin;
            asio::co_spawn(
                w.ctx,
                [this, &w, admin, sock = std::move(socket)]() mutable -> asio::awaitable<void> {
                  ConnectionSlot slot(connections_, handler_);
                  Session s(w, std::move(sock), admin);
                  co_await run_session(s, handler_, limits_);
                },
                // An exception (out of memory) ends that connection only;
                // the frame's destructors have already released it.
                [](std::exception_ptr) {});
          }
        },
        [](std::exception_ptr) {});
  }
  // The sweep runs often enough to keep every timeout within a quarter of
  // itself (at least every 5 ms, at most every 250 ms).
  const auto shortest = std::min({limits_.idle_timeout, limits_.header_timeout, limits_.body_timeout});
  const auto interval = std::clamp(shortest / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
  for (auto& w : workers_) {
    Worker* worker = w.get();
    asio::co_spawn(worker->ctx, sweep(*worker, interval), [](std::exception_ptr) {});
    worker->thread = std::thread([worker] { worker->ctx.run(); });
  }
}

void HttpServer::shutdown(std::chrono::milliseconds deadline) {
  if (stopped_) return;
  stopped_ = true;
  if (!started_) return;
  // 1. Stop accepting (on the acceptors' thread).
  asio::post(workers_[0]->ctx, [this] {
    for (auto& l : listeners_) {
      boost::system::error_code ec;
      l->acceptor.close(ec);
    }
  });
  // 2. Close idle connections; busy ones close after their response.
  for (auto& w : workers_) {
    Worker* worker = w.get();
    asio::post(worker->ctx, [worker] {
      worker->draining = true;
      for (Session* s : worker->sessions) {
        if (!s->busy) s->close();
      }
    });
    worker->guard.reset();  // run() returns once the last connection is gone
  }
  // 3. Wait for in-flight requests, up to the deadline, then cut the rest.
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (connections_.load(std::memory_order_relaxed) > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (auto& w : workers_) w->ctx.stop();
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

}  // namespace warden::server

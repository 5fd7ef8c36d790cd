// Test helper: a blocking HTTP/1.1 client over one keep-alive connection,
// and a raw socket for requests no well-behaved client would send.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <string>
#include <utility>
#include <vector>

namespace warden::test {

namespace http = boost::beast::http;
using Response = http::response<http::string_body>;
using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  Response request(http::verb method, const std::string& target, const std::string& body = {},
                   const Headers& headers = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty() || method == http::verb::post || method == http::verb::put || method == http::verb::patch) {
      req.body() = body;
      req.prepare_payload();
    }
    http::write(socket_, req);
    // A response to HEAD has a Content-Length but no body.
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    if (method == http::verb::head) parser.skip(true);
    http::read(socket_, buffer_, parser);
    return parser.release();
  }
  Response get(const std::string& target, const Headers& headers = {}) {
    return request(http::verb::get, target, {}, headers);
  }
  Response post(const std::string& target, const std::string& body, const Headers& headers = {}) {
    return request(http::verb::post, target, body, headers);
  }

  // Raw bytes out; the response (if any) in.
  void send_raw(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  Response read_response() {
    Response res;
    http::read(socket_, buffer_, res);
    return res;
  }
  // True once the server has closed the connection (blocks until it does).
  bool closed_by_server() {
    boost::system::error_code ec;
    char byte;
    for (;;) {
      socket_.read_some(boost::asio::buffer(&byte, 1), ec);
      if (ec) return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
    }
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace warden::test

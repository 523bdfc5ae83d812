#include "metrics/http_server.h"

#include <chrono>
#include <exception>
#include <string_view>
#include <utility>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace wirefeed {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

constexpr std::size_t max_header_bytes = 8 * 1024;
// What a connection may hold unparsed: a header and the start of a pipelined next one.
constexpr std::size_t max_buffered_bytes = 2 * max_header_bytes;
constexpr std::size_t max_connections = 64;
constexpr auto idle_timeout = std::chrono::seconds(30);
// After an answer that closes the connection, what the client still sends (a body no endpoint
// reads) is read and dropped for up to this long before the socket closes: closed with it unread,
// the kernel resets the connection, and the client may lose the answer before it reads it.
constexpr auto linger_timeout = std::chrono::seconds(2);
constexpr auto accept_retry_delay = std::chrono::milliseconds(100);
constexpr std::string_view text_type = "text/plain; charset=utf-8";
constexpr std::string_view metrics_type = "text/plain; version=0.0.4; charset=utf-8";

response reply(const request& req, http::status status, std::string body,
               std::string_view content_type = text_type) {
  response res{status, req.version()};
  res.set(http::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// What to answer to one request. Runs on the server thread; no socket in sight.
response route(const request& req, const prometheus::Registry& registry,
               const std::function<bool()>& ready, prometheus::Gauge* ready_gauge) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
    return reply(req, http::status::not_found, "not found");
  }
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = reply(req, http::status::method_not_allowed, "method not allowed");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  if (path == "/metrics") {
    if (ready_gauge != nullptr) ready_gauge->Set(ready() ? 1 : 0);
    return reply(req, http::status::ok, prometheus::TextSerializer().Serialize(registry.Collect()),
                 metrics_type);
  }
  if (path == "/healthz") return reply(req, http::status::ok, "ok");
  return ready() ? reply(req, http::status::ok, "ready")
                 : reply(req, http::status::service_unavailable, "not ready");
}

std::string describe(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address().to_string();
  const auto port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

}  // namespace

// One connection: read a request's header, write its response, repeat while keep-alive. A
// request body is never read (no endpoint takes one): its request is answered and the connection
// closed, so no request makes the connection hold more than max_buffered_bytes (chunk extensions
// and trailers included, which the parser's limits do not count). Owned by the handlers of its
// pending operation (shared_from_this); registered in server.sessions_ while alive.
class http_server::session : public std::enable_shared_from_this<session> {
 public:
  session(http_server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    server_.sessions_.insert(this);
  }
  ~session() { server_.sessions_.erase(this); }

  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void read() {
    since_ = server_.next_operation_++;
    parser_.emplace();
    parser_->header_limit(max_header_bytes);
    parser_->body_limit(boost::none);  // never read: a body's declared length is no error
    stream_.expires_after(idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_read(ec);
                            });
  }

  // Cancels the pending operation; its handler then drops the last reference.
  void close() {
    closing_ = true;
    stream_.close();
  }
  bool closing() const { return closing_; }

  // When its pending operation (reading a request, writing an answer) began, in the order of the
  // server's operations: the smallest is the connection idle or stalled the longest.
  std::uint64_t since() const { return since_; }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      response_ = reply(request{}, http::status::payload_too_large, "request too large");
      response_.keep_alive(false);
      return write();
    }
    if (ec) return;  // peer closed, timed out, malformed request, or stop()
    const request& req = parser_->get();
    try {
      response_ = route(req, *server_.registry_, server_.ready_, server_.ready_gauge_);
    } catch (const std::exception& e) {
      response_ = reply(req, http::status::internal_server_error, e.what());
    }
    if (parser_->chunked() || parser_->content_length().value_or(0) > 0) response_.keep_alive(false);
    if (req.method() == http::verb::head) {  // the GET answer's header, Content-Length included
      const auto length = response_.body().size();
      response_.body().clear();
      response_.content_length(length);
    }
    write();
  }

  void write() {
    since_ = server_.next_operation_++;
    stream_.expires_after(idle_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_write(ec);
                      });
  }

  void on_write(beast::error_code ec) {
    if (ec) return;
    if (response_.keep_alive()) return read();
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    since_ = 0;  // done: the first to make room at the limit
    stream_.expires_after(linger_timeout);
    linger();
  }

  // Reads and drops what the client still sends, until it closes, linger_timeout passes or the
  // server needs the room (close()); then the socket closes with *this.
  void linger() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(max_buffered_bytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec) self->linger();
                            });
  }

  http_server& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{max_buffered_bytes};
  std::optional<http::request_parser<http::string_body>> parser_;  // one per request
  response response_;
  std::uint64_t since_ = 0;
  bool closing_ = false;
};

http_server::http_server(std::string address, std::uint16_t port,
                         std::shared_ptr<prometheus::Registry> registry,
                         std::function<bool()> ready)
    : address_(std::move(address)),
      requested_port_(port),
      registry_(std::move(registry)),
      ready_(std::move(ready)) {
  if (registry_ && ready_) {
    ready_gauge_ = &prometheus::BuildGauge()
                        .Name("wirefeed_ready")
                        .Help("1 when /readyz answers 200 (ready), else 0; set at each scrape")
                        .Register(*registry_)
                        .Add({});
  }
}

http_server::~http_server() { stop(); }

std::optional<std::string> http_server::start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(address_, ec);
  if (ec) return "metrics: invalid bind address '" + address_ + "': " + ec.message();

  const tcp::endpoint endpoint(address, requested_port_);
  const auto fail = [&](std::string_view what) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return "metrics: cannot " + std::string(what) + " " + describe(endpoint) + ": " + ec.message();
  };
  if (acceptor_.open(endpoint.protocol(), ec); ec) return fail("open a socket for");
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) return fail("bind");
  if (acceptor_.bind(endpoint, ec); ec) return fail("bind");
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) return fail("listen on");
  bound_port_ = acceptor_.local_endpoint(ec).port();

  accept();
  thread_ = std::thread([this] { io_.run(); });
  return std::nullopt;
}

void http_server::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    for (session* s : sessions_) s->close();
  });
  thread_.join();  // io_.run() returns once the cancelled operations have completed
}

void http_server::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open()) return;  // stop()
    if (ec) {  // e.g. out of file descriptors: retry later rather than spin
      accept_retry_.expires_after(accept_retry_delay);
      accept_retry_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) accept();
      });
      return;
    }
    // At the limit, the connection idle or stalled the longest (waiting for a request, or for its
    // client to read an answer) makes room: connections held open, idle or never reading, must
    // not lock the probes out (a probe's request and answer take a millisecond).
    if (sessions_.size() >= max_connections) {
      session* oldest = nullptr;
      for (session* s : sessions_) {
        if (!s->closing() && (oldest == nullptr || s->since() < oldest->since())) oldest = s;
      }
      if (oldest != nullptr) oldest->close();  // it leaves sessions_ when its handler has run
    }
    std::make_shared<session>(*this, std::move(socket))->read();
    accept();
  });
}

}  // namespace wirefeed

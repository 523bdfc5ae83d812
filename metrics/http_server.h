#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace prometheus {
class Gauge;
class Registry;
}

namespace wirefeed {

// The operator's HTTP endpoint: a small HTTP/1.1 server (Boost.Beast) answering
//   GET /metrics  200, Prometheus text format 0.0.4 of everything in the registry
//   GET /healthz  200 "ok" while the process serves at all
//   GET /readyz   200 "ready" when the readiness callback returns true, else 503 "not ready"
//                 (also exported as the gauge wirefeed_ready, 1 or 0, set at each scrape: an
//                 alert on a daemon that is up and not ready needs no probe of its own)
// HEAD on these paths the GET answer without its body; any other path 404, any other method on
// these paths 405. Keep-alive is honoured. Limits: a request whose headers exceed 8 KiB gets 413
// and the connection is closed; a request body is never read (the request is answered and the
// connection closed); a connection idle (or stalled mid-request or mid-answer) for 30 s is
// closed; at most 64 connections are open at once: a new one closes the one idle or stalled the
// longest.
//
// Threads: runs on its own io_context and one thread, started by start() and joined by stop().
// The readiness callback and registry->Collect() run on that thread, so the callback must be
// thread-safe and must not block. start(), stop() and the destructor must be called from one
// owning thread, never from the server's own thread.
class http_server {
 public:
  // `address`: an IP literal to bind ("127.0.0.1", "0.0.0.0", "::"). `port`: 0 picks a free one.
  // `registry`: what /metrics serves; must not be null if the server is started. `ready`: answers
  // /readyz (see the thread contract above).
  http_server(std::string address, std::uint16_t port,
              std::shared_ptr<prometheus::Registry> registry, std::function<bool()> ready);
  // Calls stop().
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds, listens and starts the serving thread. Returns std::nullopt on success, else a message
  // for the operator, e.g. "metrics: cannot bind 127.0.0.1:9464: Address already in use"; the
  // server then holds no socket and no thread. Call at most once.
  [[nodiscard]] std::optional<std::string> start();

  // Stops accepting, closes every open connection (a response being written is cut off) and joins
  // the thread. Returns without waiting for clients. Idempotent; a no-op if start() failed or was
  // never called.
  void stop();

  // The bound port; valid once start() has succeeded (useful when constructed with port 0).
  std::uint16_t port() const { return bound_port_; }

 private:
  class session;  // One connection; lives on the server thread. Defined in http_server.cc.

  void accept();

  const std::string address_;
  const std::uint16_t requested_port_;
  const std::shared_ptr<prometheus::Registry> registry_;
  const std::function<bool()> ready_;
  prometheus::Gauge* ready_gauge_ = nullptr;  // wirefeed_ready, set from ready_ at each scrape
  std::uint16_t bound_port_ = 0;

  // Open sessions, so stop() can close them. Touched only on the server thread. Declared before
  // io_ so that it outlives the handlers (and the sessions they own) destroyed with io_.
  std::unordered_set<session*> sessions_;
  std::uint64_t next_operation_ = 0;  // the order in which sessions' operations began
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  boost::asio::steady_timer accept_retry_{io_};  // backs off after a failed accept (e.g. EMFILE)
  std::thread thread_;
};

}  // namespace wirefeed

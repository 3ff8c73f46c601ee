#include "support/loopback_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "text/ascii.hpp"

namespace test_support {
namespace {

bool readRequest(int connection, HttpRequest& request) {
  std::string data;
  char chunk[4096];
  std::size_t headerEnd = std::string::npos;
  while (headerEnd == std::string::npos) {
    const ssize_t received = recv(connection, chunk, sizeof chunk, 0);
    if (received <= 0) return false;
    data.append(chunk, static_cast<std::size_t>(received));
    headerEnd = data.find("\r\n\r\n");
  }
  const std::string head = data.substr(0, headerEnd);
  std::size_t lineEnd = head.find("\r\n");
  const std::string requestLine = head.substr(0, lineEnd);
  const std::size_t firstSpace = requestLine.find(' ');
  const std::size_t secondSpace = requestLine.find(' ', firstSpace + 1);
  request.method = requestLine.substr(0, firstSpace);
  request.path = requestLine.substr(firstSpace + 1, secondSpace - firstSpace - 1);
  while (lineEnd != std::string::npos && lineEnd < head.size()) {
    const std::size_t next = head.find("\r\n", lineEnd + 2);
    const std::string line = head.substr(
        lineEnd + 2, next == std::string::npos ? std::string::npos : next - lineEnd - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      request.headers[text::lowercase(text::trimmed(line.substr(0, colon)))] =
          std::string(text::trimmed(line.substr(colon + 1)));
    }
    lineEnd = next;
  }
  request.body = data.substr(headerEnd + 4);
  const auto length = request.headers.find("content-length");
  const std::size_t expected =
      length == request.headers.end() ? 0 : std::strtoul(length->second.c_str(), nullptr, 10);
  while (request.body.size() < expected) {
    const ssize_t received = recv(connection, chunk, sizeof chunk, 0);
    if (received <= 0) return false;
    request.body.append(chunk, static_cast<std::size_t>(received));
  }
  return true;
}

void sendAll(int connection, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    // MSG_NOSIGNAL: a client that aborts mid-body (as the byte limit does) must not SIGPIPE us.
    const ssize_t n = send(connection, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

LoopbackHttpServer::LoopbackHttpServer(Handler handler) : handler_(std::move(handler)) {
  listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener_, 16) != 0 ||
      getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(listener_);
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  stopping_ = true;
  thread_.join();
  close(listener_);
}

void LoopbackHttpServer::serve() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (poll(&waiting, 1, 50) <= 0) continue;  // wake up regularly to notice stopping_
    const int connection = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    timeval receiveTimeout{5, 0};
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &receiveTimeout, sizeof receiveTimeout);
    answer(connection);
    close(connection);
  }
}

void LoopbackHttpServer::answer(int connection) {
  HttpRequest request;
  if (!readRequest(connection, request)) return;
  const HttpResponse response = handler_(request);
  std::string head = "HTTP/1.1 " + std::to_string(response.status) + " Test\r\n";
  for (const auto& [name, value] : response.headers)
    head.append(name).append(": ").append(value).append("\r\n");
  if (response.sendContentLength) {
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  head += "Connection: close\r\n\r\n";
  sendAll(connection, head + response.body);
}

}  // namespace test_support

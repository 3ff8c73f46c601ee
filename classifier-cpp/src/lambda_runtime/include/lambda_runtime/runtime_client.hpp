#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lambda_runtime {

// One event handed out by the Lambda Runtime API.
struct Invocation {
  std::string requestId;
  std::chrono::system_clock::time_point deadline;  // from Lambda-Runtime-Deadline-Ms (epoch ms)
  std::string payload;
};

// The Runtime API did not answer as documented (transport error or unexpected status).
class RuntimeApiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Client for the Lambda Runtime API (2018-06-01) over libcurl; `endpoint` is the host:port from
// AWS_LAMBDA_RUNTIME_API. Not thread-safe: a runtime polls from one thread.
class RuntimeClient {
 public:
  explicit RuntimeClient(std::string endpoint);  // throws RuntimeApiError if libcurl fails
  ~RuntimeClient();
  RuntimeClient(const RuntimeClient&) = delete;
  RuntimeClient& operator=(const RuntimeClient&) = delete;

  // Long-polls (no timeout: Lambda freezes the process here between events).
  Invocation nextInvocation();
  void postResponse(const std::string& requestId, const std::string& responseJson);
  void postError(const std::string& requestId, std::string_view errorType,
                 std::string_view errorMessage);
  // Reports a failed start-up; the caller should then exit non-zero.
  void postInitError(std::string_view errorType, std::string_view errorMessage);

 private:
  struct Response;
  Response request(const char* method, const std::string& path, const std::string* body,
                   std::string_view errorType);
  void postExpectingAccepted(const std::string& path, const std::string& body,
                             std::string_view errorType);

  std::string baseUrl_;
  struct CurlHandle;
  std::unique_ptr<CurlHandle> curl_;
};

// {"errorMessage": ..., "errorType": ...}, the body Lambda expects for error posts.
std::string errorBodyJson(std::string_view errorType, std::string_view errorMessage);

}  // namespace lambda_runtime

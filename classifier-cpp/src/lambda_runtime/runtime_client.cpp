#include "lambda_runtime/runtime_client.hpp"

#include <curl/curl.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "text/ascii.hpp"

namespace lambda_runtime {
namespace {

constexpr std::string_view kApiVersion = "/2018-06-01";
constexpr std::string_view kRequestIdHeader = "lambda-runtime-aws-request-id";
constexpr std::string_view kDeadlineHeader = "lambda-runtime-deadline-ms";

std::size_t appendBody(char* data, std::size_t size, std::size_t count, void* userData) {
  static_cast<std::string*>(userData)->append(data, size * count);
  return size * count;
}

struct HeaderSink {
  std::string requestId;
  std::string deadlineMs;
};

std::size_t readHeader(char* data, std::size_t size, std::size_t count, void* userData) {
  auto* sink = static_cast<HeaderSink*>(userData);
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    const std::string name = text::lowercase(text::trimmed(line.substr(0, colon)));
    const std::string_view value = text::trimmed(line.substr(colon + 1));
    if (name == kRequestIdHeader) sink->requestId = std::string(value);
    if (name == kDeadlineHeader) sink->deadlineMs = std::string(value);
  }
  return size * count;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& header) {
    curl_slist* const extended = curl_slist_append(list, header.c_str());
    if (extended == nullptr) throw RuntimeApiError("out of memory building request headers");
    list = extended;
  }
};

}  // namespace

struct RuntimeClient::CurlHandle {
  CURL* easy = nullptr;
  ~CurlHandle() { curl_easy_cleanup(easy); }
};

struct RuntimeClient::Response {
  long status = 0;
  std::string body;
  HeaderSink headers;
};

RuntimeClient::RuntimeClient(std::string endpoint)
    : baseUrl_("http://" + std::move(endpoint) + std::string(kApiVersion)),
      curl_(std::make_unique<CurlHandle>()) {
  curl_->easy = curl_easy_init();
  if (curl_->easy == nullptr) throw RuntimeApiError("curl_easy_init failed");
}

RuntimeClient::~RuntimeClient() = default;

RuntimeClient::Response RuntimeClient::request(const char* method, const std::string& path,
                                               const std::string* body,
                                               std::string_view errorType) {
  CURL* const easy = curl_->easy;
  curl_easy_reset(easy);  // keeps the connection to the Runtime API open between calls
  Response response;
  HeaderList headers;
  const std::string url = baseUrl_ + path;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 0L);  // the next-invocation poll may last for hours
  curl_easy_setopt(easy, CURLOPT_PROXY, "");       // never send Runtime API calls via a proxy
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, appendBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, readHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &response.headers);
  if (body != nullptr) {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    headers.add("Content-Type: application/json");
    headers.add("Expect:");  // no 100-continue round trip
    if (!errorType.empty()) {
      headers.add("Lambda-Runtime-Function-Error-Type: " + std::string(errorType));
    }
  } else {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.list);

  const CURLcode code = curl_easy_perform(easy);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);  // `headers` is freed on return
  if (code != CURLE_OK) {
    throw RuntimeApiError(std::string(method) + " " + path +
                          " failed: " + curl_easy_strerror(code));
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

Invocation RuntimeClient::nextInvocation() {
  Response response = request("GET", "/runtime/invocation/next", nullptr, {});
  if (response.status != 200) {
    throw RuntimeApiError("GET /runtime/invocation/next answered HTTP " +
                          std::to_string(response.status));
  }
  if (response.headers.requestId.empty()) {
    throw RuntimeApiError("the next invocation carries no Lambda-Runtime-Aws-Request-Id");
  }
  const std::string& deadlineText = response.headers.deadlineMs;
  long long deadlineMs = 0;
  const auto parsed =
      std::from_chars(deadlineText.data(), deadlineText.data() + deadlineText.size(), deadlineMs);
  if (deadlineText.empty() || parsed.ec != std::errc() ||
      parsed.ptr != deadlineText.data() + deadlineText.size()) {
    throw RuntimeApiError("the next invocation has an invalid Lambda-Runtime-Deadline-Ms: \"" +
                          deadlineText + "\"");
  }
  Invocation invocation;
  invocation.requestId = std::move(response.headers.requestId);
  invocation.deadline =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(deadlineMs));
  invocation.payload = std::move(response.body);
  return invocation;
}

void RuntimeClient::postExpectingAccepted(const std::string& path, const std::string& body,
                                          std::string_view errorType) {
  const Response response = request("POST", path, &body, errorType);
  if (response.status != 202) {
    throw RuntimeApiError("POST " + path + " answered HTTP " + std::to_string(response.status) +
                          ": " + response.body);
  }
}

void RuntimeClient::postResponse(const std::string& requestId, const std::string& responseJson) {
  postExpectingAccepted("/runtime/invocation/" + requestId + "/response", responseJson, {});
}

void RuntimeClient::postError(const std::string& requestId, std::string_view errorType,
                              std::string_view errorMessage) {
  postExpectingAccepted("/runtime/invocation/" + requestId + "/error",
                        errorBodyJson(errorType, errorMessage), errorType);
}

void RuntimeClient::postInitError(std::string_view errorType, std::string_view errorMessage) {
  postExpectingAccepted("/runtime/init/error", errorBodyJson(errorType, errorMessage), errorType);
}

std::string errorBodyJson(std::string_view errorType, std::string_view errorMessage) {
  const nlohmann::json body = {{"errorMessage", errorMessage}, {"errorType", errorType}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lambda_runtime

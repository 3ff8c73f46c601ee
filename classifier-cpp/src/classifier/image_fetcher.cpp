#include "classifier/image_fetcher.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <stdexcept>

namespace classifier {
namespace {

bool isSuccessStatus(long status) { return status >= 200 && status <= 299; }

struct DownloadBuffer {
  CURL* easy = nullptr;
  std::string* body = nullptr;
  std::size_t maxBytes = 0;
  bool overLimit = false;
  bool badStatus = false;
};

// Refusing a chunk (returning less than its size) makes libcurl abort with CURLE_WRITE_ERROR:
// an oversized or endless body never grows past the limit, and error pages are not buffered.
std::size_t appendChunk(char* data, std::size_t size, std::size_t count, void* userData) {
  auto* buffer = static_cast<DownloadBuffer*>(userData);
  long status = 0;
  curl_easy_getinfo(buffer->easy, CURLINFO_RESPONSE_CODE, &status);
  if (!isSuccessStatus(status)) {
    buffer->badStatus = true;
    return 0;
  }
  const std::size_t length = size * count;
  if (length > buffer->maxBytes - buffer->body->size()) {
    buffer->overLimit = true;
    return 0;
  }
  buffer->body->append(data, length);
  return length;
}

}  // namespace

struct ImageFetcher::CurlHandle {
  CURL* easy = nullptr;
  ~CurlHandle() { curl_easy_cleanup(easy); }
};

ImageFetcher::ImageFetcher() : curl_(std::make_unique<CurlHandle>()) {
  curl_->easy = curl_easy_init();
  if (curl_->easy == nullptr) throw std::runtime_error("curl_easy_init failed");
}

ImageFetcher::~ImageFetcher() = default;
ImageFetcher::ImageFetcher(ImageFetcher&&) noexcept = default;
ImageFetcher& ImageFetcher::operator=(ImageFetcher&&) noexcept = default;

FetchResult ImageFetcher::fetch(const std::string& url, std::size_t maxBytes,
                                std::chrono::milliseconds timeout) {
  CURL* const easy = curl_->easy;
  curl_easy_reset(easy);  // keeps the connection cache, drops the previous request's options

  FetchResult result;
  DownloadBuffer buffer{easy, &result.body, maxBytes, false, false};
  char errorText[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
  // 0 would mean "no timeout" to libcurl.
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, std::max(1L, static_cast<long>(timeout.count())));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM-based DNS timeouts
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(maxBytes));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, appendChunk);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &buffer);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errorText);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "udagram-classifier/1.0");
  // CURLOPT_ACCEPT_ENCODING stays unset: no transparent decompression, so the byte limit is
  // the real size and a gzip bomb cannot expand in memory.

  const CURLcode code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.httpStatus);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);  // errorText goes out of scope

  if (code == CURLE_OPERATION_TIMEDOUT) {
    result.status = FetchStatus::kTimedOut;
  } else if (buffer.badStatus || (code == CURLE_OK && !isSuccessStatus(result.httpStatus))) {
    result.status = FetchStatus::kHttpError;
  } else if (buffer.overLimit || code == CURLE_FILESIZE_EXCEEDED) {
    result.status = FetchStatus::kTooLarge;
  } else if (code != CURLE_OK) {
    result.status = FetchStatus::kTransportError;
    result.detail = errorText[0] != '\0' ? errorText : curl_easy_strerror(code);
  } else {
    result.status = FetchStatus::kOk;
  }
  if (result.status != FetchStatus::kOk) result.body.clear();
  return result;
}

}  // namespace classifier

#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace classifier {

enum class FetchStatus {
  kOk,
  kTooLarge,        // over the byte limit (declared Content-Length or counted while streaming)
  kTimedOut,        // the whole transfer took longer than the timeout
  kHttpError,       // a non-2xx status after redirects
  kTransportError,  // DNS, connect, TLS, reset...
};

struct FetchResult {
  FetchStatus status = FetchStatus::kTransportError;
  std::string body;     // the image bytes when kOk
  long httpStatus = 0;  // the last HTTP status, 0 when none was received
  std::string detail;   // libcurl's reason for transport errors (no URL query in it)
};

// HTTP(S) GET of an image with a byte limit enforced while streaming and a total timeout. Keeps
// one libcurl handle so that connections (and TLS sessions) are reused across invocations.
// Not thread-safe: one fetcher per thread.
class ImageFetcher {
 public:
  ImageFetcher();  // throws std::runtime_error when libcurl cannot create a handle
  ~ImageFetcher();
  ImageFetcher(const ImageFetcher&) = delete;
  ImageFetcher& operator=(const ImageFetcher&) = delete;
  ImageFetcher(ImageFetcher&&) noexcept;
  ImageFetcher& operator=(ImageFetcher&&) noexcept;

  FetchResult fetch(const std::string& url, std::size_t maxBytes,
                    std::chrono::milliseconds timeout);

 private:
  struct CurlHandle;
  std::unique_ptr<CurlHandle> curl_;
};

}  // namespace classifier

#include "lambda_runtime/runtime_client.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "support/loopback_http_server.hpp"

namespace lambda_runtime {
namespace {

using test_support::HttpRequest;
using test_support::HttpResponse;
using test_support::LoopbackHttpServer;

// Records every request and answers with a canned response.
class RecordingServer {
 public:
  explicit RecordingServer(HttpResponse reply)
      : reply_(std::move(reply)), server_([this](const HttpRequest& request) {
          const std::lock_guard<std::mutex> lock(mutex_);
          requests_.push_back(request);
          return reply_;
        }) {}

  std::string hostPort() const { return server_.hostPort(); }
  std::vector<HttpRequest> requests() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  HttpResponse reply_;
  std::mutex mutex_;
  std::vector<HttpRequest> requests_;
  LoopbackHttpServer server_;
};

TEST(RuntimeClient, ReadsTheNextInvocationWithItsIdAndDeadline) {
  RecordingServer server(
      {200,
       R"({"imageBase64": "Zm9v"})",
       {{"Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"},
        {"lambda-runtime-deadline-ms", "1542409706888"},
        {"Lambda-Runtime-Trace-Id", "Root=1-5bef4de7"}}});
  RuntimeClient client(server.hostPort());
  const Invocation invocation = client.nextInvocation();
  EXPECT_EQ(invocation.requestId, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
  EXPECT_EQ(invocation.deadline.time_since_epoch(), std::chrono::milliseconds(1542409706888));
  EXPECT_EQ(invocation.payload, R"({"imageBase64": "Zm9v"})");
  const std::vector<HttpRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/2018-06-01/runtime/invocation/next");
}

TEST(RuntimeClient, RefusesAnInvocationWithoutIdOrDeadline) {
  RecordingServer noId({200, "{}", {{"Lambda-Runtime-Deadline-Ms", "1"}}});
  EXPECT_THROW(RuntimeClient(noId.hostPort()).nextInvocation(), RuntimeApiError);
  RecordingServer badDeadline(
      {200,
       "{}",
       {{"Lambda-Runtime-Aws-Request-Id", "id"}, {"Lambda-Runtime-Deadline-Ms", "soon"}}});
  EXPECT_THROW(RuntimeClient(badDeadline.hostPort()).nextInvocation(), RuntimeApiError);
}

TEST(RuntimeClient, ThrowsWhenTheApiAnswersAnError) {
  RecordingServer server({500, "", {}});
  EXPECT_THROW(RuntimeClient(server.hostPort()).nextInvocation(), RuntimeApiError);
  EXPECT_THROW(RuntimeClient(server.hostPort()).postResponse("id", "{}"), RuntimeApiError);
}

TEST(RuntimeClient, ThrowsWhenTheApiIsUnreachable) {
  EXPECT_THROW(RuntimeClient("127.0.0.1:1").nextInvocation(), RuntimeApiError);
}

TEST(RuntimeClient, PostsTheResponseBodyAsIs) {
  RecordingServer server({202, R"({"status":"OK"})", {}});
  RuntimeClient(server.hostPort()).postResponse("req-1", R"({"label":"tripod"})");
  const std::vector<HttpRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/2018-06-01/runtime/invocation/req-1/response");
  EXPECT_EQ(request.body, R"({"label":"tripod"})");
  EXPECT_EQ(request.headers.count("lambda-runtime-function-error-type"), 0u);
}

TEST(RuntimeClient, PostsTypedErrorsWithTheErrorTypeHeader) {
  RecordingServer server({202, "", {}});
  RuntimeClient(server.hostPort()).postError("req-2", "UndecodableImage", "not an \"image\"");
  const std::vector<HttpRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& request = requests[0];
  EXPECT_EQ(request.path, "/2018-06-01/runtime/invocation/req-2/error");
  EXPECT_EQ(request.headers.at("lambda-runtime-function-error-type"), "UndecodableImage");
  EXPECT_EQ(
      nlohmann::json::parse(request.body),
      (nlohmann::json{{"errorType", "UndecodableImage"}, {"errorMessage", "not an \"image\""}}));
}

TEST(RuntimeClient, PostsInitErrors) {
  RecordingServer server({202, "", {}});
  RuntimeClient(server.hostPort()).postInitError("ModelLoadFailed", "weights missing");
  const std::vector<HttpRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& request = requests[0];
  EXPECT_EQ(request.path, "/2018-06-01/runtime/init/error");
  EXPECT_EQ(request.headers.at("lambda-runtime-function-error-type"), "ModelLoadFailed");
  EXPECT_EQ(nlohmann::json::parse(request.body).at("errorMessage"), "weights missing");
}

TEST(RuntimeClient, ReusesOneClientForManyCalls) {
  RecordingServer server({202, "", {}});
  RuntimeClient client(server.hostPort());
  for (int i = 0; i < 3; ++i) client.postResponse("req-" + std::to_string(i), "{}");
  EXPECT_EQ(server.requests().size(), 3u);
}

}  // namespace
}  // namespace lambda_runtime

// Runs the real bootstrap executable against a fake Lambda Runtime API on loopback.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "classifier/base64.hpp"
#include "support/loopback_http_server.hpp"
#include "support/test_data.hpp"

namespace test_support {
namespace {

constexpr auto kProcessTimeout = std::chrono::seconds(60);

struct QueuedInvocation {
  std::string requestId;
  std::string payload;
};

// Hands out queued invocations; once they are used up it answers 500, which makes the runtime
// give up after three tries and exit, so every test ends deterministically.
class FakeRuntimeApi {
 public:
  explicit FakeRuntimeApi(std::deque<QueuedInvocation> invocations)
      : invocations_(std::move(invocations)),
        server_([this](const HttpRequest& request) { return answer(request); }) {}

  std::string hostPort() const { return server_.hostPort(); }

  std::vector<HttpRequest> posts() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return posts_;
  }

  int nextCalls() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return nextCalls_;
  }

 private:
  HttpResponse answer(const HttpRequest& request) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (request.method == "GET" && request.path == "/2018-06-01/runtime/invocation/next") {
      ++nextCalls_;
      if (invocations_.empty()) return {500, R"({"errorType":"TestOver"})", {}, true};
      const QueuedInvocation invocation = invocations_.front();
      invocations_.pop_front();
      const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
          (std::chrono::system_clock::now() + std::chrono::seconds(30)).time_since_epoch());
      return {200,
              invocation.payload,
              {{"Lambda-Runtime-Aws-Request-Id", invocation.requestId},
               {"Lambda-Runtime-Deadline-Ms", std::to_string(deadline.count())},
               {"Content-Type", "application/json"}},
              true};
    }
    posts_.push_back(request);
    return {202, R"({"status":"OK"})", {}, true};
  }

  std::mutex mutex_;
  std::deque<QueuedInvocation> invocations_;
  std::vector<HttpRequest> posts_;
  int nextCalls_ = 0;
  LoopbackHttpServer server_;
};

using Environment = std::map<std::string, std::string>;

Environment squeezeNetEnvironment(const std::string& runtimeApi) {
  const std::string model = modelDir();
  return {{"AWS_LAMBDA_RUNTIME_API", runtimeApi},
          {"MODEL_NAME", "squeezenet_v1.0_dc"},
          {"MODEL_WEIGHTS", model + "/squeezenet_v1.0_dc.caffemodel"},
          {"MODEL_CONFIG", model + "/deploy.prototxt"},
          {"MODEL_LABELS", model + "/classes.txt"},
          {"MODEL_INPUT_WIDTH", "227"},
          {"MODEL_INPUT_HEIGHT", "227"}};
}

// Spawns bootstrap with `environment` (plus sanitizer options, if any) and waits for it to exit;
// returns the wait status.
int runBootstrap(Environment environment) {
  for (const char* passThrough : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(passThrough)) environment[passThrough] = value;
  }
  std::vector<std::string> entries;
  for (const auto& [name, value] : environment) entries.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& entry : entries) envp.push_back(entry.data());
  envp.push_back(nullptr);
  char* argv[] = {const_cast<char*>(BOOTSTRAP_PATH), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, BOOTSTRAP_PATH, nullptr, nullptr, argv, envp.data());
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << BOOTSTRAP_PATH << ": error " << spawned;
    return -1;
  }
  const auto giveUpAt = std::chrono::steady_clock::now() + kProcessTimeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > giveUpAt) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "bootstrap did not exit within " << kProcessTimeout.count() << " s";
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status;
}

std::string base64Payload(const std::string& fixture) {
  return nlohmann::json{{"imageBase64", classifier::encodeBase64(readFile(imagePath(fixture)))},
                        {"topK", 3}}
      .dump();
}

TEST(BootstrapIntegration, AnswersAGoodImageAndReportsABadOneThenKeepsPolling) {
  const std::string textAsImage =
      nlohmann::json{
          {"imageBase64", classifier::encodeBase64("this is a text file, not a photo\n")}}
          .dump();
  FakeRuntimeApi api({{"req-good", base64Payload("squirrel.jpg")}, {"req-text", textAsImage}});

  const int status = runBootstrap(squeezeNetEnvironment(api.hostPort()));

  // It exits only because the fake API stopped answering: normally, with status 1.
  ASSERT_TRUE(WIFEXITED(status)) << "bootstrap died from a signal, status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ(api.nextCalls(), 2 + 3);  // two invocations, then three failed polls

  const std::vector<HttpRequest> posts = api.posts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].path, "/2018-06-01/runtime/invocation/req-good/response");
  const nlohmann::json response = nlohmann::json::parse(posts[0].body);
  EXPECT_EQ(response.at("label"), "fox squirrel, eastern fox squirrel, Sciurus niger");
  EXPECT_GT(response.at("confidence").get<double>(), 0.9);
  EXPECT_EQ(response.at("labels").size(), 3u);
  EXPECT_EQ(response.at("model"), "squeezenet_v1.0_dc");

  EXPECT_EQ(posts[1].path, "/2018-06-01/runtime/invocation/req-text/error");
  EXPECT_EQ(posts[1].headers.at("lambda-runtime-function-error-type"), "UndecodableImage");
  const nlohmann::json error = nlohmann::json::parse(posts[1].body);
  EXPECT_EQ(error.at("errorType"), "UndecodableImage");
  EXPECT_EQ(error.at("errorMessage"), "unsupported image format (JPEG, PNG and WebP are accepted)");
}

TEST(BootstrapIntegration, MissingModelFilesArePostedAsAnInitErrorAndExitNonZero) {
  FakeRuntimeApi api({{"never-served", base64Payload("squirrel.jpg")}});
  Environment environment = squeezeNetEnvironment(api.hostPort());
  environment["MODEL_WEIGHTS"] = "/nonexistent/bvlc_googlenet.caffemodel";

  const int status = runBootstrap(environment);

  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_EQ(api.nextCalls(), 0);
  const std::vector<HttpRequest> posts = api.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].path, "/2018-06-01/runtime/init/error");
  EXPECT_EQ(posts[0].headers.at("lambda-runtime-function-error-type"), "ModelLoadFailed");
  EXPECT_EQ(nlohmann::json::parse(posts[0].body).at("errorMessage"),
            "model weights file not found: /nonexistent/bvlc_googlenet.caffemodel");
}

TEST(BootstrapIntegration, InvalidConfigurationIsPostedAsAnInitError) {
  FakeRuntimeApi api({});
  Environment environment = squeezeNetEnvironment(api.hostPort());
  environment["MAX_IMAGE_PIXELS"] = "lots";

  const int status = runBootstrap(environment);

  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_NE(WEXITSTATUS(status), 0);
  const std::vector<HttpRequest> posts = api.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].path, "/2018-06-01/runtime/init/error");
  EXPECT_EQ(posts[0].headers.at("lambda-runtime-function-error-type"), "InvalidConfiguration");
  EXPECT_EQ(nlohmann::json::parse(posts[0].body).at("errorMessage"),
            "invalid configuration: MAX_IMAGE_PIXELS must be an integer from 1 to 1073741824, "
            "got \"lots\"");
}

}  // namespace
}  // namespace test_support

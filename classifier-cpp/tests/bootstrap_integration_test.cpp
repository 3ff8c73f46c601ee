// Runs the real bootstrap executable against a fake Lambda Runtime API on loopback.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
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
          {"MODEL_INPUT_HEIGHT", "227"},
          {"AWS_LAMBDA_FUNCTION_NAME", "udagram-classifier-test"}};
}

// Spawns bootstrap with `environment` (plus sanitizer options, if any), its stdout and stderr to
// `outputFile`, and waits for it to exit; returns the wait status.
int waitForBootstrap(Environment environment, const std::string& outputFile) {
  for (const char* passThrough : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(passThrough)) environment[passThrough] = value;
  }
  std::vector<std::string> entries;
  entries.reserve(environment.size());
  for (const auto& [name, value] : environment)
    entries.push_back(std::string(name).append("=").append(value));
  std::vector<char*> envp;
  envp.reserve(entries.size() + 1);
  for (std::string& entry : entries) envp.push_back(entry.data());
  envp.push_back(nullptr);
  char* argv[] = {const_cast<char*>(BOOTSTRAP_PATH), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputFile.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, BOOTSTRAP_PATH, &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
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

// One file per test: ctest runs the tests as separate processes, in parallel.
std::string outputPath() {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "bootstrap-" + test->name() + ".log";
}

struct BootstrapRun {
  int status = -1;                  // as from waitpid
  std::vector<std::string> output;  // stdout and stderr, line by line
};

std::vector<std::string> readLines(const std::string& path) {
  std::istringstream text(readFile(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  return lines;
}

// Spawns bootstrap with `environment` (plus sanitizer options, if any) and waits for it to exit;
// returns the wait status and what it wrote.
BootstrapRun runBootstrap(Environment environment) {
  BootstrapRun run;
  run.status = waitForBootstrap(std::move(environment), outputPath());
  run.output = readLines(outputPath());
  return run;
}

// Every line parsed, failing the test on any line that is not one JSON object.
std::vector<nlohmann::json> jsonLines(const BootstrapRun& run,
                                      const std::string& service = "classifier") {
  std::vector<nlohmann::json> lines;
  for (const std::string& line : run.output) {
    const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    EXPECT_TRUE(parsed.is_object()) << "not a JSON object: " << line;
    if (!parsed.is_object()) continue;
    for (const char* key : {"level", "message", "timestamp", "service"}) {
      EXPECT_TRUE(parsed.contains(key)) << key << " missing in " << line;
    }
    EXPECT_EQ(parsed.value("service", ""), service) << line;
    lines.push_back(parsed);
  }
  return lines;
}

const nlohmann::json* findLine(const std::vector<nlohmann::json>& lines, const std::string& message,
                               const std::string& requestId = "") {
  for (const nlohmann::json& line : lines) {
    if (line.value("message", "") == message &&
        (requestId.empty() || line.value("function_request_id", "") == requestId)) {
      return &line;
    }
  }
  ADD_FAILURE() << "no line \"" << message << "\""
                << (requestId.empty() ? "" : " for " + requestId);
  return nullptr;
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

  const int status = runBootstrap(squeezeNetEnvironment(api.hostPort())).status;

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

TEST(BootstrapIntegration, LogsOneJsonObjectPerLineWithTheInvocationContext) {
  nlohmann::json good = nlohmann::json::parse(base64Payload("squirrel.jpg"));
  good["imageId"] = "9b2f-img";
  good["correlationId"] = "corr-42";
  const std::string bad = R"({"imageBase64": "dGV4dA==", "correlationId": "corr-43"})";
  FakeRuntimeApi api({{"req-good", good.dump()}, {"req-bad", bad}});

  const BootstrapRun run = runBootstrap(squeezeNetEnvironment(api.hostPort()));

  ASSERT_TRUE(WIFEXITED(run.status)) << "status " << run.status;
  const std::vector<nlohmann::json> lines = jsonLines(run);
  ASSERT_EQ(lines.size(), run.output.size());
  const std::regex isoMillisUtc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (const nlohmann::json& line : lines) {
    EXPECT_TRUE(std::regex_match(line.at("timestamp").get<std::string>(), isoMillisUtc)) << line;
    EXPECT_EQ(line.at("function_name"), "udagram-classifier-test") << line;
  }

  const nlohmann::json* loaded = findLine(lines, "model loaded");
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->at("level"), "INFO");
  EXPECT_EQ(loaded->at("model"), "squeezenet_v1.0_dc");
  EXPECT_GT(loaded->at("warmUpMs").get<double>(), 0.0);
  EXPECT_FALSE(loaded->contains("function_request_id"));

  const nlohmann::json* classified = findLine(lines, "image classified", "req-good");
  ASSERT_NE(classified, nullptr);
  EXPECT_EQ(classified->at("level"), "INFO");
  EXPECT_EQ(classified->at("cold_start"), true);
  EXPECT_EQ(classified->at("imageId"), "9b2f-img");
  EXPECT_EQ(classified->at("correlationId"), "corr-42");
  EXPECT_EQ(classified->at("label"), "fox squirrel, eastern fox squirrel, Sciurus niger");
  for (const char* stage : {"downloadMs", "decodeMs", "inferenceMs"}) {
    EXPECT_TRUE(classified->at("timings").at(stage).is_number()) << stage;
  }

  const nlohmann::json* failed = findLine(lines, "classification failed", "req-bad");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->at("level"), "WARN");
  EXPECT_EQ(failed->at("cold_start"), false);
  EXPECT_EQ(failed->at("errorType"), "UndecodableImage");
  EXPECT_EQ(failed->at("correlationId"), "corr-43");
  EXPECT_FALSE(failed->contains("imageId"));

  const nlohmann::json* apiError = findLine(lines, "Runtime API error");
  ASSERT_NE(apiError, nullptr);
  EXPECT_EQ(apiError->at("level"), "ERROR");
  EXPECT_EQ(apiError->at("errorType"), "RuntimeApiError");
  const nlohmann::json* givingUp = findLine(lines, "giving up after repeated Runtime API failures");
  ASSERT_NE(givingUp, nullptr);
  EXPECT_EQ(&lines.back(), givingUp);
}

TEST(BootstrapIntegration, LogsAPresignedImageUrlWithoutItsQueryString) {
  LoopbackHttpServer images([](const HttpRequest&) {
    return HttpResponse{200, readFile(imagePath("squirrel.jpg")), {}, true};
  });
  const std::string presigned =
      images.url("/bucket/images/img-7?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=s3cr3t");
  FakeRuntimeApi api({{"req-url", nlohmann::json{{"imageUrl", presigned}}.dump()}});
  Environment environment = squeezeNetEnvironment(api.hostPort());
  environment["LOG_LEVEL"] = "DEBUG";

  const BootstrapRun run = runBootstrap(environment);

  EXPECT_EQ(api.posts().at(0).path, "/2018-06-01/runtime/invocation/req-url/response");
  const std::vector<nlohmann::json> lines = jsonLines(run);
  const nlohmann::json* downloaded = findLine(lines, "image downloaded", "req-url");
  ASSERT_NE(downloaded, nullptr);
  EXPECT_EQ(downloaded->at("imageSource"), images.url("/bucket/images/img-7"));
  const nlohmann::json* classified = findLine(lines, "image classified", "req-url");
  ASSERT_NE(classified, nullptr);
  EXPECT_EQ(classified->at("imageSource"), images.url("/bucket/images/img-7"));
  for (const std::string& line : run.output) {
    EXPECT_EQ(line.find("s3cr3t"), std::string::npos) << line;
    EXPECT_EQ(line.find("AKIAEXAMPLE"), std::string::npos) << line;
  }
}

TEST(BootstrapIntegration, TakesTheLogLevelAndServiceNameFromTheEnvironment) {
  const std::string textAsImage = R"({"imageBase64": "dGV4dA=="})";
  FakeRuntimeApi api({{"req-good", base64Payload("squirrel.jpg")}, {"req-bad", textAsImage}});
  Environment environment = squeezeNetEnvironment(api.hostPort());
  environment["POWERTOOLS_LOG_LEVEL"] = "warn";
  environment["POWERTOOLS_SERVICE_NAME"] = "classifier-canary";

  const BootstrapRun run = runBootstrap(environment);

  EXPECT_EQ(api.posts().size(), 2u);
  std::vector<std::string> messages;
  for (const nlohmann::json& line : jsonLines(run, "classifier-canary")) {
    EXPECT_NE(line.at("level"), "INFO") << line;
    EXPECT_NE(line.at("level"), "DEBUG") << line;
    messages.push_back(line.at("message"));
  }
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.front(), "classification failed");
}

TEST(BootstrapIntegration, MissingModelFilesArePostedAsAnInitErrorAndExitNonZero) {
  FakeRuntimeApi api({{"never-served", base64Payload("squirrel.jpg")}});
  Environment environment = squeezeNetEnvironment(api.hostPort());
  environment["MODEL_WEIGHTS"] = "/nonexistent/bvlc_googlenet.caffemodel";

  const BootstrapRun run = runBootstrap(environment);

  ASSERT_TRUE(WIFEXITED(run.status)) << "status " << run.status;
  EXPECT_NE(WEXITSTATUS(run.status), 0);
  EXPECT_EQ(api.nextCalls(), 0);
  const std::vector<HttpRequest> posts = api.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].path, "/2018-06-01/runtime/init/error");
  EXPECT_EQ(posts[0].headers.at("lambda-runtime-function-error-type"), "ModelLoadFailed");
  EXPECT_EQ(nlohmann::json::parse(posts[0].body).at("errorMessage"),
            "model weights file not found: /nonexistent/bvlc_googlenet.caffemodel");
  const std::vector<nlohmann::json> lines = jsonLines(run);
  const nlohmann::json* failed = findLine(lines, "init failed");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->at("level"), "ERROR");
  EXPECT_EQ(failed->at("errorType"), "ModelLoadFailed");
  EXPECT_EQ(failed->at("errorMessage"),
            "model weights file not found: /nonexistent/bvlc_googlenet.caffemodel");
}

TEST(BootstrapIntegration, InvalidConfigurationIsPostedAsAnInitError) {
  FakeRuntimeApi api({});
  Environment environment = squeezeNetEnvironment(api.hostPort());
  environment["MAX_IMAGE_PIXELS"] = "lots";

  const int status = runBootstrap(environment).status;

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

TEST(BootstrapIntegration, AnUnknownLogLevelIsAnInvalidConfiguration) {
  FakeRuntimeApi api({});
  Environment environment = squeezeNetEnvironment(api.hostPort());
  environment["LOG_LEVEL"] = "chatty";

  const BootstrapRun run = runBootstrap(environment);

  ASSERT_TRUE(WIFEXITED(run.status)) << "status " << run.status;
  EXPECT_NE(WEXITSTATUS(run.status), 0);
  const std::vector<HttpRequest> posts = api.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].headers.at("lambda-runtime-function-error-type"), "InvalidConfiguration");
  EXPECT_EQ(
      nlohmann::json::parse(posts[0].body).at("errorMessage"),
      "invalid configuration: LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, "
      "FATAL, SILENT, got \"chatty\"");
  const std::vector<nlohmann::json> lines = jsonLines(run);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("message"), "init failed");
}

}  // namespace
}  // namespace test_support

// classify-bench: cold start and warm per-image latency of the handler path without network
// (base64 request -> decode -> preprocess -> inference -> top-k). Prints one JSON line on stdout;
// the format is documented in README.md.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "classifier/base64.hpp"
#include "classifier/handler.hpp"
#include "classifier/image_fetcher.hpp"
#include "classifier/model.hpp"
#include "classifier/opencv_build.hpp"
#include "classifier/service_config.hpp"
#include "classifier/stopwatch.hpp"
#include "json_log/json_log.hpp"

namespace {

constexpr int kWarmUpRunsPerImage = 3;

struct Options {
  int runs = 20;
  std::vector<std::string> images;
};

// Milliseconds since the kernel started this process (so exec and dynamic linking count, as they
// do for a Lambda cold start). /proc/self/stat field 22 is in clock ticks on the boot-time clock.
double processAgeMs() {
  std::ifstream statFile("/proc/self/stat");
  const std::string stat((std::istreambuf_iterator<char>(statFile)), {});
  const std::size_t afterName = stat.rfind(')');
  if (afterName == std::string::npos) return -1.0;
  std::istringstream fields(stat.substr(afterName + 2));
  std::string field;
  for (int index = 3; index <= 22 && (fields >> field); ++index) {
  }
  unsigned long long startTicks = 0;
  if (std::from_chars(field.data(), field.data() + field.size(), startTicks).ec != std::errc()) {
    return -1.0;
  }
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const double nowMs =
      static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
  const auto ticksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
  return nowMs - static_cast<double>(startTicks) * 1e3 / ticksPerSecond;
}

bool parseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--runs" && i + 1 < argc) {
      const std::string value = argv[++i];
      const auto parsed = std::from_chars(value.data(), value.data() + value.size(), options.runs);
      if (parsed.ec != std::errc() || parsed.ptr != value.data() + value.size() ||
          options.runs < 1) {
        return false;
      }
    } else if (argument.rfind("--", 0) == 0) {
      return false;
    } else {
      options.images.push_back(argument);
    }
  }
  return !options.images.empty();
}

std::string readFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

std::string fileName(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
}

// CPU time of the whole process (all threads), ms: what a request costs when the machine is busy
// with others.
double processCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

double rounded(double ms) { return static_cast<double>(std::llround(ms * 1000.0)) / 1000.0; }

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: classify-bench [--runs N] IMAGE...\n"
                 "  model settings come from the same environment variables as bootstrap\n");
    return 2;
  }
  try {
    const classifier::ServiceConfig config =
        classifier::loadServiceConfig(classifier::processEnvironment());
    if (config.threads > 0) cv::setNumThreads(config.threads);
    classifier::Model model = classifier::Model::load(config.model);
    classifier::ImageFetcher fetcher;
    const classifier::HandlerSettings settings =
        classifier::makeHandlerSettings(config, model.loadTimings());
    const auto deadline = std::chrono::system_clock::now() + std::chrono::hours(1);
    // Failures end the bench with their message; a result line per run would only flood stderr.
    const json_log::Logger log("classify-bench", json_log::Level::kSilent, [](std::string_view) {});

    nlohmann::ordered_json images = nlohmann::ordered_json::array();
    double coldStartMs = -1.0;
    for (const std::string& path : options.images) {
      const nlohmann::json request = {{"imageBase64", classifier::encodeBase64(readFile(path))}};
      const std::string event = request.dump();
      const auto classify = [&] {
        classifier::HandlerResult result =
            classifier::handle(model, fetcher, settings, event, deadline, log);
        if (!result.ok()) {
          throw std::runtime_error(path + ": " +
                                   std::string(classifier::errorTypeName(result.errorType())) +
                                   ": " + result.errorMessage());
        }
        return result;
      };

      const classifier::HandlerResult first = classify();
      if (coldStartMs < 0.0) coldStartMs = processAgeMs();
      for (int i = 0; i < kWarmUpRunsPerImage; ++i) classify();
      std::vector<double> durations;
      std::vector<double> cpuDurations;
      std::vector<double> decodeDurations;
      std::vector<double> inferenceDurations;
      for (int i = 0; i < options.runs; ++i) {
        const classifier::Stopwatch run;
        const double cpuStart = processCpuMs();
        const classifier::HandlerResult result = classify();
        durations.push_back(run.elapsedMs());
        cpuDurations.push_back(processCpuMs() - cpuStart);
        decodeDurations.push_back(result.timings.decodeMs);
        inferenceDurations.push_back(result.timings.inferenceMs);
      }
      const nlohmann::json response = nlohmann::json::parse(first.responseJson());
      images.push_back({{"image", fileName(path)},
                        {"label", response.at("label")},
                        {"confidence", response.at("confidence")},
                        {"medianMs", rounded(median(durations))},
                        {"medianCpuMs", rounded(median(cpuDurations))},
                        {"medianDecodeMs", rounded(median(decodeDurations))},
                        {"medianInferenceMs", rounded(median(inferenceDurations))}});
    }

    const nlohmann::ordered_json report = {
        {"runtime", "opencv-dnn-cpp"},
        {"opencvVersion", CV_VERSION},
        {"opencvBuild", classifier::openCvBuildSummary()},
        {"model", config.model.name},
        {"runs", options.runs},
        {"threads", cv::getNumThreads()},
        {"modelLoadMs", rounded(model.loadTimings().loadMs)},
        {"warmUpMs", rounded(model.loadTimings().warmUpMs)},
        {"coldStartMs", rounded(coldStartMs)},
        {"images", images},
    };
    std::printf("%s\n",
                report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "classify-bench: %s\n", e.what());
    return 1;
  }
}

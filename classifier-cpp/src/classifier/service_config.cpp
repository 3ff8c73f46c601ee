#include "classifier/service_config.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <vector>

#include "classifier/request.hpp"
#include "text/ascii.hpp"

namespace classifier {
namespace {

template <typename Number>
std::optional<Number> parseNumber(std::string_view text) {
  text = text::trimmed(text);
  Number value{};
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::optional<bool> parseBool(std::string_view text) {
  const std::string lower = text::lowercase(text::trimmed(text));
  if (lower == "true" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "0" || lower == "no") return false;
  return std::nullopt;
}

// "104,117,123" (one value per channel) or "127.5" (the same for all three).
std::optional<cv::Scalar> parseMean(std::string_view text) {
  std::vector<double> values;
  while (true) {
    const std::size_t comma = text.find(',');
    const auto value = parseNumber<double>(text.substr(0, comma));
    if (!value || !std::isfinite(*value)) return std::nullopt;
    values.push_back(*value);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (values.size() == 1) return cv::Scalar::all(values[0]);
  if (values.size() == 3) return cv::Scalar(values[0], values[1], values[2]);
  return std::nullopt;
}

// Reads variables one by one, keeping defaults for unset ones and collecting every problem.
class EnvironmentReader {
 public:
  explicit EnvironmentReader(const EnvironmentLookup& lookup) : lookup_(lookup) {}

  void readString(const char* name, std::string& target) {
    if (const auto text = value(name)) target = *text;
  }

  template <typename Integer>
  void readInteger(const char* name, Integer& target, Integer min, Integer max) {
    const auto text = value(name);
    if (!text) return;
    const auto parsed = parseNumber<Integer>(*text);
    if (!parsed || *parsed < min || *parsed > max) {
      fail(name, *text, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return;
    }
    target = *parsed;
  }

  void readPositiveDouble(const char* name, double& target) {
    const auto text = value(name);
    if (!text) return;
    const auto parsed = parseNumber<double>(*text);
    if (!parsed || !std::isfinite(*parsed) || *parsed <= 0.0) {
      fail(name, *text, "a positive number");
      return;
    }
    target = *parsed;
  }

  void readBool(const char* name, bool& target) {
    const auto text = value(name);
    if (!text) return;
    const auto parsed = parseBool(*text);
    if (!parsed) {
      fail(name, *text, "true or false");
      return;
    }
    target = *parsed;
  }

  void readMean(const char* name, cv::Scalar& target) {
    const auto text = value(name);
    if (!text) return;
    const auto parsed = parseMean(*text);
    if (!parsed) {
      fail(name, *text, "three comma-separated numbers such as 104,117,123, or one number");
      return;
    }
    target = *parsed;
  }

  void throwIfInvalid() const {
    if (!problems_.empty()) throw ConfigError("invalid configuration: " + problems_);
  }

 private:
  std::optional<std::string> value(const char* name) const {
    auto text = lookup_(name);
    if (text && text->empty()) return std::nullopt;
    return text;
  }

  void fail(const char* name, const std::string& text, const std::string& expected) {
    if (!problems_.empty()) problems_ += "; ";
    problems_ += std::string(name) + " must be " + expected + ", got \"" + text + "\"";
  }

  const EnvironmentLookup& lookup_;
  std::string problems_;
};

}  // namespace

EnvironmentLookup processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

ServiceConfig loadServiceConfig(const EnvironmentLookup& lookup) {
  constexpr int kMaxInputSide = 4096;
  constexpr int kMaxThreads = 256;
  constexpr std::size_t kMaxImageBytesLimit = std::size_t{1} << 30;  // 1 GiB
  constexpr std::uint64_t kMaxPixelsLimit = std::uint64_t{1} << 30;  // OpenCV's own ceiling
  constexpr std::int64_t kMaxDownloadTimeoutMs =
      std::int64_t{15} * 60 * 1000;  // Lambda's maximum run

  ServiceConfig config;
  EnvironmentReader reader(lookup);
  reader.readString("MODEL_NAME", config.model.name);
  reader.readString("MODEL_WEIGHTS", config.model.weightsPath);
  reader.readString("MODEL_CONFIG", config.model.configPath);
  reader.readString("MODEL_LABELS", config.model.labelsPath);
  reader.readInteger("MODEL_INPUT_WIDTH", config.model.preprocess.inputWidth, 1, kMaxInputSide);
  reader.readInteger("MODEL_INPUT_HEIGHT", config.model.preprocess.inputHeight, 1, kMaxInputSide);
  reader.readMean("MODEL_MEAN", config.model.preprocess.mean);
  reader.readPositiveDouble("MODEL_SCALE", config.model.preprocess.scale);
  reader.readBool("MODEL_SWAP_RB", config.model.preprocess.swapRB);
  reader.readInteger("TOP_K_DEFAULT", config.topKDefault, kMinTopK, kMaxTopK);
  reader.readInteger("CLASSIFIER_THREADS", config.threads, 0, kMaxThreads);
  reader.readInteger("MAX_IMAGE_BYTES", config.maxImageBytes, std::size_t{1}, kMaxImageBytesLimit);
  reader.readInteger("MAX_IMAGE_PIXELS", config.maxImagePixels, std::uint64_t{1}, kMaxPixelsLimit);
  std::int64_t downloadTimeoutMs = config.downloadTimeout.count();
  reader.readInteger("DOWNLOAD_TIMEOUT_MS", downloadTimeoutMs, std::int64_t{1},
                     kMaxDownloadTimeoutMs);
  config.downloadTimeout = std::chrono::milliseconds(downloadTimeoutMs);
  reader.throwIfInvalid();
  return config;
}

}  // namespace classifier

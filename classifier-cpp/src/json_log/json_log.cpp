#include "json_log/json_log.hpp"

#include <array>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <utility>

#include "text/ascii.hpp"

namespace json_log {
namespace {

struct NamedLevel {
  std::string_view name;
  Level level;
};

constexpr std::array<NamedLevel, 8> kLevelNames = {{{"TRACE", Level::kDebug},
                                                    {"DEBUG", Level::kDebug},
                                                    {"INFO", Level::kInfo},
                                                    {"WARN", Level::kWarn},
                                                    {"ERROR", Level::kError},
                                                    {"CRITICAL", Level::kSilent},
                                                    {"FATAL", Level::kSilent},
                                                    {"SILENT", Level::kSilent}}};

constexpr std::array<const char*, 3> kLevelVariables = {"AWS_LAMBDA_LOG_LEVEL",
                                                        "POWERTOOLS_LOG_LEVEL", "LOG_LEVEL"};

}  // namespace

std::string_view levelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
    case Level::kSilent:
      break;
  }
  return "SILENT";
}

std::optional<Level> parseLevel(std::string_view name) {
  for (const NamedLevel& candidate : kLevelNames) {
    if (text::equalsIgnoringCase(candidate.name, name)) return candidate.level;
  }
  return std::nullopt;
}

Level levelFromEnvironment(const EnvironmentLookup& lookup) {
  for (const char* variable : kLevelVariables) {
    const std::optional<std::string> value = lookup(variable);
    if (!value || value->empty()) continue;
    if (const std::optional<Level> level = parseLevel(*value)) return *level;
    throw std::invalid_argument(std::string(variable) +
                                " must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, FATAL, "
                                "SILENT, got \"" +
                                *value + "\"");
  }
  return Level::kInfo;
}

std::string isoTimestamp(std::chrono::system_clock::time_point time) {
  const auto sinceEpoch = time.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(sinceEpoch);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(sinceEpoch - seconds).count();
  if (millis < 0) {  // before 1970: floor, not truncate
    millis += 1000;
    seconds -= std::chrono::seconds(1);
  }
  const auto whole = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&whole, &utc);
  std::array<char, 32> text{};
  const std::size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::array<char, 8> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%03dZ", static_cast<int>(millis));
  return std::string(text.data(), length) + fraction.data();
}

Logger::Logger(std::string service, Level threshold, Sink sink, Clock clock)
    : service_(std::move(service)),
      threshold_(threshold),
      sink_(std::move(sink)),
      clock_(std::move(clock)) {}

void Logger::setContext(Fields context) {
  if (!context.is_object()) throw std::invalid_argument("a log context must be a JSON object");
  context_ = std::move(context);
}

Logger Logger::with(const Fields& keys) const {
  Logger child = *this;
  for (const auto& [key, value] : keys.items()) child.context_[key] = value;
  return child;
}

std::string Logger::format(Level level, std::string_view message, const Fields& extra) const {
  Fields line = Fields::object();
  line["level"] = levelName(level);
  line["message"] = message;
  line["timestamp"] = isoTimestamp(clock_());
  line["service"] = service_;
  // The standard keys stay first and cannot be overwritten by context or extra keys.
  const auto addAll = [&line](const Fields& fields) {
    if (!fields.is_object()) return;
    for (const auto& [key, value] : fields.items()) {
      if (key != "level" && key != "message" && key != "timestamp" && key != "service")
        line[key] = value;
    }
  };
  addAll(context_);
  addAll(extra);
  return line.dump(-1, ' ', false, Fields::error_handler_t::replace);
}

void Logger::log(Level level, std::string_view message, const Fields& extra) const noexcept {
  if (!enabled(level)) return;
  try {
    sink_(format(level, message, extra));
  } catch (...) {
    // Logging must never take the request down with it.
  }
}

Logger::Sink standardOutputSink() {
  return [](std::string_view line) {
    std::string withNewline;
    withNewline.reserve(line.size() + 1);
    withNewline.append(line).push_back('\n');
    std::fwrite(withNewline.data(), 1, withNewline.size(), stdout);
    std::fflush(stdout);
  };
}

}  // namespace json_log

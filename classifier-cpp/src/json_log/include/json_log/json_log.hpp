#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

// Structured logging: one JSON object per line with the keys every Udagram function writes
// (Powertools for AWS Lambda's: level, message, timestamp, service, then context and extra keys).
// Nothing here knows about Lambda: callers add the invocation's keys as context.
namespace json_log {

// kSilent is only a threshold (nothing is logged at it).
enum class Level { kDebug, kInfo, kWarn, kError, kSilent };

// "DEBUG", "INFO", "WARN", "ERROR".
std::string_view levelName(Level level);

// Powertools' level names, any case: TRACE (as DEBUG: there is nothing finer), DEBUG, INFO, WARN,
// ERROR, CRITICAL and FATAL (as SILENT: nothing is logged above ERROR), SILENT. Else nullopt.
std::optional<Level> parseLevel(std::string_view name);

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The threshold from the environment, as Powertools reads it: AWS_LAMBDA_LOG_LEVEL (Lambda's own
// log-level control), then POWERTOOLS_LOG_LEVEL, then LOG_LEVEL; INFO when none is set. Throws
// std::invalid_argument naming the variable when the first one set is not a level.
Level levelFromEnvironment(const EnvironmentLookup& lookup);

// ISO 8601 in UTC with milliseconds, e.g. 2026-12-05T00:14:13.123Z.
std::string isoTimestamp(std::chrono::system_clock::time_point time);

// Keys in insertion order, so that lines read level, message, timestamp, service first.
using Fields = nlohmann::ordered_json;

class Logger {
 public:
  using Sink = std::function<void(std::string_view line)>;  // one line, without the newline
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  Logger(
      std::string service, Level threshold, Sink sink,
      Clock clock = [] { return std::chrono::system_clock::now(); });

  void setThreshold(Level threshold) { threshold_ = threshold; }
  bool enabled(Level level) const { return level != Level::kSilent && level >= threshold_; }

  // Keys written on every line after the standard four, until replaced. Must be an object.
  void setContext(Fields context);
  const Fields& context() const { return context_; }
  // A copy whose lines also carry `keys` (e.g. the ids of one request).
  Logger with(const Fields& keys) const;

  // Never throws: a line that cannot be written is dropped.
  void log(Level level, std::string_view message,
           const Fields& extra = Fields::object()) const noexcept;
  void debug(std::string_view message, const Fields& extra = Fields::object()) const noexcept {
    log(Level::kDebug, message, extra);
  }
  void info(std::string_view message, const Fields& extra = Fields::object()) const noexcept {
    log(Level::kInfo, message, extra);
  }
  void warn(std::string_view message, const Fields& extra = Fields::object()) const noexcept {
    log(Level::kWarn, message, extra);
  }
  void error(std::string_view message, const Fields& extra = Fields::object()) const noexcept {
    log(Level::kError, message, extra);
  }

  // The line `log` would write, whatever the threshold. Strings that are not valid UTF-8 have
  // their bad bytes replaced (U+FFFD); control characters and quotes are escaped.
  std::string format(Level level, std::string_view message, const Fields& extra) const;

 private:
  std::string service_;
  Level threshold_;
  Sink sink_;
  Clock clock_;
  Fields context_ = Fields::object();
};

// Writes each line and a newline to stdout in one call and flushes it, so that a line is complete
// in the log before Lambda freezes the process between invocations.
Logger::Sink standardOutputSink();

}  // namespace json_log

#include "json_log/json_log.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace json_log {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2026-12-05T00:14:13.123Z
const system_clock::time_point kFixedTime{milliseconds(1796429653123)};

struct CapturedLog {
  std::vector<std::string> lines;

  Logger logger(Level threshold = Level::kDebug) {
    return Logger(
        "classifier", threshold, [this](std::string_view line) { lines.emplace_back(line); },
        [] { return kFixedTime; });
  }

  nlohmann::ordered_json only() const {
    EXPECT_EQ(lines.size(), 1u);
    return lines.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json::parse(lines.back());
  }
};

EnvironmentLookup environmentOf(const std::map<std::string, std::string>& variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

TEST(JsonLog, WritesTheStandardKeysFirstThenContextThenExtraKeys) {
  CapturedLog captured;
  Logger log = captured.logger();
  log.setContext({{"function_name", "classifier-fn"}});

  log.info("model loaded", {{"loadMs", 12.5}, {"model", "squeezenet"}});

  EXPECT_EQ(
      captured.lines.at(0),
      R"({"level":"INFO","message":"model loaded","timestamp":"2026-12-05T00:14:13.123Z",)"
      R"("service":"classifier","function_name":"classifier-fn","loadMs":12.5,"model":"squeezenet"})");
}

TEST(JsonLog, NamesEachLevelAsPowertoolsDoes) {
  CapturedLog captured;
  const Logger log = captured.logger();
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  std::vector<std::string> levels;
  for (const std::string& line : captured.lines)
    levels.push_back(nlohmann::json::parse(line).at("level"));
  EXPECT_EQ(levels, (std::vector<std::string>{"DEBUG", "INFO", "WARN", "ERROR"}));
}

TEST(JsonLog, DropsLinesBelowTheThreshold) {
  CapturedLog captured;
  Logger log = captured.logger(Level::kWarn);
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  EXPECT_EQ(captured.lines.size(), 2u);
  log.setThreshold(Level::kSilent);
  log.error("e");
  EXPECT_EQ(captured.lines.size(), 2u);
  log.setThreshold(Level::kDebug);
  log.debug("d");
  EXPECT_EQ(captured.lines.size(), 3u);
}

TEST(JsonLog, EscapesHostileStringsSoEveryLineStaysOneJsonObject) {
  const std::vector<std::string> hostile = {
      "quote \" and backslash \\",
      "new\nline and carriage\rreturn",
      R"(","level":"DEBUG","forged":")",
      "}\n{\"level\":\"ERROR\",\"message\":\"injected\"}",
      std::string("nul \0 byte", 10),
      "bell \x07 escape \x1b[31m tab \t",
      "line separator \u2028 paragraph \u2029",
      "caf\xc3\xa9 and emoji \xf0\x9f\x90\xbf",
  };
  for (const std::string& text : hostile) {
    CapturedLog captured;
    captured.logger().warn(text, {{"errorMessage", text}, {text, "as a key"}});
    ASSERT_EQ(captured.lines.size(), 1u);
    EXPECT_EQ(captured.lines[0].find('\n'), std::string::npos) << text;
    EXPECT_EQ(captured.lines[0].find('\r'), std::string::npos) << text;
    for (const char c : captured.lines[0]) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << text;
    const nlohmann::json line = nlohmann::json::parse(captured.lines[0]);
    EXPECT_EQ(line.at("message"), text);
    EXPECT_EQ(line.at("errorMessage"), text);
    EXPECT_EQ(line.at(text), "as a key");
    EXPECT_EQ(line.at("level"), "WARN");
    EXPECT_FALSE(line.contains("forged"));
  }
}

TEST(JsonLog, ReplacesBytesThatAreNotUtf8InsteadOfDroppingTheLine) {
  CapturedLog captured;
  captured.logger().error("bad \xff\xfe bytes", {{"errorMessage", std::string("\xc3\x28")}});
  const nlohmann::json line = captured.only();
  EXPECT_EQ(line.at("message"), "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
  EXPECT_EQ(line.at("errorMessage"), "\xef\xbf\xbd(");
}

TEST(JsonLog, ContextAndExtraKeysCannotOverwriteTheStandardKeys) {
  CapturedLog captured;
  Logger log = captured.logger();
  log.setContext({{"service", "forged"}, {"level", "DEBUG"}});
  log.error("real", {{"message", "forged"}, {"timestamp", "yesterday"}});
  const nlohmann::json line = captured.only();
  EXPECT_EQ(line.at("service"), "classifier");
  EXPECT_EQ(line.at("level"), "ERROR");
  EXPECT_EQ(line.at("message"), "real");
  EXPECT_EQ(line.at("timestamp"), "2026-12-05T00:14:13.123Z");
}

TEST(JsonLog, ExtraKeysWinOverContextKeysOfTheSameName) {
  CapturedLog captured;
  Logger log = captured.logger();
  log.setContext({{"imageId", "from-context"}});
  log.info("m", {{"imageId", "from-line"}});
  EXPECT_EQ(captured.only().at("imageId"), "from-line");
}

TEST(JsonLog, AChildLoggerAddsKeysWithoutChangingItsParent) {
  CapturedLog captured;
  Logger parent = captured.logger();
  parent.setContext({{"function_name", "fn"}});
  const Logger child = parent.with({{"function_request_id", "req-1"}, {"cold_start", true}});
  child.info("child");
  parent.info("parent");
  const nlohmann::json childLine = nlohmann::json::parse(captured.lines.at(0));
  const nlohmann::json parentLine = nlohmann::json::parse(captured.lines.at(1));
  EXPECT_EQ(childLine.at("function_name"), "fn");
  EXPECT_EQ(childLine.at("function_request_id"), "req-1");
  EXPECT_EQ(childLine.at("cold_start"), true);
  EXPECT_FALSE(parentLine.contains("function_request_id"));
  EXPECT_FALSE(parentLine.contains("cold_start"));
}

TEST(JsonLog, RefusesAContextThatIsNotAnObject) {
  CapturedLog captured;
  Logger log = captured.logger();
  EXPECT_THROW(log.setContext(Fields::array({1, 2})), std::invalid_argument);
  EXPECT_THROW(log.setContext("text"), std::invalid_argument);
}

TEST(JsonLog, ASinkThatThrowsDoesNotEscape) {
  const Logger log("classifier", Level::kDebug,
                   [](std::string_view) { throw std::runtime_error("disk full"); });
  EXPECT_NO_THROW(log.error("still fine"));
}

TEST(JsonLog, FormatsTimestampsAsIso8601UtcWithMilliseconds) {
  EXPECT_EQ(isoTimestamp(kFixedTime), "2026-12-05T00:14:13.123Z");
  EXPECT_EQ(isoTimestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(isoTimestamp(system_clock::time_point{milliseconds(951782400007)}),
            "2000-02-29T00:00:00.007Z");
  EXPECT_EQ(isoTimestamp(system_clock::time_point{milliseconds(-1)}), "1969-12-31T23:59:59.999Z");
  // Microseconds are cut, not rounded up into the next second.
  EXPECT_EQ(isoTimestamp(system_clock::time_point{std::chrono::microseconds(1999999)}),
            "1970-01-01T00:00:01.999Z");
}

TEST(JsonLog, ParsesPowertoolsLevelNamesInAnyCase) {
  EXPECT_EQ(parseLevel("DEBUG"), Level::kDebug);
  EXPECT_EQ(parseLevel("debug"), Level::kDebug);
  EXPECT_EQ(parseLevel("Trace"), Level::kDebug);
  EXPECT_EQ(parseLevel("info"), Level::kInfo);
  EXPECT_EQ(parseLevel("WARN"), Level::kWarn);
  EXPECT_EQ(parseLevel("error"), Level::kError);
  EXPECT_EQ(parseLevel("CRITICAL"), Level::kSilent);
  EXPECT_EQ(parseLevel("fatal"), Level::kSilent);
  EXPECT_EQ(parseLevel("SILENT"), Level::kSilent);
  for (const char* bad : {"", "WARNING", "verbose", "INFO ", "3", "DEBUGGING"}) {
    EXPECT_EQ(parseLevel(bad), std::nullopt) << bad;
  }
}

TEST(JsonLog, ReadsTheLevelFromTheEnvironmentInPowertoolsOrder) {
  EXPECT_EQ(levelFromEnvironment(environmentOf({})), Level::kInfo);
  EXPECT_EQ(levelFromEnvironment(environmentOf({{"LOG_LEVEL", "debug"}})), Level::kDebug);
  EXPECT_EQ(levelFromEnvironment(
                environmentOf({{"LOG_LEVEL", "debug"}, {"POWERTOOLS_LOG_LEVEL", "ERROR"}})),
            Level::kError);
  EXPECT_EQ(levelFromEnvironment(environmentOf({{"LOG_LEVEL", "debug"},
                                                {"POWERTOOLS_LOG_LEVEL", "ERROR"},
                                                {"AWS_LAMBDA_LOG_LEVEL", "WARN"}})),
            Level::kWarn);
  EXPECT_EQ(
      levelFromEnvironment(environmentOf({{"POWERTOOLS_LOG_LEVEL", ""}, {"LOG_LEVEL", "warn"}})),
      Level::kWarn);
}

TEST(JsonLog, RefusesALevelItDoesNotKnowNamingTheVariable) {
  try {
    levelFromEnvironment(environmentOf({{"POWERTOOLS_LOG_LEVEL", "loud"}, {"LOG_LEVEL", "INFO"}}));
    FAIL() << "accepted \"loud\"";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "POWERTOOLS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, "
                 "FATAL, SILENT, "
                 "got \"loud\"");
  }
}

}  // namespace
}  // namespace json_log

#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "classifier/handler.hpp"

namespace test_support {

// Loads SqueezeNet once for the whole test binary (as the bootstrap does per process) and runs
// requests through classifier::handle. Loading happens in SetUp, not SetUpTestSuite: there a
// failure (say, MODEL_DIR pointing nowhere) fails every test instead of reporting them skipped.
class SqueezeNetHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override;

  classifier::HandlerResult handle(const std::string& event,
                                   std::chrono::milliseconds timeLeft = std::chrono::seconds(30));
  classifier::HandlerResult handleImage(const std::string& imageBytes);
  // The parsed success response; records a test failure when the handler failed.
  nlohmann::json classify(const std::string& event);

  static std::string base64Event(const std::string& imageBytes);
  static std::string urlEvent(const std::string& url);

  // Every line the handler logged so far (at DEBUG and above), parsed; raw text in logLines_.
  std::vector<nlohmann::json> logLines() const;

  // Limits as documented, inference reserve from this model's measured warm-up.
  static classifier::HandlerSettings defaultSettings();

  classifier::HandlerSettings settings_;  // set by SetUp; tests may change it
  std::vector<std::string> logLines_;
};

}  // namespace test_support

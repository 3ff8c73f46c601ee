#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "classifier/model_config.hpp"

namespace classifier {

// Everything the classifier reads from its environment (names and defaults in README.md).
struct ServiceConfig {
  ModelConfig model;
  int topKDefault = 5;
  int threads = 0;  // 0 lets OpenCV choose
  std::size_t maxImageBytes = std::size_t{15} * 1024 * 1024;
  std::uint64_t maxImagePixels = 40'000'000;
  std::chrono::milliseconds downloadTimeout{10'000};
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Returns the variable's value, or nullopt when it is unset. Injected so tests need not touch the
// process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

EnvironmentLookup processEnvironment();

// Builds the configuration from defaults overridden by the environment; an empty variable counts
// as unset. Throws ConfigError naming every invalid variable.
ServiceConfig loadServiceConfig(const EnvironmentLookup& lookup);

}  // namespace classifier

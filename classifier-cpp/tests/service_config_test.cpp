#include "classifier/service_config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace classifier {
namespace {

EnvironmentLookup fakeEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

std::string configErrorFor(std::map<std::string, std::string> variables) {
  try {
    loadServiceConfig(fakeEnvironment(std::move(variables)));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "<accepted>";
}

TEST(ServiceConfig, UsesTheDocumentedDefaults) {
  const ServiceConfig config = loadServiceConfig(fakeEnvironment({}));
  EXPECT_EQ(config.model.name, "bvlc_googlenet");
  EXPECT_EQ(config.model.weightsPath, "/opt/model/bvlc_googlenet.caffemodel");
  EXPECT_EQ(config.model.configPath, "/opt/model/deploy.prototxt");
  EXPECT_EQ(config.model.labelsPath, "/opt/model/classes.txt");
  EXPECT_EQ(config.model.preprocess.inputWidth, 224);
  EXPECT_EQ(config.model.preprocess.inputHeight, 224);
  EXPECT_EQ(config.model.preprocess.mean, cv::Scalar(104, 117, 123));
  EXPECT_EQ(config.model.preprocess.scale, 1.0);
  EXPECT_FALSE(config.model.preprocess.swapRB);
  EXPECT_FALSE(config.model.preprocess.crop);
  EXPECT_EQ(config.topKDefault, 5);
  EXPECT_EQ(config.threads, 0);
  EXPECT_EQ(config.maxImageBytes, 15728640u);
  EXPECT_EQ(config.maxImagePixels, 40000000u);
  EXPECT_EQ(config.downloadTimeout, std::chrono::milliseconds(10000));
}

TEST(ServiceConfig, ReadsEveryVariable) {
  const ServiceConfig config = loadServiceConfig(fakeEnvironment({
      {"MODEL_NAME", "squeezenet"},
      {"MODEL_WEIGHTS", "/m/w.caffemodel"},
      {"MODEL_CONFIG", "/m/deploy.prototxt"},
      {"MODEL_LABELS", "/m/classes.txt"},
      {"MODEL_INPUT_WIDTH", "227"},
      {"MODEL_INPUT_HEIGHT", " 225 "},
      {"MODEL_MEAN", "0.5, 1,2"},
      {"MODEL_SCALE", "0.017"},
      {"MODEL_SWAP_RB", "TRUE"},
      {"TOP_K_DEFAULT", "3"},
      {"CLASSIFIER_THREADS", "2"},
      {"MAX_IMAGE_BYTES", "1000"},
      {"MAX_IMAGE_PIXELS", "2000"},
      {"DOWNLOAD_TIMEOUT_MS", "1500"},
  }));
  EXPECT_EQ(config.model.name, "squeezenet");
  EXPECT_EQ(config.model.weightsPath, "/m/w.caffemodel");
  EXPECT_EQ(config.model.configPath, "/m/deploy.prototxt");
  EXPECT_EQ(config.model.labelsPath, "/m/classes.txt");
  EXPECT_EQ(config.model.preprocess.inputWidth, 227);
  EXPECT_EQ(config.model.preprocess.inputHeight, 225);
  EXPECT_EQ(config.model.preprocess.mean, cv::Scalar(0.5, 1, 2));
  EXPECT_DOUBLE_EQ(config.model.preprocess.scale, 0.017);
  EXPECT_TRUE(config.model.preprocess.swapRB);
  EXPECT_EQ(config.topKDefault, 3);
  EXPECT_EQ(config.threads, 2);
  EXPECT_EQ(config.maxImageBytes, 1000u);
  EXPECT_EQ(config.maxImagePixels, 2000u);
  EXPECT_EQ(config.downloadTimeout, std::chrono::milliseconds(1500));
}

TEST(ServiceConfig, TreatsEmptyVariablesAsUnset) {
  const ServiceConfig config =
      loadServiceConfig(fakeEnvironment({{"MODEL_NAME", ""}, {"TOP_K_DEFAULT", ""}}));
  EXPECT_EQ(config.model.name, "bvlc_googlenet");
  EXPECT_EQ(config.topKDefault, 5);
}

TEST(ServiceConfig, AcceptsOneMeanForAllChannelsAndBooleanSpellings) {
  EXPECT_EQ(loadServiceConfig(fakeEnvironment({{"MODEL_MEAN", "127.5"}})).model.preprocess.mean,
            cv::Scalar::all(127.5));
  EXPECT_FALSE(
      loadServiceConfig(fakeEnvironment({{"MODEL_SWAP_RB", "0"}})).model.preprocess.swapRB);
  EXPECT_TRUE(
      loadServiceConfig(fakeEnvironment({{"MODEL_SWAP_RB", "yes"}})).model.preprocess.swapRB);
}

TEST(ServiceConfig, NamesTheVariableAndTheValueWhenInvalid) {
  EXPECT_EQ(configErrorFor({{"MODEL_INPUT_WIDTH", "abc"}}),
            "invalid configuration: MODEL_INPUT_WIDTH must be an integer from 1 to 4096, got "
            "\"abc\"");
  EXPECT_EQ(configErrorFor({{"MODEL_SWAP_RB", "maybe"}}),
            "invalid configuration: MODEL_SWAP_RB must be true or false, got \"maybe\"");
}

TEST(ServiceConfig, RejectsEveryOutOfRangeOrMalformedValue) {
  const std::vector<std::pair<std::string, std::string>> invalid = {
      {"MODEL_INPUT_WIDTH", "0"},
      {"MODEL_INPUT_WIDTH", "224px"},
      {"MODEL_INPUT_HEIGHT", "-1"},
      {"MODEL_INPUT_HEIGHT", "5000"},
      {"MODEL_MEAN", "104,117"},
      {"MODEL_MEAN", "a,b,c"},
      {"MODEL_MEAN", "1,2,3,4"},
      {"MODEL_MEAN", "1,,3"},
      {"MODEL_MEAN", "nan,1,2"},
      {"MODEL_SCALE", "0"},
      {"MODEL_SCALE", "-1"},
      {"MODEL_SCALE", "inf"},
      {"MODEL_SCALE", "x"},
      {"MODEL_SWAP_RB", "2"},
      {"TOP_K_DEFAULT", "0"},
      {"TOP_K_DEFAULT", "21"},
      {"CLASSIFIER_THREADS", "-1"},
      {"CLASSIFIER_THREADS", "1.5"},
      {"MAX_IMAGE_BYTES", "0"},
      {"MAX_IMAGE_BYTES", "-5"},
      {"MAX_IMAGE_BYTES", "99999999999"},
      {"MAX_IMAGE_PIXELS", "0"},
      {"MAX_IMAGE_PIXELS", "1e6"},
      {"DOWNLOAD_TIMEOUT_MS", "0"},
      {"DOWNLOAD_TIMEOUT_MS", "900001"},
      {"DOWNLOAD_TIMEOUT_MS", "ten"},
  };
  for (const auto& [name, value] : invalid) {
    const std::string error = configErrorFor({{name, value}});
    EXPECT_NE(error.find(name + " must be"), std::string::npos)
        << name << "=" << value << ": " << error;
  }
}

TEST(ServiceConfig, ReportsAllInvalidVariablesAtOnce) {
  const std::string error =
      configErrorFor({{"MODEL_SCALE", "0"}, {"TOP_K_DEFAULT", "99"}, {"MODEL_NAME", "fine"}});
  EXPECT_NE(error.find("MODEL_SCALE must be"), std::string::npos) << error;
  EXPECT_NE(error.find("TOP_K_DEFAULT must be"), std::string::npos) << error;
  EXPECT_EQ(error.find("MODEL_NAME"), std::string::npos) << error;
}

}  // namespace
}  // namespace classifier

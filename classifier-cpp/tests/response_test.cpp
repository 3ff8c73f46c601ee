#include "classifier/response.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace classifier {
namespace {

Classification twoLabels() {
  Classification classification;
  classification.model = "squeezenet_v1.0_dc";
  classification.labels = {{"tabby, tabby cat", 0.6123456789f, 281}, {"Egyptian cat", 0.25f, 285}};
  classification.timings = {12.3456789, 4.5, 20.0};
  return classification;
}

TEST(Response, HasExactlyTheContractFields) {
  const nlohmann::json response = nlohmann::json::parse(toResponseJson(twoLabels()));
  std::vector<std::string> keys;
  for (const auto& item : response.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"confidence", "label", "labels", "model", "timings"}));
  EXPECT_EQ(response.at("model"), "squeezenet_v1.0_dc");
  const nlohmann::json& timings = response.at("timings");
  EXPECT_EQ(timings.size(), 3u);
  EXPECT_DOUBLE_EQ(timings.at("downloadMs").get<double>(), 12.346);
  EXPECT_DOUBLE_EQ(timings.at("decodeMs").get<double>(), 4.5);
  EXPECT_DOUBLE_EQ(timings.at("inferenceMs").get<double>(), 20.0);
}

TEST(Response, RepeatsTheBestLabelAtTheTop) {
  const nlohmann::json response = nlohmann::json::parse(toResponseJson(twoLabels()));
  EXPECT_EQ(response.at("label"), "tabby, tabby cat");
  EXPECT_DOUBLE_EQ(response.at("confidence").get<double>(), 0.612346);
}

TEST(Response, ListsEveryLabelWithItsClassId) {
  const nlohmann::json labels = nlohmann::json::parse(toResponseJson(twoLabels())).at("labels");
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(
      labels[0],
      (nlohmann::json{{"label", "tabby, tabby cat"}, {"confidence", 0.612346}, {"classId", 281}}));
  EXPECT_EQ(labels[1],
            (nlohmann::json{{"label", "Egyptian cat"}, {"confidence", 0.25}, {"classId", 285}}));
}

TEST(Response, SurvivesLabelsThatAreNotUtf8) {
  Classification classification = twoLabels();
  classification.labels[0].label = "bad \xff label";
  const nlohmann::json response = nlohmann::json::parse(toResponseJson(classification));
  EXPECT_EQ(response.at("label"), "bad \xef\xbf\xbd label");
}

}  // namespace
}  // namespace classifier

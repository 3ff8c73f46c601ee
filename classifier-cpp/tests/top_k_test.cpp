#include "classifier/top_k.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace classifier {
namespace {

std::vector<int> idsOf(const std::vector<ClassScore>& scores) {
  std::vector<int> ids;
  ids.reserve(scores.size());
  for (const ClassScore& score : scores) ids.push_back(score.classId);
  return ids;
}

TEST(TopK, ReturnsTheBestScoresInDescendingOrder) {
  const std::vector<float> scores{0.1f, 0.5f, 0.05f, 0.3f, 0.05f};
  const std::vector<ClassScore> best = topK(scores, 3);
  EXPECT_EQ(idsOf(best), (std::vector<int>{1, 3, 0}));
  EXPECT_FLOAT_EQ(best[0].confidence, 0.5f);
  EXPECT_FLOAT_EQ(best[1].confidence, 0.3f);
  EXPECT_FLOAT_EQ(best[2].confidence, 0.1f);
}

TEST(TopK, ReturnsEveryClassWhenKExceedsTheirNumber) {
  const std::vector<ClassScore> best = topK({0.2f, 0.7f, 0.1f}, 10);
  EXPECT_EQ(idsOf(best), (std::vector<int>{1, 0, 2}));
}

TEST(TopK, BreaksTiesByLowerClassId) {
  EXPECT_EQ(idsOf(topK({0.25f, 0.25f, 0.5f, 0.25f}, 4)), (std::vector<int>{2, 0, 1, 3}));
  EXPECT_EQ(idsOf(topK({0.3f, 0.3f, 0.3f}, 2)), (std::vector<int>{0, 1}));
}

TEST(TopK, RanksNanLast) {
  EXPECT_EQ(idsOf(topK({std::nanf(""), 0.1f, 0.2f}, 3)), (std::vector<int>{2, 1, 0}));
}

TEST(TopK, HandlesZeroKAndNoScores) {
  EXPECT_TRUE(topK({0.5f, 0.5f}, 0).empty());
  EXPECT_TRUE(topK({}, 5).empty());
}

}  // namespace
}  // namespace classifier

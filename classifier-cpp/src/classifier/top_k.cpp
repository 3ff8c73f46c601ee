#include "classifier/top_k.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace classifier {

std::vector<ClassScore> topK(const std::vector<float>& scores, std::size_t k) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t count = std::min(k, scores.size());
  // NaN ranks last: a NaN in the comparison would break the strict weak ordering sort relies on.
  const auto rankOf = [&scores](std::size_t i) {
    return std::isnan(scores[i]) ? -std::numeric_limits<float>::infinity() : scores[i];
  };
  const auto better = [&rankOf](std::size_t a, std::size_t b) {
    const float rankA = rankOf(a);
    const float rankB = rankOf(b);
    return rankA != rankB ? rankA > rankB : a < b;
  };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
                    better);
  std::vector<ClassScore> best;
  best.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    best.push_back({static_cast<int>(order[i]), scores[order[i]]});
  }
  return best;
}

}  // namespace classifier

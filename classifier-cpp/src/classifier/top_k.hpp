#pragma once

#include <cstddef>
#include <vector>

namespace classifier {

struct ClassScore {
  int classId = 0;
  float confidence = 0.0f;
};

// The `k` highest scores, best first; equal scores keep the lower class id first so results are
// deterministic. Returns all classes when k exceeds their number.
std::vector<ClassScore> topK(const std::vector<float>& scores, std::size_t k);

}  // namespace classifier

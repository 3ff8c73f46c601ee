#pragma once

#include <string>

namespace classifier {

// The OpenCV the binary was built with, in one line for logs and benchmarks, e.g.
// "OpenCV 4.10.0 static, parallel framework pthreads, SIMD SSE SSE2 SSE3 + dispatched SSE4_1 …
// AVX512_SKX".
std::string openCvBuildSummary();

}  // namespace classifier

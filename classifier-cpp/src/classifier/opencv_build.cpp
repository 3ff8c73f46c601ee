#include "classifier/opencv_build.hpp"

#include <opencv2/core.hpp>
#include <sstream>

namespace classifier {
namespace {

// The value of a "  Name:   value" line of cv::getBuildInformation(), or "?" when it is absent.
std::string buildInformationValue(const std::string& information, const std::string& name) {
  std::istringstream lines(information);
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t at = line.find(name + ":");
    if (at == std::string::npos) continue;
    const std::size_t value = line.find_first_not_of(' ', at + name.size() + 1);
    return value == std::string::npos ? std::string() : line.substr(value);
  }
  return "?";
}

}  // namespace

std::string openCvBuildSummary() {
  const std::string& information = cv::getBuildInformation();
  const bool shared = buildInformationValue(information, "Built as dynamic libs?") == "YES";
  return "OpenCV " + std::string(CV_VERSION) + (shared ? " shared" : " static") +
         ", parallel framework " + buildInformationValue(information, "Parallel framework") +
         ", SIMD " + buildInformationValue(information, "Baseline") + " + dispatched " +
         buildInformationValue(information, "Dispatched code generation");
}

}  // namespace classifier

#include "classifier/labels.hpp"

#include <fstream>
#include <stdexcept>

namespace classifier {

std::vector<std::string> readLabels(const std::string& path) {
  std::ifstream input(path);
  if (!input) throw std::runtime_error("cannot open labels file " + path);
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(input, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // tolerate CRLF files
    if (line.empty()) continue;
    labels.push_back(line);
  }
  if (labels.empty()) throw std::runtime_error("labels file " + path + " holds no labels");
  return labels;
}

}  // namespace classifier

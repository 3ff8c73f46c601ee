#pragma once

#include <string>
#include <vector>

namespace classifier {

// Reads one class name per line (Caffe order); throws std::runtime_error if the file cannot be
// read or holds no labels.
std::vector<std::string> readLabels(const std::string& path);

}  // namespace classifier

#pragma once

#include <string>

#include "classifier/model_config.hpp"

namespace test_support {

// The shared model and photos are never copied into the repository: their folders come from the
// environment (MODEL_DIR, FIXTURES_DIR, as in the rest of the project) or else from the CMake cache
// variables of the same names, which default to ../shared beside the repository root.
std::string modelDir();
std::string imagesDir();
std::string imagePath(const std::string& name);

std::string readFile(const std::string& path);

// SqueezeNet v1.0 (Deep Compression) as described in shared/models/README.md.
classifier::ModelConfig squeezeNetConfig();

}  // namespace test_support

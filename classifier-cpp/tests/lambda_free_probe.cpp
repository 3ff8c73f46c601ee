// Compiled only by the test classifier_cannot_include_lambda_runtime, which passes when this file
// does NOT compile: the classifier library must not hand its users the Lambda Runtime API client.
#include "classifier/handler.hpp"
#include "lambda_runtime/runtime_client.hpp"

int lambdaFreeProbe() { return sizeof(lambda_runtime::Invocation) > 0 ? 1 : 0; }

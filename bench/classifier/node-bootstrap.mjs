// A Lambda custom runtime around onnx-classifier.mjs, the Node twin of classifier-cpp's bootstrap: load the model
// and warm it up once, then GET the next event, handle it, POST the response, and again.
import { request } from 'node:http';
import { readModelSettings } from './model-settings.mjs';
import { loadOnnxClassifier } from './onnx-classifier.mjs';

const runtimeApi = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;

let classifier;
try {
  classifier = await loadOnnxClassifier(readModelSettings(process.env));
} catch (error) {
  await call('POST', '/init/error', JSON.stringify({ errorType: 'ModelLoadFailed', errorMessage: error.message }));
  throw error;
}
for (;;) {
  const next = await call('GET', '/invocation/next');
  const requestId = next.headers['lambda-runtime-aws-request-id'];
  try {
    const { json } = await classifier.handle(next.body);
    await call('POST', `/invocation/${requestId}/response`, json);
  } catch (error) {
    const body = JSON.stringify({ errorType: 'ModelError', errorMessage: error.message });
    await call('POST', `/invocation/${requestId}/error`, body);
  }
}

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${runtimeApi}${path}`, { method }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

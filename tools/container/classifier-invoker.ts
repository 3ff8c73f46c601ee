import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

export type InvokeOutcome =
  | { kind: 'classified'; label: string; confidence: number; ms: number }
  | { kind: 'function-error'; errorType: string; errorMessage: string; ms: number };

export type ClassifyEvent = { imageBase64: string } | { imageUrl: string };

/** One synchronous Invoke of the classifier, read as a classification or a function error. */
export async function invokeClassifier(
  client: LambdaClient,
  functionName: string,
  event: ClassifyEvent,
): Promise<InvokeOutcome> {
  const started = performance.now();
  const response = await client.send(
    new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(event)) }),
  );
  const ms = Math.round(performance.now() - started);
  const body = JSON.parse(new TextDecoder().decode(response.Payload ?? new Uint8Array())) as Record<string, unknown>;
  if (response.FunctionError) {
    return { kind: 'function-error', errorType: String(body.errorType), errorMessage: String(body.errorMessage), ms };
  }
  if (typeof body.label !== 'string' || typeof body.confidence !== 'number') {
    throw new Error(`unexpected response: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return { kind: 'classified', label: body.label, confidence: body.confidence, ms };
}

export function describeOutcome(outcome: InvokeOutcome): string {
  return outcome.kind === 'classified'
    ? `"${outcome.label}" (${outcome.confidence.toFixed(2)}) in ${outcome.ms} ms`
    : `function error ${outcome.errorType}: ${outcome.errorMessage} (${outcome.ms} ms)`;
}

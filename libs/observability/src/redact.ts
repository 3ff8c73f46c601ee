/**
 * What no log line may carry, whoever wrote it: bearer tokens and JWTs, and the credentials of a presigned URL
 * (its query string: X-Amz-Signature, -Credential, -Security-Token). The rest of a URL stays, so a line still says
 * which object it was about.
 */
const JWT = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
const BEARER = /(bearer\s+)[^\s"',;]+/gi;
const PRESIGNED_QUERY = /\?[^\s"']*X-Amz-[^\s"']*/gi;

export function redactSecrets(text: string): string {
  if (!text.includes('eyJ') && !/bearer|x-amz-/i.test(text)) return text;
  return text.replace(PRESIGNED_QUERY, '?[redacted]').replace(BEARER, '$1[redacted]').replace(JWT, '[redacted JWT]');
}

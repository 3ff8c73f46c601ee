import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../../../tools/repository-root.js';

/**
 * What a leaked credential looks like. The emulators' fixed local key `S3RVER` is deliberately not one: it is
 * documented (dev/local-cloud/src/local-account.ts) and opens nothing outside this machine's loopback.
 */
const SECRET_PATTERNS: [string, RegExp][] = [
  ['a PEM private key', /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/],
  ['an AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['an AWS secret access key', /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}/i],
  ['a JWT', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/],
  ['a private JWK', /"d"\s*:\s*"[A-Za-z0-9_-]{40,}"/],
  ['a presigned URL signature', /X-Amz-Signature=[0-9a-f]{64}/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36}\b/],
  ['an npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
];
const BINARY = /\.(png|jpe?g|webp|gif|ico|zip|gz|onnx|caffemodel|woff2?)$/i;

function findSecrets(text: string): string[] {
  return SECRET_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
}

describe('the repository holds no secrets', () => {
  it('recognises each kind of secret it looks for (the scanner’s control)', () => {
    const samples = [
      ['-----BEGIN', 'PRIVATE KEY-----'].join(' '),
      'AKIA' + 'ABCDEFGHIJKLMNOP',
      'aws_secret_access_key = ' + 'a'.repeat(40),
      ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJhbGljZSJ9', 's'.repeat(43)].join('.'),
      `{"d": "${'k'.repeat(43)}"}`,
      'X-Amz-Signature=' + 'f'.repeat(64),
      'ghp_' + 'x'.repeat(36),
      'npm_' + 'x'.repeat(36),
      'xoxb-' + '1234567890-abcdef',
    ];

    expect(samples.map(findSecrets)).toEqual(SECRET_PATTERNS.map(([what]) => [what]));
  });

  it('in any tracked or new file', () => {
    const root = repositoryRoot();
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((file) => file !== '' && !BINARY.test(file));

    const found = files.flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(path.join(root, file), 'utf8');
      } catch {
        return []; // listed but deleted from the work tree
      }
      return findSecrets(text).map((what) => `${file}: ${what}`);
    });

    expect(files.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});

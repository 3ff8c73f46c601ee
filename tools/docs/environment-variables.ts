import { readFileSync } from 'node:fs';
import path from 'node:path';

const NAME = '[A-Z][A-Z0-9_]*[A-Z0-9]';

/**
 * How the project's TypeScript reads its environment:
 * - `process.env.NAME`, `process.env['NAME']`;
 * - `env.NAME` / `environment.NAME` on an environment passed around (the config schemas' validated values, the
 *   tools' `NodeJS.ProcessEnv` parameters);
 * - the tools' helpers: `required('NAME')` and option tables' `variable: 'NAME'`.
 * Shell scripts and the C++ classifier have their own patterns below.
 */
const TYPESCRIPT_READS = [
  new RegExp(`process\\.env(?:\\.|\\[['"])(${NAME})\\b`, 'g'),
  new RegExp(`\\b(?:env|environment)\\??\\.(${NAME})\\b`, 'g'),
  new RegExp(`\\brequired\\('(${NAME})'\\)`, 'g'),
  new RegExp(`\\bvariable: '(${NAME})'`, 'g'),
];

/** A config schema's keys: the upper-case fields of the class-validator classes in `*.config.ts`. */
const SCHEMA_FIELD = new RegExp(`^\\s+(${NAME})[?!]?:`, 'gm');

/** Shell scripts read their settings with a default or a check: `${NAME:-…}`, `${NAME-…}`, `${NAME:?…}`. */
const SHELL_READS = new RegExp(`\\$\\{(${NAME}):?[-?=]`, 'g');

/** The classifier (C++) reads through `std::getenv("NAME")` and its config reader's `readInteger("NAME", …)` etc. */
const CPP_READS = new RegExp(`\\b(?:getenv|read[A-Z]\\w*)\\("(${NAME})"`, 'g');

/** …or through a list of names it looks up in order (`kLevelVariables = {"AWS_LAMBDA_LOG_LEVEL", …};`). */
const CPP_NAME_LIST = /\bk\w*Variables\s*=\s*\{([^}]*)\}/g;

/** Variables of the shell or the OS itself, not the project's settings. */
const SYSTEM_VARIABLES = new Set([
  'PATH',
  'HOME',
  'PWD',
  'TMPDIR',
  'SECONDS',
  'BASH_SOURCE',
  'USER',
  'CI',
  'XDG_CACHE_HOME',
]);

/** The names each file reads from the environment (files relative to `root`), system variables left out. */
export function environmentVariablesRead(root: string, files: readonly string[]): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const patterns = file.endsWith('.sh')
      ? [SHELL_READS]
      : file.endsWith('.cpp')
        ? [CPP_READS]
        : file.endsWith('.config.ts')
          ? [...TYPESCRIPT_READS, SCHEMA_FIELD]
          : TYPESCRIPT_READS;
    const names = patterns.flatMap((pattern) => [...text.matchAll(pattern)].map(([, name]) => name!));
    if (file.endsWith('.cpp')) {
      for (const [, list] of text.matchAll(CPP_NAME_LIST))
        names.push(...[...list!.matchAll(/"(\w+)"/g)].map(([, name]) => name!));
    }
    for (const name of names) {
      if (SYSTEM_VARIABLES.has(name)) continue;
      const files = readers.get(name) ?? [];
      if (!files.includes(file)) files.push(file);
      readers.set(name, files);
    }
  }
  return readers;
}

/** The variables a Markdown reference documents: every `NAME` in backticks in the first cell of a table row. */
export function documentedVariables(markdown: string): Set<string> {
  const documented = new Set<string>();
  for (const line of markdown.split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1];
    if (firstCell === undefined) continue;
    for (const [, name] of firstCell.matchAll(new RegExp(`\`(${NAME})\``, 'g'))) documented.add(name);
  }
  return documented;
}

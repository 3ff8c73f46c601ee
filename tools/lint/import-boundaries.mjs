// The repository's import boundaries as one ESLint rule (eslint.config.mjs turns it on):
// - libs never import apps;
// - production code (apps/*/src and the production libs, specs and test helpers aside) never imports dev-only code:
//   the emulators and the local cloud (under libs/ today, under dev/ with the @dev/* alias once moved), tools/, bench/;
// - code outside a lib reaches it only through its index: `@app/x`, never `@app/x/src/...` nor a relative path into it;
//   code inside a lib never goes through its own index (a barrel import there can hand out `undefined` mid-cycle).
// The alias and the relative forms are both resolved to a repository path, so a rename of the alias or a `../..`
// cannot step around a boundary.
import path from 'node:path';

/** Dev-only libs still under libs/ (everything under dev/ is dev-only whatever its name). */
export const DEV_ONLY_LIBS = new Set(['local-cloud', 'lambda-emulator', 'websocket-gateway-emulator', 'emulator-http']);

/** A spec of any layer (`x.spec.ts`, `x.e2e-spec.ts`, `x.integration-spec.ts`, ...) or a test set-up file. */
const TEST_FILE = /\.([a-z0-9]+-)?spec\.[cm]?tsx?$|\.setup\.[cm]?ts$/;

/**
 * Where a repository-relative path sits: an app, a lib (production or dev-only), other dev-only code, or elsewhere.
 * @param {string} relativePath posix path from the repository root
 */
export function classifyPath(relativePath) {
  const [top, name, ...rest] = relativePath.split('/');
  const inTestFolder = rest.includes('test') || rest.includes('testing');
  const isTest = TEST_FILE.test(relativePath) || inTestFolder;
  if (top === 'apps' && name && rest.length > 0) return { kind: 'app', name, isTest };
  if (top === 'libs' && name && rest.length > 0) {
    return { kind: DEV_ONLY_LIBS.has(name) ? 'dev-lib' : 'lib', name, isTest };
  }
  if (top === 'dev' && name && rest.length > 0) return { kind: 'dev-lib', name, isTest };
  if (top === 'tools' || top === 'bench') return { kind: 'dev', name: top, isTest };
  return { kind: 'other', name: '', isTest };
}

/**
 * The lib an alias names, and whether it reaches past the index. Null for anything that is not an alias.
 * @param {string} source
 */
function aliasTarget(source) {
  const match = /^@(app|dev)\/([^/]+)(\/.*)?$/.exec(source);
  if (!match) return null;
  const [, scope, name, rest] = match;
  const devOnly = scope === 'dev' || DEV_ONLY_LIBS.has(name);
  return { kind: devOnly ? 'dev-lib' : 'lib', name, deep: rest !== undefined, alias: `@${scope}/${name}` };
}

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundariesRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Libs never import apps; production code never imports dev-only code; libs only by index.' },
    schema: [],
    messages: {
      libImportsApp: "A lib never imports an app ('{{source}}' is in apps/{{name}}): move what both need into a lib.",
      productionImportsDevOnly:
        "Production code never imports dev-only code ('{{source}}'): the emulators, the local cloud, tools/ and " +
        'bench/ stay out of what ships.',
      deepAlias: "Import the lib through its index ('{{alias}}'), not '{{source}}'.",
      relativeIntoLib: "Another lib is reached through its alias ('{{alias}}'), not the relative path '{{source}}'.",
      ownIndex: "Inside a lib, import the file that defines it, not the lib's own index ('{{source}}').",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.physicalFilename).split(path.sep).join('/');
    if (file.startsWith('..')) return {};
    const from = classifyPath(file);
    const isProduction = !from.isTest && (from.kind === 'app' || from.kind === 'lib');

    /** @param {import('estree').Node} node @param {string} source */
    function check(node, source) {
      const alias = aliasTarget(source);
      if (alias) {
        const sameLib =
          (from.kind === 'lib' || from.kind === 'dev-lib') && from.kind === alias.kind && from.name === alias.name;
        if (sameLib && !alias.deep) {
          context.report({ node, messageId: 'ownIndex', data: { source } });
        } else if (isProduction && alias.kind === 'dev-lib') {
          context.report({ node, messageId: 'productionImportsDevOnly', data: { source } });
        } else if (alias.deep) {
          context.report({ node, messageId: 'deepAlias', data: { source, alias: alias.alias } });
        }
        return;
      }
      if (!source.startsWith('.')) return;
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), source));
      const to = classifyPath(resolved);
      if ((from.kind === 'lib' || from.kind === 'dev-lib') && to.kind === 'app') {
        context.report({ node, messageId: 'libImportsApp', data: { source, name: to.name } });
      } else if (isProduction && (to.kind === 'dev-lib' || to.kind === 'dev')) {
        context.report({ node, messageId: 'productionImportsDevOnly', data: { source } });
      } else if ((to.kind === 'lib' || to.kind === 'dev-lib') && !(from.kind === to.kind && from.name === to.name)) {
        const alias = resolved.startsWith('dev/') ? `@dev/${to.name}` : `@app/${to.name}`;
        context.report({ node, messageId: 'relativeIntoLib', data: { source, alias } });
      }
    }

    /** @param {{ source?: import('estree').Node | null }} node */
    function fromDeclaration(node) {
      if (node.source && node.source.type === 'Literal' && typeof node.source.value === 'string') {
        check(node.source, node.source.value);
      }
    }

    return {
      ImportDeclaration: fromDeclaration,
      ExportNamedDeclaration: fromDeclaration,
      ExportAllDeclaration: fromDeclaration,
      ImportExpression(node) {
        if (node.source.type === 'Literal' && typeof node.source.value === 'string')
          check(node.source, node.source.value);
      },
    };
  },
};

export default { meta: { name: 'udagram' }, rules: { 'import-boundaries': importBoundariesRule } };

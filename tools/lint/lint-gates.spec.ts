import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../repository-root.js';

// The repository's own eslint.config.mjs on source text placed (virtually) where real code lives: each gate must
// fail the code it exists for, and a clean neighbour must pass, so a rule switched off or scoped away shows here.
const root = repositoryRoot();
const GATE_FILES = [
  'libs/groups/src/lint-gate*.ts',
  'apps/api/src/lint-gate*.ts',
  'apps/api/test/lint-gate*.ts',
  'tools/load/lint-gate*.ts',
];

describe('the lint gates', () => {
  let eslint: ESLint;

  beforeAll(() => {
    eslint = new ESLint({
      cwd: root,
      // The files below exist only here, so no tsconfig's file list holds them: the parser gives them a program of
      // their own with the root tsconfig's options. Which rules apply, and where, stays the real config's.
      overrideConfig: {
        languageOptions: {
          parserOptions: {
            projectService: {
              allowDefaultProject: GATE_FILES,
              defaultProject: 'tsconfig.json',
            },
          },
        },
      },
    });
  });

  async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
    const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
    return result!.messages;
  }

  const rulesOf = (messages: Linter.LintMessage[]) => messages.map((message) => message.ruleId);
  const boundaryMessages = (messages: Linter.LintMessage[]) =>
    messages.filter((message) => message.ruleId === 'udagram/import-boundaries').map((message) => message.message);

  it('passes clean production code that imports a lib by its alias and its own files by relative path', async () => {
    const messages = await lint(
      'libs/groups/src/lint-gate.ts',
      [
        "import { NotFoundError } from '@app/errors';",
        "import { groupsTableDefinition } from './groups.table.js';",
        'export const gate = [NotFoundError, groupsTableDefinition];',
        '',
      ].join('\n'),
    );

    expect(messages).toEqual([]);
  }, 120_000);

  it('fails a floating promise, and a promise passed where a callback returns nothing', async () => {
    const messages = await lint(
      'libs/groups/src/lint-gate.ts',
      [
        'export function save(write: () => Promise<void>): void {',
        '  write();',
        '  [1, 2].forEach(async () => write());',
        '}',
        '',
      ].join('\n'),
    );

    expect(rulesOf(messages)).toEqual([
      '@typescript-eslint/no-floating-promises',
      '@typescript-eslint/no-misused-promises',
    ]);
  }, 120_000);

  it('fails a lib that imports an app', async () => {
    const messages = await lint(
      'libs/groups/src/lint-gate.ts',
      "export { AppModule } from '../../../apps/api/src/app.module.js';\n",
    );

    expect(boundaryMessages(messages)).toEqual([
      "A lib never imports an app ('../../../apps/api/src/app.module.js' is in apps/api): move what both need into a lib.",
    ]);
  }, 120_000);

  it('fails production code that imports dev-only code, under libs/ or dev/, by alias or by path', async () => {
    const imports = [
      '@app/local-cloud',
      '@app/lambda-emulator',
      '@dev/local-cloud',
      '../../../dev/local-cloud/src/index.js',
      '../../../libs/websocket-gateway-emulator/src/index.js',
      '../../../tools/seeded-random.js',
      '../../../bench/capacity-ledger.js',
    ];
    const code = imports.map((source, index) => `export * as gate${index} from '${source}';`).join('\n');

    const fromLib = boundaryMessages(await lint('libs/groups/src/lint-gate.ts', code));
    const fromApp = boundaryMessages(await lint('apps/api/src/lint-gate.ts', code));

    const refusals = imports.map((source) =>
      expect.stringMatching(`^Production code never imports dev-only code \\('${source}'\\)`),
    );
    expect(fromLib).toEqual(refusals);
    expect(fromApp).toEqual(refusals);
  }, 120_000);

  it('lets tests and dev-only code use the local cloud', async () => {
    const code = "export * as cloud from '@app/local-cloud';\nexport * as dev from '@dev/lambda-emulator';\n";

    expect(boundaryMessages(await lint('libs/groups/src/lint-gate.e2e-spec.ts', code))).toEqual([]);
    expect(boundaryMessages(await lint('libs/groups/src/lint-gate.integration-spec.ts', code))).toEqual([]);
    expect(boundaryMessages(await lint('apps/api/test/lint-gate.e2e-spec.ts', code))).toEqual([]);
    expect(boundaryMessages(await lint('tools/load/lint-gate.ts', code))).toEqual([]);
  }, 120_000);

  it("fails an import that reaches past another lib's index, by alias or by relative path", async () => {
    const code = [
      "export { ImageStorage } from '@app/images/src/image-storage.js';",
      "export { labelWords } from '../../images/src/label-words.js';",
      "export * as emulator from '../../../dev/lambda-emulator/src/sandbox.js';",
      '',
    ].join('\n');

    expect(boundaryMessages(await lint('libs/groups/src/lint-gate.spec.ts', code))).toEqual([
      "Import the lib through its index ('@app/images'), not '@app/images/src/image-storage.js'.",
      "Another lib is reached through its alias ('@app/images'), not the relative path '../../images/src/label-words.js'.",
      "Another lib is reached through its alias ('@dev/lambda-emulator'), not the relative path " +
        "'../../../dev/lambda-emulator/src/sandbox.js'.",
    ]);
  }, 120_000);

  it('fails a lib that imports its own index instead of the file that defines a thing', async () => {
    const messages = await lint('libs/groups/src/lint-gate.ts', "export { GroupsService } from '@app/groups';\n");

    expect(boundaryMessages(messages)).toEqual([
      "Inside a lib, import the file that defines it, not the lib's own index ('@app/groups').",
    ]);
  }, 120_000);

  it('fails a focused or a skipped test', async () => {
    const messages = await lint(
      'libs/groups/src/lint-gate.spec.ts',
      [
        "import { expect, it } from 'vitest';",
        "it.only('runs alone', () => expect(1).toBe(1));",
        "it.skip('never runs', () => expect(1).toBe(1));",
        '',
      ].join('\n'),
    );

    expect(rulesOf(messages)).toEqual(['vitest/no-focused-tests', 'vitest/no-disabled-tests']);
  }, 120_000);
});

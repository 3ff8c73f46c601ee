import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../repository-root.js';
import { anchorsOf, findBrokenLinks, headingAnchor } from './markdown-links.js';
import { repositoryFiles } from './repository-files.js';

describe('headingAnchor', () => {
  it.each([
    ['Two commands', 'two-commands'],
    ['The upload → label pipeline', 'the-upload--label-pipeline'],
    ['OpenCV 4.10, built once from Debian’s source', 'opencv-410-built-once-from-debians-source'],
    ['`npm run lint`: the gates', 'npm-run-lint-the-gates'],
    ['See [the README](README.md)', 'see-the-readme'],
  ])('gives "%s" the anchor %s, as GitHub does', (heading, anchor) => {
    expect(headingAnchor(heading)).toBe(anchor);
  });

  it('numbers a repeated heading and ignores headings inside code blocks', () => {
    const anchors = anchorsOf('# A\n## Notes\n```sh\n# not a heading\n```\n## Notes\n<a id="kept"></a>\n');

    expect([...anchors]).toEqual(['a', 'notes', 'notes-1', 'kept']);
  });
});

describe('findBrokenLinks', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'markdown-links-'));
    await mkdir(path.join(root, 'docs'));
    await writeFile(path.join(root, 'docs', 'GUIDE.md'), '# Guide\n\n## Adding an endpoint\n');
    await writeFile(path.join(root, 'main.ts'), '');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('accepts files, folders, headings, same-file anchors, web links and links that leave the checkout', async () => {
    await writeFile(
      path.join(root, 'README.md'),
      [
        '# Read me',
        '[guide](docs/GUIDE.md) [endpoint](docs/GUIDE.md#adding-an-endpoint) [code](main.ts#L1) [docs](docs/)',
        '[top](#read-me) [web](https://example.com/x.md#nowhere) ![picture](docs/GUIDE.md "a title")',
        '[shared](../shared/TOOLCHAIN.md) `[not a link](missing.md)`',
        '```md',
        '[inside a code block](missing.md)',
        '```',
      ].join('\n'),
    );

    expect(findBrokenLinks(root, ['README.md'])).toEqual([]);
  });

  it('reports a missing file and an anchor that names no heading, with their lines', async () => {
    await writeFile(
      path.join(root, 'README.md'),
      '# Read me\n\n[gone](docs/GONE.md)\n[stale](docs/GUIDE.md#adding-a-lib) [self](#nope)\n',
    );

    expect(findBrokenLinks(root, ['README.md'])).toEqual([
      { file: 'README.md', line: 3, target: 'docs/GONE.md', reason: 'no such file or folder' },
      {
        file: 'README.md',
        line: 4,
        target: 'docs/GUIDE.md#adding-a-lib',
        reason: 'no heading with the anchor #adding-a-lib',
      },
      { file: 'README.md', line: 4, target: '#nope', reason: 'no heading with the anchor #nope' },
    ]);
  });
});

describe("the repository's Markdown", () => {
  it('has no relative link that does not resolve', () => {
    const root = repositoryRoot();
    const markdownFiles = repositoryFiles(root, (file) => file.endsWith('.md'));

    expect(markdownFiles).toContain('README.md');
    expect(findBrokenLinks(root, markdownFiles)).toEqual([]);
  });
});

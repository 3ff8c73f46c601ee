import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  reason: string;
}

/** Inline links and images, `[text](target)` and `![alt](target "title")`; the target ends at a space or `)`. */
const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/**
 * GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, spaces, `-` and `_` kept),
 * each space a hyphen; inline code and link syntax count by their text. A repeated heading gets `-1`, `-2`…
 */
export function headingAnchor(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The text of a Markdown file with fenced code blocks and inline code blanked (kept as empty lines/spaces). */
function proseOnly(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker === fence) fence = undefined;
      return '';
    }
    if (marker !== undefined) {
      fence = marker;
      return '';
    }
    return line.replace(/(`+)[^`]*?\1/g, (code) => ' '.repeat(code.length));
  });
}

/** The anchors a Markdown file offers: its headings' (numbered when repeated) and explicit `<a id|name="…">`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker === fence) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = headingAnchor(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const [, id] of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id);
  }
  return anchors;
}

/**
 * Every relative link of the given Markdown files (paths relative to `root`) that does not resolve: a missing file
 * or folder, or a `#fragment` that names no heading of the Markdown file it points at. Web and mail links are not
 * followed; nor are links that leave the checkout (`../shared/…`, the data kept beside it), which no checkout holds.
 */
export function findBrokenLinks(root: string, markdownFiles: readonly string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (absolutePath: string): Set<string> => {
    let anchors = anchorCache.get(absolutePath);
    if (anchors === undefined) {
      anchors = anchorsOf(readFileSync(absolutePath, 'utf8'));
      anchorCache.set(absolutePath, anchors);
    }
    return anchors;
  };
  for (const file of markdownFiles) {
    const absoluteFile = path.join(root, file);
    proseOnly(readFileSync(absoluteFile, 'utf8')).forEach((text, index) => {
      for (const [, target] of text.matchAll(INLINE_LINK)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
        const resolved = pathPart === '' ? absoluteFile : path.resolve(path.dirname(absoluteFile), decodeURI(pathPart));
        if (path.relative(root, resolved).startsWith('..')) continue;
        const report = (reason: string): void => void broken.push({ file, line: index + 1, target, reason });
        if (!existsSync(resolved)) {
          report('no such file or folder');
        } else if (fragment !== undefined && resolved.endsWith('.md') && statSync(resolved).isFile()) {
          if (!anchorsIn(resolved).has(fragment)) report(`no heading with the anchor #${fragment}`);
        }
      }
    });
  }
  return broken;
}

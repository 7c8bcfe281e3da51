import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// A fresh clone is all a newcomer has: every relative link in a README or docs/ must land on a
// file of this repository (the design notes beside it once leaked in as ../shared/...).
const ROOT = join(__dirname, '../..');

const markdownUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : markdownUnder(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });

function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .filter((target) => {
      const path = resolve(dirname(file), decodeURI(target.split('#')[0]));
      return relative(ROOT, path).startsWith('..') || !existsSync(path);
    });
}

const documents = [
  join(ROOT, 'README.md'),
  ...['docs', 'apps', 'libs', 'test'].flatMap((dir) => markdownUnder(join(ROOT, dir))),
];

describe('links in the READMEs and docs/', () => {
  it.each(documents.map((file) => [relative(ROOT, file), file]))(
    '%s links only to files in the repository',
    (_name, file) => {
      expect(brokenLinks(file)).toEqual([]);
    },
  );
});

import { execFileSync } from 'node:child_process';

/** The commit a measurement ran on, `-dirty` when the working tree had changes, for results that must say so. */
export function sourceRevision(cwd = process.cwd()): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short=12', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '-dirty' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

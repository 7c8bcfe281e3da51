import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
export const TRY_IT_SCRIPT = join(ROOT, 'scripts/try-it.sh');

/** The script's commands: everything after its leading `#!` and `#` comment lines. */
export function scriptCommands(): string {
  const lines = readFileSync(TRY_IT_SCRIPT, 'utf8').split('\n');
  return lines
    .slice(lines.findIndex((line) => !line.startsWith('#')))
    .join('\n')
    .trimEnd();
}

/** The first bash block under the README's "### Try it" heading. */
export function readmeTryItBlock(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Try it'));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no ```bash block under "### Try it"');
  return block[1].trimEnd();
}

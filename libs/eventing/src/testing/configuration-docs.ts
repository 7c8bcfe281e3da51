import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';

const DOCS = join(__dirname, '../../../../docs/configuration.md');

/** The `| \`VAR\` | default |` rows of one `## ` section of docs/configuration.md, by variable. */
export function documentedVariables(
  section: string,
  markdown = readFileSync(DOCS, 'utf8'),
): Map<string, string> {
  const body = markdown.split(/^## /m).find((part) => part.startsWith(section)) ?? '';
  return new Map(
    body
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => {
        const [variable, defaultValue] = line
          .split('|')
          .slice(1, 3)
          .map((cell) => cell.trim().replace(/`/g, ''));
        return [variable, defaultValue] as const;
      }),
  );
}

/** The variables an env class declares itself, without those it inherits. */
export function declaredVariables(envClass: new () => object, inherited?: new () => object): string[] {
  const names = (target: new () => object) =>
    new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(target, '', true, false)
        .map((rule) => rule.propertyName),
    );
  const base = inherited ? names(inherited) : new Set<string>();
  return [...names(envClass)].filter((name) => !base.has(name));
}

/**
 * The two checks every service's env spec makes against its `## section` of docs/configuration.md:
 * it lists exactly the variables `envClass` declares beyond `inherited` (and `alsoDocumented`,
 * inherited ones the service documents with a default of its own), each with the code's default,
 * `none` where the code has none.
 */
export function itDocumentsItsVariables(
  section: string,
  envClass: new () => object,
  inherited: new () => object,
  alsoDocumented: readonly string[] = [],
): void {
  const rows = documentedVariables(section);
  const variables = [...new Set([...declaredVariables(envClass, inherited), ...alsoDocumented])];

  it(`documents exactly its own variables in the ${section} section of docs/configuration.md`, () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new envClass() as Record<string, unknown>;
    const stated = (variable: string) =>
      defaults[variable] === undefined ? 'none' : String(defaults[variable]);
    expect(variables.filter((variable) => rows.get(variable) !== stated(variable))).toEqual([]);
  });
}

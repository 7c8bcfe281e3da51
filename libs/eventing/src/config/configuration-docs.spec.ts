import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { EventingEnv } from './eventing.env';

const docs = readFileSync(join(__dirname, '../../../../docs/configuration.md'), 'utf8');
const rows = new Map(
  docs
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
const variables = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EventingEnv, '', true, false)
      .map((rule) => rule.propertyName),
  ),
];

describe('docs/configuration.md', () => {
  it('documents exactly the shared variables', () => {
    expect([...rows.keys()].sort()).toEqual([...variables].sort());
  });

  it('states each default as the code has it', () => {
    const defaults = new EventingEnv() as unknown as Record<string, unknown>;
    const wrong = variables.filter(
      (variable) => defaults[variable] !== undefined && rows.get(variable) !== String(defaults[variable]),
    );
    expect(wrong).toEqual([]);
  });
});

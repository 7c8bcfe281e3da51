import { readmeTryItBlock, scriptCommands } from './try-it';

// The README shows what try-it.e2e-spec.ts runs, so the block people paste is the tested one.
describe("the README's Try it block", () => {
  it('is scripts/try-it.sh, command for command', () => {
    expect(readmeTryItBlock()).toBe(scriptCommands());
  });
});

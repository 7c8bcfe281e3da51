/** Schema names come from configuration, so every use is quoted rather than trusted. */
export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The NOTIFY channel the relay of one schema listens on; kept short because channels are identifiers (≤ 63 bytes). */
export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

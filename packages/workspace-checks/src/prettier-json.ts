/** JSON as Prettier writes it (arrays of strings on one line), so generated files pass the lint's format check. */
export function prettierJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/\[\n\s+("[^"\n]*"(?:,\n\s+"[^"\n]*")*)\n\s*\]/g, (_, items: string) => `[${items.split(/,\n\s+/).join(', ')}]`)}\n`;
}

// Plain output helpers: aligned tables, JSON, colour only on a terminal
// that wants it (NO_COLOR is honoured).
export function useColor(): boolean {
  return !!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n") + "\n";
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

export function shortDate(iso?: string): string {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

export function formatTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** A value for a one-line display: secrets hidden, long text shortened (--json has it whole). */
export function formatValue(o: { value?: unknown; secret: boolean }): string {
  if (o.secret) return "[secret]";
  const text = typeof o.value === "string" ? o.value : JSON.stringify(o.value);
  const lines = text.trim().split("\n");
  if (lines.length > 1) return `${lines[0]} … (${lines.length} lines; --json shows all)`;
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** "1 thing", "2 things". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// Engine events are mostly masked, but not everywhere: a StackReference's
// outputs arrive as Pulumi secret objects ({"4dabf18193072939515e22adb298388d":
// "1b47061264138c4ac30d75fd1eb44270", "value": …}) with the value in clear.
// Every event goes through this before it is written or shown.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function scrubSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(scrubSecrets) as T;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return "[secret]" as T;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, scrubSecrets(v)])) as T;
  }
  return value;
}

// Use case: destroy an environment, and with cascade its dependents first
// (deepest first). Each destroy checks again, under its own lock, that
// nothing still depends on it.
import { ConflictError } from "../core/errors.js";
import type { Registry } from "../registry/types.js";
import { runOperation, type OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";
import { mustGet } from "./update.js";

/** The environment and everything that depends on it, dependents first. */
export async function destroyOrder(r: Registry, name: string): Promise<string[]> {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = async (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of await r.dependents(n)) await visit(d);
    order.push(n);
  };
  await visit(name);
  return order;
}

const them = (n: number) => (n > 1 ? "them" : "it");

/** What a destroy would do, for the caller to confirm: refuses when dependents remain and cascade is off. */
export async function planDestroy(ctx: AppContext, name: string, cascade: boolean): Promise<string[]> {
  const env = await mustGet(ctx, name, "destroy");
  if (env.status === "destroyed") throw new ConflictError(`environment ${name} is already destroyed`);
  const dependents = await ctx.registry.dependents(name);
  if (dependents.length && !cascade) {
    throw new ConflictError(`environment ${name} is used by ${dependents.join(", ")}: destroy ${them(dependents.length)} first`, {
      remedy: { option: "cascade", effect: `to destroy ${them(dependents.length)} too`, or: true },
    });
  }
  return cascade ? destroyOrder(ctx.registry, name) : [name];
}

export async function destroyEnvironments(ctx: AppContext, order: string[]): Promise<OperationResult[]> {
  const done: OperationResult[] = [];
  for (const n of order) {
    const env = await mustGet(ctx, n, "destroy");
    const template = await ctx.templates.recorded(env.template);
    done.push(
      await runOperation(ctx, {
        name: n,
        kind: "destroy",
        template,
        check: async () => {
          const left = await ctx.registry.dependents(n);
          if (left.length)
            throw new ConflictError(`environment ${n} is used by ${left.join(", ")}: destroy ${them(left.length)} first`, {
              remedy: { option: "cascade", or: true },
            });
        },
      }),
    );
  }
  return done;
}

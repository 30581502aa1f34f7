// The shared registry: PostgreSQL (INFRA_REGISTRY=postgres://…), for teams
// and for `infra server`. Same contract as the SQLite registry (the contract
// suite runs against both); its read-then-write transactions serialise per
// environment with transaction-level advisory locks.
import pg from "pg";
import { ConflictError, InfraError } from "../core/errors.js";
import { assertMove, isMidFlight, type Operation, type Status } from "../core/status.js";
import { PG_MIGRATIONS } from "./postgres-schema.js";
import { isStale, OUTBOX_KEEP_MS, refusals, safeOutputs } from "./rules.js";
import { headersText, idempotentRecord, outboxEntry, tokenRecord, toAudit, toLock, toOperation, toResource, toTransition, type Row } from "./rows.js";
import type {
  AuditEntry,
  AuditFilter,
  Begin,
  Commit,
  Environment,
  EnvironmentSummary,
  IdempotentRecord,
  ListQuery,
  LockOwner,
  NewEnvironment,
  Notification,
  OperationRecord,
  OperationResult,
  OutboxEntry,
  OutputValue,
  Registry,
  RegistryFixtures,
  ResourceRecord,
  TemplateRef,
  TokenRecord,
  TokenRole,
  Transition,
} from "./types.js";

type Q = pg.PoolClient;

const now = () => new Date().toISOString();
const randomUUID = () => globalThis.crypto.randomUUID();

/** The words full-text search matches, as the SQLite index tokenises them. */
export function searchWords(name: string, description: string, tags: Record<string, string>): string {
  const text = [name, description, ...Object.entries(tags).flat()].join(" ");
  return (text.match(/[\p{L}\p{N}_]+/gu) ?? []).map((w) => w.toLowerCase()).join(" ");
}

/** User text to a prefix query on those words; no query syntax gets through. */
export function tsQuery(text: string): string {
  return (text.match(/[\p{L}\p{N}_]+/gu) ?? []).map((w) => `${w.toLowerCase()}:*`).join(" & ");
}

export class PostgresRegistry implements Registry, RegistryFixtures {
  /** A hot standby (a secondary's replica of the primary's registry): it reads, and refuses to write. */
  standby = false;

  private constructor(
    readonly location: string,
    private readonly pool: pg.Pool,
  ) {}

  /** Whether the database is a standby in recovery (replicating from a primary). */
  async inRecovery(): Promise<boolean> {
    return (await this.pool.query("SELECT pg_is_in_recovery() AS r")).rows[0].r === true;
  }

  /**
   * Makes a standby the primary (PostgreSQL's own promotion: pg_promote),
   * waiting until it accepts writes; then brings its schema up to date.
   * Refused while its primary still streams to it (unless forced): the old
   * primary would go on taking writes the new one never sees.
   */
  async promote(opts: { force?: boolean } = {}): Promise<void> {
    if (!(await this.inRecovery())) {
      this.standby = false;
      return;
    }
    if (!opts.force) {
      const w = (await this.pool.query("SELECT status, sender_host, sender_port FROM pg_stat_wal_receiver")).rows[0] as
        | { status: string | null; sender_host: string | null; sender_port: number | null }
        | undefined;
      // Without the rights to read it, status is null: a running WAL receiver is taken as a live primary.
      if (w && (w.status === "streaming" || w.status === null)) {
        const at = w.sender_host ? `${w.sender_host}${w.sender_port ? `:${w.sender_port}` : ""}` : "(its address hidden from this role)";
        throw new ConflictError(`the registry's primary ${at} still streams to this standby: promoting now would make two primaries. Stop the primary first`, {
          remedy: { option: "force", or: true },
        });
      }
    }
    const r = await this.pool.query("SELECT pg_promote(true, 60) AS ok");
    if (r.rows[0].ok !== true) throw new InfraError(`the registry ${this.location} did not finish its promotion within 60 s`);
    this.standby = false;
    await this.migrate();
  }

  static async open(url: string): Promise<PostgresRegistry> {
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    pool.on("error", () => {}); // an idle client's error surfaces on the next query
    const r = new PostgresRegistry(url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@"), pool);
    try {
      r.standby = await r.inRecovery();
      // A standby's schema is the primary's, replicated: it is checked, never migrated.
      if (r.standby) await r.checkSchema();
      else await r.migrate();
    } catch (err) {
      await pool.end().catch(() => {});
      const e = err as { code?: string; message: string };
      throw new InfraError(`cannot use the registry ${r.location}: ${e.message.split("\n")[0]}${e.code ? ` (${e.code})` : ""}`);
    }
    return r;
  }

  private async tx<T>(locks: string[], fn: (q: Q) => Promise<T>): Promise<T> {
    const q = await this.pool.connect();
    try {
      await q.query("BEGIN");
      // Read-then-write work on an environment waits for any other on the same one.
      for (const k of [...new Set(locks)].sort()) await q.query("SELECT pg_advisory_xact_lock(hashtext($1))", [k]);
      const out = await fn(q);
      await q.query("COMMIT");
      return out;
    } catch (err) {
      await q.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      q.release();
    }
  }

  private async checkSchema(): Promise<void> {
    const have = Number((await this.pool.query("SELECT max(version) AS v FROM infra_schema")).rows[0]?.v ?? 0);
    if (have > PG_MIGRATIONS.length)
      throw new InfraError(`the registry was written by a newer infra (schema ${have}, this one knows ${PG_MIGRATIONS.length}): upgrade infra`);
  }

  private async migrate(): Promise<void> {
    await this.tx(["infra:migrate"], async (q) => {
      await q.query("CREATE TABLE IF NOT EXISTS infra_schema (version INTEGER NOT NULL)");
      const have = Number((await q.query("SELECT max(version) AS v FROM infra_schema")).rows[0]?.v ?? 0);
      if (have > PG_MIGRATIONS.length) {
        throw new InfraError(`the registry was written by a newer infra (schema ${have}, this one knows ${PG_MIGRATIONS.length}): upgrade infra`);
      }
      for (let v = have; v < PG_MIGRATIONS.length; v++) {
        await q.query(PG_MIGRATIONS[v]!);
        await q.query("INSERT INTO infra_schema (version) VALUES ($1)", [v + 1]);
      }
    });
  }

  private async envRow(q: Q | pg.Pool, name: string): Promise<Row | undefined> {
    return (await q.query("SELECT * FROM environments WHERE name = $1", [name])).rows[0] as Row | undefined;
  }

  private async must(q: Q | pg.Pool, name: string): Promise<Row> {
    const row = await this.envRow(q, name);
    if (!row) throw refusals.noEnvironment(name);
    return row;
  }

  private async tagsOf(q: Q | pg.Pool, envId: string): Promise<Record<string, string>> {
    const rows = (await q.query("SELECT key, value FROM tags WHERE env_id = $1 ORDER BY key", [envId])).rows as Row[];
    return Object.fromEntries(rows.map((r) => [r.key as string, r.value as string]));
  }

  private async toEnvironment(q: Q | pg.Pool, row: Row): Promise<Environment> {
    return {
      id: row.id as string,
      name: row.name as string,
      description: row.description as string,
      template: { id: row.template_id as string, version: row.template_version as string, source: row.template_source as string },
      location: row.location as string,
      status: row.status as Status,
      params: JSON.parse(row.params as string) as Record<string, unknown>,
      tags: await this.tagsOf(q, row.id as string),
      outputs: JSON.parse(row.outputs as string) as Record<string, OutputValue>,
      createdAt: row.created_at as string,
      updatedAt: row.updated_at as string,
      ...(row.destroyed_at ? { destroyedAt: row.destroyed_at as string } : {}),
      ...(row.expires_at ? { expiresAt: row.expires_at as string } : {}),
    };
  }

  async get(name: string): Promise<Environment | undefined> {
    const row = await this.envRow(this.pool, name);
    return row && this.toEnvironment(this.pool, row);
  }

  async list(q: ListQuery = {}): Promise<{ items: EnvironmentSummary[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (q.status) where.push(`e.status = ${arg(q.status)}`);
    for (const [k, v] of Object.entries(q.tags ?? {})) {
      where.push(`EXISTS (SELECT 1 FROM tags t WHERE t.env_id = e.id AND t.key = ${arg(k)} AND t.value = ${arg(v)})`);
    }
    if (q.search) {
      const query = tsQuery(q.search);
      if (query) where.push(`to_tsvector('simple', e.search_words) @@ to_tsquery('simple', ${arg(query)})`);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = Number((await this.pool.query(`SELECT count(*) AS n FROM environments e ${clause}`, args)).rows[0].n);
    const limit = q.limit === 0 ? null : (q.limit ?? 50);
    const rows = (
      await this.pool.query(
        `SELECT e.*, (SELECT json_object_agg(key, value) FROM tags t WHERE t.env_id = e.id) AS tag_map
         FROM environments e ${clause} ORDER BY e.created_at DESC, e.name LIMIT ${arg(limit)} OFFSET ${arg(q.offset ?? 0)}`,
        args,
      )
    ).rows as Row[];
    const items = rows.map((r) => ({
      name: r.name as string,
      status: r.status as Status,
      template: { id: r.template_id as string, version: r.template_version as string, source: r.template_source as string },
      createdAt: r.created_at as string,
      description: r.description as string,
      ...(r.expires_at ? { expiresAt: r.expires_at as string } : {}),
      tags: Object.fromEntries(Object.entries((r.tag_map as Record<string, string> | null) ?? {}).sort(([a], [b]) => a.localeCompare(b))),
    }));
    return { items, total };
  }

  private async insertEnvironment(q: Q, env: NewEnvironment, operationId: string): Promise<void> {
    const at = now();
    const existing = await this.envRow(q, env.name);
    if (existing && existing.status !== "destroyed") {
      throw refusals.exists(env.name, existing.status as string);
    }
    const id = (existing?.id as string | undefined) ?? randomUUID();
    const words = searchWords(env.name, env.description, env.tags);
    const values = [
      env.description,
      env.template.id,
      env.template.version,
      env.template.source,
      env.location,
      JSON.stringify(env.params),
      at,
      env.expiresAt ?? null,
      words,
      id,
    ];
    if (existing) {
      await q.query(
        `UPDATE environments SET description = $1, template_id = $2, template_version = $3, template_source = $4, location = $5,
           status = 'deploying', params = $6, outputs = '{}', created_at = $7, updated_at = $7, destroyed_at = NULL, expires_at = $8,
           search_words = $9 WHERE id = $10`,
        values,
      );
      await q.query("DELETE FROM tags WHERE env_id = $1", [id]);
    } else {
      await q.query(
        `INSERT INTO environments (description, template_id, template_version, template_source, location, status, params,
           created_at, updated_at, expires_at, search_words, id, name)
         VALUES ($1, $2, $3, $4, $5, 'deploying', $6, $7, $7, $8, $9, $10, $11)`,
        [...values, env.name],
      );
    }
    for (const [k, v] of Object.entries(env.tags)) await q.query("INSERT INTO tags (env_id, key, value) VALUES ($1, $2, $3)", [id, k, v]);
    await q.query("INSERT INTO transitions (env_id, from_status, to_status, at, operation_id, reason) VALUES ($1, $2, 'deploying', $3, $4, $5)", [
      id,
      existing ? "destroyed" : "new",
      at,
      operationId,
      existing ? "created again" : "created",
    ]);
  }

  async create(env: NewEnvironment, operationId: string): Promise<Environment> {
    await this.tx([`env:${env.name}`], (q) => this.insertEnvironment(q, env, operationId));
    return (await this.get(env.name))!;
  }

  private async move(q: Q, row: Row, to: Status, t: { operationId?: string; reason?: string }): Promise<void> {
    const from = row.status as Status;
    if (from === to) return;
    assertMove(row.name as string, from, to);
    const at = now();
    await q.query("UPDATE environments SET status = $1, updated_at = $2, destroyed_at = $3 WHERE id = $4", [to, at, to === "destroyed" ? at : null, row.id]);
    await q.query("INSERT INTO transitions (env_id, from_status, to_status, at, operation_id, reason) VALUES ($1, $2, $3, $4, $5, $6)", [
      row.id,
      from,
      to,
      at,
      t.operationId ?? null,
      t.reason ?? null,
    ]);
    row.status = to;
  }

  async transition(name: string, to: Status, t: { operationId?: string; reason?: string }): Promise<void> {
    await this.tx([`env:${name}`], async (q) => this.move(q, await this.must(q, name), to, t));
  }

  private async patch(q: Q, row: Row, patch: { params?: Record<string, unknown>; template?: TemplateRef }): Promise<void> {
    const tpl = patch.template;
    await q.query(
      `UPDATE environments SET params = coalesce($1, params), template_id = coalesce($2, template_id),
         template_version = coalesce($3, template_version), template_source = coalesce($4, template_source), updated_at = $5 WHERE id = $6`,
      [patch.params ? JSON.stringify(patch.params) : null, tpl?.id ?? null, tpl?.version ?? null, tpl?.source ?? null, now(), row.id],
    );
  }

  async update(name: string, patch: { params?: Record<string, unknown>; template?: TemplateRef }): Promise<void> {
    await this.tx([`env:${name}`], async (q) => this.patch(q, await this.must(q, name), patch));
  }

  async setOutputs(name: string, outputs: Record<string, OutputValue>): Promise<void> {
    await this.tx([`env:${name}`], async (q) => {
      await q.query("UPDATE environments SET outputs = $1, updated_at = $2 WHERE id = $3", [
        JSON.stringify(safeOutputs(outputs)),
        now(),
        (await this.must(q, name)).id,
      ]);
    });
  }

  async setExpiry(name: string, expiresAt: string | undefined, who: string): Promise<void> {
    await this.tx([`env:${name}`], async (q) => {
      const id = (await this.must(q, name)).id;
      await q.query("UPDATE environments SET expires_at = $1, updated_at = $2 WHERE id = $3", [expiresAt ?? null, now(), id]);
      await q.query("INSERT INTO audit (at, who, action, env_id, detail) VALUES ($1, $2, $3, $4, $5)", [
        now(),
        who,
        "expiry",
        id,
        JSON.stringify({ expiresAt: expiresAt ?? null }),
      ]);
    });
  }

  private async writeResources(q: Q, id: string, resources: ResourceRecord[]): Promise<void> {
    await q.query("DELETE FROM resources WHERE env_id = $1", [id]);
    await q.query("DELETE FROM resource_deps WHERE env_id = $1", [id]);
    for (const r of resources) {
      await q.query("INSERT INTO resources (env_id, urn, type, name, provider_id, parent, component, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
        id,
        r.urn,
        r.type,
        r.name,
        r.providerId ?? null,
        r.parent ?? null,
        r.component ?? null,
        r.status,
      ]);
      for (const d of r.dependsOn) {
        await q.query("INSERT INTO resource_deps (env_id, urn, depends_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [id, r.urn, d]);
      }
    }
  }

  async setResources(name: string, resources: ResourceRecord[]): Promise<void> {
    await this.tx([`env:${name}`], async (q) => this.writeResources(q, (await this.must(q, name)).id as string, resources));
  }

  async resources(name: string): Promise<ResourceRecord[]> {
    const id = (await this.must(this.pool, name)).id;
    const deps = new Map<string, string[]>();
    for (const d of (await this.pool.query("SELECT urn, depends_on FROM resource_deps WHERE env_id = $1", [id])).rows as Row[]) {
      deps.set(d.urn as string, [...(deps.get(d.urn as string) ?? []), d.depends_on as string]);
    }
    const rows = (await this.pool.query("SELECT * FROM resources WHERE env_id = $1 ORDER BY seq", [id])).rows as Row[];
    return rows.map((r) => toResource(r, deps.get(r.urn as string) ?? []));
  }

  async history(name: string): Promise<Transition[]> {
    const rows = (await this.pool.query("SELECT * FROM transitions WHERE env_id = $1 ORDER BY seq", [(await this.must(this.pool, name)).id])).rows as Row[];
    return rows.map(toTransition);
  }

  private async addDependencies(q: Q, name: string, deps: { name: string; reason: string }[], replace: boolean): Promise<void> {
    const a = (await this.must(q, name)).id;
    if (replace) await q.query("DELETE FROM env_deps WHERE env_id = $1", [a]);
    for (const d of deps) {
      const b = (await this.must(q, d.name)).id;
      if (a === b) throw new InfraError(`environment ${name} cannot depend on itself`, "usage");
      await q.query("INSERT INTO env_deps (env_id, depends_on, reason) VALUES ($1, $2, $3) ON CONFLICT (env_id, depends_on) DO UPDATE SET reason = $3", [
        a,
        b,
        d.reason,
      ]);
    }
  }

  async addDependency(name: string, dependsOn: string, reason: string): Promise<void> {
    await this.tx([`env:${name}`], (q) => this.addDependencies(q, name, [{ name: dependsOn, reason }], false));
  }

  async dependencies(name: string): Promise<string[]> {
    const id = (await this.must(this.pool, name)).id;
    const rows = (await this.pool.query("SELECT e.name FROM env_deps d JOIN environments e ON e.id = d.depends_on WHERE d.env_id = $1 ORDER BY e.name", [id]))
      .rows;
    return rows.map((r: Row) => r.name as string);
  }

  async appliedInputs(name: string): Promise<string | undefined> {
    return ((await this.must(this.pool, name)).applied_inputs as string | null) ?? undefined;
  }

  async dependencyEdges(): Promise<{ from: string; to: string; reason: string }[]> {
    const rows = (
      await this.pool.query(
        "SELECT a.name AS source, b.name AS target, d.reason FROM env_deps d JOIN environments a ON a.id = d.env_id JOIN environments b ON b.id = d.depends_on ORDER BY a.name, b.name",
      )
    ).rows as Row[];
    return rows.map((r) => ({ from: r.source as string, to: r.target as string, reason: r.reason as string }));
  }

  async dependents(name: string): Promise<string[]> {
    const id = (await this.must(this.pool, name)).id;
    const rows = (
      await this.pool.query(
        "SELECT e.name FROM env_deps d JOIN environments e ON e.id = d.env_id WHERE d.depends_on = $1 AND e.status != 'destroyed' ORDER BY e.name",
        [id],
      )
    ).rows;
    return rows.map((r: Row) => r.name as string);
  }

  private async insertOperation(q: Q, name: string, o: Begin["operation"]): Promise<void> {
    await q.query("INSERT INTO operations (id, env_id, kind, started_at, result, who, events_file, params) VALUES ($1, $2, $3, $4, 'running', $5, $6, $7)", [
      o.id,
      (await this.must(q, name)).id,
      o.kind,
      now(),
      o.who,
      o.eventsFile ?? null,
      o.params ? JSON.stringify(o.params) : null,
    ]);
  }

  async startOperation(name: string, kind: Operation, who: string, eventsFile?: string, id?: string): Promise<OperationRecord> {
    const opId = id ?? randomUUID();
    await this.tx([`env:${name}`], (q) => this.insertOperation(q, name, { id: opId, kind, who, ...(eventsFile !== undefined && { eventsFile }) }));
    return (await this.operation(opId))!;
  }

  async finishOperation(id: string, r: { result: OperationResult; summary?: Record<string, number>; message?: string }): Promise<void> {
    await this.pool.query("UPDATE operations SET ended_at = $1, result = $2, summary = $3, message = $4 WHERE id = $5", [
      now(),
      r.result,
      r.summary ? JSON.stringify(r.summary) : null,
      r.message ?? null,
      id,
    ]);
  }

  async begin(name: string, b: Begin): Promise<OperationRecord> {
    await this.tx([`env:${name}`], async (q) => {
      if (b.create) await this.insertEnvironment(q, b.create, b.operation.id);
      if (b.dependsOn) await this.addDependencies(q, name, b.dependsOn, true);
      await this.insertOperation(q, name, b.operation);
      await this.insertOutbox(q, b.notify);
    });
    return (await this.operation(b.operation.id))!;
  }

  async commit(name: string, operationId: string, c: Commit): Promise<void> {
    await this.tx([`env:${name}`], async (q) => {
      const row = await this.must(q, name);
      if (c.status) await this.move(q, row, c.status, { operationId, ...(c.reason !== undefined && { reason: c.reason }) });
      if (c.params || c.template) await this.patch(q, row, c);
      if (c.params || c.template || c.inputs !== undefined)
        await q.query("UPDATE environments SET applied_inputs = $1 WHERE id = $2", [c.inputs ?? null, row.id]);
      if (c.outputs)
        await q.query("UPDATE environments SET outputs = $1, updated_at = $2 WHERE id = $3", [JSON.stringify(safeOutputs(c.outputs)), now(), row.id]);
      if (c.resources) await this.writeResources(q, row.id as string, c.resources);
      if (c.dependsOn) await this.addDependencies(q, name, c.dependsOn, true);
      await q.query("UPDATE operations SET ended_at = $1, result = $2, summary = $3, message = $4 WHERE id = $5", [
        now(),
        c.result,
        c.summary ? JSON.stringify(c.summary) : null,
        c.message ?? null,
        operationId,
      ]);
      await q.query("INSERT INTO audit (at, who, action, env_id, detail) VALUES ($1, $2, $3, $4, $5)", [
        now(),
        c.audit.who,
        c.audit.action,
        row.id,
        JSON.stringify(c.audit.detail),
      ]);
      await this.insertOutbox(q, c.notify);
    });
  }

  async operations(name: string): Promise<OperationRecord[]> {
    const id = (await this.must(this.pool, name)).id;
    const rows = (
      await this.pool.query("SELECT o.*, e.name FROM operations o JOIN environments e ON e.id = o.env_id WHERE o.env_id = $1 ORDER BY o.started_at, o.seq", [
        id,
      ])
    ).rows;
    return rows.map((r: Row) => toOperation(r));
  }

  async auditLog(f: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.environment !== undefined) {
      args.push((await this.must(this.pool, f.environment)).id);
      where.push(`a.env_id = $${args.length}`);
    }
    if (f.action !== undefined) {
      args.push(f.action);
      where.push(`a.action = $${args.length}`);
    }
    if (f.who !== undefined) {
      args.push(f.who);
      where.push(`a.who = $${args.length}`);
    }
    if (f.since !== undefined) {
      args.push(f.since);
      where.push(`a.at >= $${args.length}`);
    }
    if (f.before !== undefined) {
      args.push(f.before);
      where.push(`a.seq < $${args.length}`);
    }
    args.push(Math.min(f.limit ?? 100, 1000));
    const rows = (
      await this.pool.query(
        `SELECT a.*, e.name FROM audit a LEFT JOIN environments e ON e.id = a.env_id ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.seq DESC LIMIT $${args.length}`,
        args,
      )
    ).rows as Row[];
    return rows.map(toAudit);
  }

  async operation(id: string): Promise<OperationRecord | undefined> {
    const r = (await this.pool.query("SELECT o.*, e.name FROM operations o JOIN environments e ON e.id = o.env_id WHERE o.id = $1", [id])).rows[0] as
      | Row
      | undefined;
    return r && toOperation(r);
  }

  async lock(name: string, owner: Omit<LockOwner, "acquiredAt" | "heartbeatAt">): Promise<void> {
    await this.tx([`lock:${name}`], async (q) => {
      const held = (await q.query("SELECT * FROM locks WHERE env_name = $1", [name])).rows[0] as Row | undefined;
      if (held) {
        const holder = toLock(held);
        if (!isStale(holder)) {
          throw refusals.locked(name, holder);
        }
        await this.release(q, holder, name);
      }
      const at = now();
      await q.query(
        "INSERT INTO locks (env_name, operation_id, owner, host, pid, acquired_at, heartbeat_at, started, node) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
        [name, owner.operationId, owner.owner, owner.host, owner.pid, at, owner.started ?? "", owner.node ?? ""],
      );
    });
  }

  /** Drops a lock whose owner is gone (inside the caller's transaction), as the SQLite registry does. */
  private async release(q: Q, holder: LockOwner, name: string): Promise<void> {
    const at = now();
    await q.query("DELETE FROM locks WHERE env_name = $1", [name]);
    await q.query("UPDATE operations SET result = 'interrupted', ended_at = $1, message = $2 WHERE id = $3 AND result = 'running'", [
      at,
      `the run (pid ${holder.pid} on ${holder.host}) ended without finishing`,
      holder.operationId,
    ]);
    const env = await this.envRow(q, name);
    if (env && isMidFlight(env.status as string)) {
      await q.query("UPDATE environments SET status = 'interrupted', updated_at = $1 WHERE id = $2", [at, env.id]);
      await q.query("INSERT INTO transitions (env_id, from_status, to_status, at, operation_id, reason) VALUES ($1, $2, 'interrupted', $3, $4, $5)", [
        env.id,
        env.status,
        at,
        holder.operationId,
        `pid ${holder.pid} on ${holder.host} ended during the operation`,
      ]);
    }
    await q.query("INSERT INTO audit (at, who, action, env_id, detail) VALUES ($1, $2, 'lock-reaped', $3, $4)", [
      at,
      holder.owner,
      env?.id ?? null,
      JSON.stringify(holder),
    ]);
  }

  async reapStale(): Promise<{ environment: string; operationId: string }[]> {
    const stale = ((await this.pool.query("SELECT * FROM locks")).rows as Row[]).filter((r) => isStale(toLock(r)));
    const reaped: { environment: string; operationId: string }[] = [];
    for (const row of stale) {
      const name = row.env_name as string;
      await this.tx([`lock:${name}`], async (q) => {
        const held = (await q.query("SELECT * FROM locks WHERE env_name = $1", [name])).rows[0] as Row | undefined;
        if (!held || !isStale(toLock(held))) return;
        await this.release(q, toLock(held), name);
        reaped.push({ environment: name, operationId: held.operation_id as string });
      });
    }
    return reaped;
  }

  async heartbeat(name: string, operationId: string): Promise<boolean> {
    const r = await this.pool.query("UPDATE locks SET heartbeat_at = $1 WHERE env_name = $2 AND operation_id = $3", [now(), name, operationId]);
    return r.rowCount === 1;
  }

  async forceUnlock(name: string, who: string, reason: string): Promise<LockOwner | undefined> {
    return this.tx([`lock:${name}`], async (q) => {
      const held = (await q.query("SELECT * FROM locks WHERE env_name = $1", [name])).rows[0] as Row | undefined;
      if (!held) return undefined;
      const removed = toLock(held);
      await this.release(q, removed, name);
      const env = await this.envRow(q, name);
      await q.query("INSERT INTO audit (at, who, action, env_id, detail) VALUES ($1, $2, 'lock-forced', $3, $4)", [
        now(),
        who,
        env?.id ?? null,
        JSON.stringify({ ...removed, reason }),
      ]);
      return removed;
    });
  }

  async unlock(name: string, operationId: string): Promise<void> {
    await this.pool.query("DELETE FROM locks WHERE env_name = $1 AND operation_id = $2", [name, operationId]);
  }

  async lockHolder(name: string): Promise<LockOwner | undefined> {
    const row = (await this.pool.query("SELECT * FROM locks WHERE env_name = $1", [name])).rows[0] as Row | undefined;
    return row && toLock(row);
  }

  async audit(who: string, action: string, environment: string | undefined, detail: Record<string, unknown>): Promise<void> {
    const envId = environment ? ((await this.envRow(this.pool, environment))?.id ?? null) : null;
    await this.pool.query("INSERT INTO audit (at, who, action, env_id, detail) VALUES ($1, $2, $3, $4, $5)", [
      now(),
      who,
      action,
      envId,
      JSON.stringify(detail),
    ]);
  }

  async createToken(t: { name: string; hash: string; role: TokenRole }, who: string): Promise<void> {
    await this.tx([`token:${t.name}`], async (q) => {
      if ((await q.query("SELECT 1 FROM tokens WHERE name = $1", [t.name])).rowCount) throw refusals.tokenExists(t.name);
      await q.query("INSERT INTO tokens (name, hash, role, created_at, created_by) VALUES ($1, $2, $3, $4, $5)", [t.name, t.hash, t.role, now(), who]);
      await q.query("INSERT INTO audit (at, who, action, env_id, detail) VALUES ($1, $2, $3, NULL, $4)", [
        now(),
        who,
        "token-created",
        JSON.stringify({ name: t.name, role: t.role }),
      ]);
    });
  }

  async tokenByHash(hash: string): Promise<TokenRecord | undefined> {
    const r = (await this.pool.query("SELECT * FROM tokens WHERE hash = $1 AND revoked_at IS NULL", [hash])).rows[0] as Row | undefined;
    return r ? tokenRecord(r) : undefined;
  }

  async tokens(): Promise<TokenRecord[]> {
    return ((await this.pool.query("SELECT * FROM tokens ORDER BY name")).rows as Row[]).map(tokenRecord);
  }

  async revokeToken(name: string, who: string): Promise<void> {
    await this.tx([`token:${name}`], async (q) => {
      const r = await q.query("UPDATE tokens SET revoked_at = coalesce(revoked_at, $1) WHERE name = $2", [now(), name]);
      if (!r.rowCount) throw refusals.noToken(name);
      await q.query("INSERT INTO audit (at, who, action, env_id, detail) VALUES ($1, $2, $3, NULL, $4)", [
        now(),
        who,
        "token-revoked",
        JSON.stringify({ name }),
      ]);
    });
  }

  async idempotent(scope: string, key: string): Promise<IdempotentRecord | undefined> {
    const row = (await this.pool.query("SELECT operation_id, fingerprint FROM idempotency WHERE scope = $1 AND key = $2", [scope, key])).rows[0] as
      | Row
      | undefined;
    return row && idempotentRecord(row);
  }

  async rememberIdempotent(scope: string, key: string, operationId: string, fingerprint?: string): Promise<IdempotentRecord> {
    await this.pool.query("INSERT INTO idempotency (scope, key, operation_id, created_at, fingerprint) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", [
      scope,
      key,
      operationId,
      now(),
      fingerprint ?? null,
    ]);
    return (await this.idempotent(scope, key))!;
  }

  private async insertOutbox(q: Q, notifications: Notification[] | undefined): Promise<void> {
    for (const n of notifications ?? []) {
      await q.query("INSERT INTO outbox (id, routing_key, body, headers, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", [
        n.id,
        n.key,
        JSON.stringify(n.body),
        headersText(n),
        now(),
      ]);
    }
  }

  async enqueue(notifications: Notification[]): Promise<void> {
    await this.tx([], (q) => this.insertOutbox(q, notifications));
  }

  async unsent(limit: number): Promise<OutboxEntry[]> {
    return ((await this.pool.query("SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1", [limit])).rows as Row[]).map(outboxEntry);
  }

  async markSent(ids: string[]): Promise<void> {
    await this.tx([], async (q) => {
      await q.query("UPDATE outbox SET sent_at = $1 WHERE id = ANY($2)", [now(), ids]);
      await q.query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1", [new Date(Date.now() - OUTBOX_KEEP_MS).toISOString()]);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

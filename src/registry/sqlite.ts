// The embedded registry: one SQLite file (WAL, mode 0600) under the infra home.
import Database from "better-sqlite3";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { InfraError } from "../core/errors.js";
import { assertMove, isMidFlight, type Operation, type Status } from "../core/status.js";
import { MIGRATIONS } from "./migrations.js";
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

/**
 * The addon's exact path, when it is where node-gyp builds it: the package's
 * default lookup (the `bindings` module) probes a dozen paths, ~3 ms at every
 * start of every command.
 */
function addon(): Database.Options {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json"));
    const file = join(dir, "build", "Release", "better_sqlite3.node");
    return existsSync(file) ? { nativeBinding: file } : {};
  } catch {
    return {};
  }
}

// Every transaction here that reads before it writes starts IMMEDIATE: in WAL
// mode a deferred one that must upgrade to a writer while another process
// commits fails at once with SQLITE_BUSY, whatever the busy timeout.
// The global Web Crypto: node:crypto is loaded on the first id, not at start
// (reads, like env list and show, never need one).
const randomUUID = () => globalThis.crypto.randomUUID();
const now = () => new Date().toISOString();

export class SqliteRegistry implements Registry, RegistryFixtures {
  private db: Database.Database;

  constructor(readonly location: string) {
    const fresh = !existsSync(location);
    if (fresh) mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
    try {
      this.db = this.open(location, fresh);
    } catch (err) {
      const code = (err as { code?: string }).code ?? "";
      if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
        throw new InfraError(
          `the registry ${location} is not a readable SQLite database (${code}): restore it from a backup, or move it away to start an empty registry`,
        );
      }
      if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY" || code === "SQLITE_PERM") {
        throw new InfraError(`cannot open the registry ${location} (${code}): check the file and folder permissions`);
      }
      throw err;
    }
  }

  /**
   * Opens the file, switches it to WAL and migrates it. Switching a new file
   * to WAL while another process opens it can fail at once with SQLITE_BUSY,
   * busy timeout or not (two first commands at once, under load): try again.
   */
  private open(location: string, fresh: boolean): Database.Database {
    for (let attempt = 1; ; attempt++) {
      const db = new Database(location, addon());
      try {
        if (fresh) chmodSync(location, 0o600);
        // First: two processes opening a new registry at once wait for each other.
        db.pragma("busy_timeout = 5000");
        db.pragma("journal_mode = WAL");
        db.pragma("foreign_keys = ON");
        this.db = db;
        this.migrate();
        return db;
      } catch (err) {
        db.close();
        if ((err as { code?: string }).code !== "SQLITE_BUSY" || attempt >= 50) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.floor(Math.random() * 80));
      }
    }
  }

  private migrate(): void {
    const version = () => this.db.pragma("user_version", { simple: true }) as number;
    if (version() === MIGRATIONS.length) return;
    // Read the version again under the write lock: another process may have
    // migrated while this one waited (two first commands at once).
    this.db
      .transaction(() => {
        const have = version();
        if (have > MIGRATIONS.length) {
          throw new InfraError(
            `the registry ${this.location} was written by a newer infra (schema ${have}, this one knows ${MIGRATIONS.length}): upgrade infra`,
          );
        }
        for (let v = have; v < MIGRATIONS.length; v++) {
          this.db.exec(MIGRATIONS[v]!);
          this.db.pragma(`user_version = ${v + 1}`);
        }
      })
      .immediate();
  }

  private envRow(name: string): Row | undefined {
    return this.db.prepare("SELECT rowid, * FROM environments WHERE name = ?").get(name) as Row | undefined;
  }

  private must(name: string): Row {
    const row = this.envRow(name);
    if (!row) throw refusals.noEnvironment(name);
    return row;
  }

  private tagsOf(envId: string): Record<string, string> {
    const rows = this.db.prepare("SELECT key, value FROM tags WHERE env_id = ? ORDER BY key").all(envId) as Row[];
    return Object.fromEntries(rows.map((r) => [r.key as string, r.value as string]));
  }

  private index(row: Row, tags: Record<string, string>): void {
    const rowid = row.rowid as number;
    this.db.prepare("DELETE FROM env_search WHERE rowid = ?").run(rowid);
    const tagText = Object.entries(tags)
      .map(([k, v]) => `${k} ${v}`)
      .join(" ");
    this.db.prepare("INSERT INTO env_search (rowid, name, description, tags) VALUES (?, ?, ?, ?)").run(rowid, row.name, row.description, tagText);
  }

  private toEnvironment(row: Row): Environment {
    return {
      id: row.id as string,
      name: row.name as string,
      description: row.description as string,
      template: { id: row.template_id as string, version: row.template_version as string, source: row.template_source as string },
      location: row.location as string,
      status: row.status as Status,
      params: JSON.parse(row.params as string) as Record<string, unknown>,
      tags: this.tagsOf(row.id as string),
      outputs: JSON.parse(row.outputs as string) as Record<string, OutputValue>,
      createdAt: row.created_at as string,
      updatedAt: row.updated_at as string,
      ...(row.destroyed_at ? { destroyedAt: row.destroyed_at as string } : {}),
      ...(row.expires_at ? { expiresAt: row.expires_at as string } : {}),
    };
  }

  async get(name: string): Promise<Environment | undefined> {
    const row = this.envRow(name);
    return row && this.toEnvironment(row);
  }

  async list(q: ListQuery = {}): Promise<{ items: EnvironmentSummary[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.status) {
      where.push("e.status = ?");
      args.push(q.status);
    }
    // A tag filter is written twice: counting is cheaper through the tag index
    // (IN), and a page cheaper walking environments newest first (EXISTS).
    const TAG = "\u0000tag";
    for (const [k, v] of Object.entries(q.tags ?? {})) {
      where.push(TAG);
      args.push(k, v);
    }
    if (q.search) {
      const match = ftsQuery(q.search);
      if (match) {
        where.push("e.rowid IN (SELECT rowid FROM env_search WHERE env_search MATCH ?)");
        args.push(match);
      }
    }
    const clauseWith = (tag: string) => (where.length ? `WHERE ${where.map((w) => (w === TAG ? tag : w)).join(" AND ")}` : "");
    const clause = clauseWith("EXISTS (SELECT 1 FROM tags t WHERE t.env_id = e.id AND t.key = ? AND t.value = ?)");
    const counted = clauseWith("e.id IN (SELECT env_id FROM tags WHERE key = ? AND value = ?)");
    // Tags alone (the common filter) count straight from the tag index: one row per environment and
    // key, each naming a live row (a foreign key), so no environment need be looked up (~50x faster).
    const tagsOnly = where.length > 0 && where.every((w) => w === TAG);
    const total = (
      tagsOnly
        ? this.db
            .prepare(`SELECT count(*) AS n FROM (${where.map(() => "SELECT env_id FROM tags WHERE key = ? AND value = ?").join(" INTERSECT ")})`)
            .get(...args)
        : this.db.prepare(`SELECT count(*) AS n FROM environments e ${counted}`).get(...args)
    ) as Row;
    const limit = q.limit === 0 ? -1 : (q.limit ?? 50);
    const rows = this.db
      .prepare(
        `SELECT e.id, e.name, e.status, e.template_id, e.template_version, e.template_source, e.created_at,
                e.expires_at, e.description,
                (SELECT group_concat(key || '=' || value, char(31)) FROM tags t WHERE t.env_id = e.id) AS tags
         FROM environments e ${clause} ORDER BY e.created_at DESC, e.name LIMIT ? OFFSET ?`,
      )
      .all(...args, limit, q.offset ?? 0) as Row[];
    const items = rows.map((r) => ({
      name: r.name as string,
      status: r.status as Status,
      template: { id: r.template_id as string, version: r.template_version as string, source: r.template_source as string },
      createdAt: r.created_at as string,
      description: r.description as string,
      ...(r.expires_at ? { expiresAt: r.expires_at as string } : {}),
      tags: Object.fromEntries(
        ((r.tags as string | null) ?? "")
          .split("\u001f")
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
      ),
    }));
    return { items, total: total.n as number };
  }

  async create(env: NewEnvironment, operationId: string): Promise<Environment> {
    this.db.transaction(() => this.insertEnvironment(env, operationId)).immediate();
    return (await this.get(env.name))!;
  }

  private insertEnvironment(env: NewEnvironment, operationId: string): void {
    const at = now();
    const existing = this.envRow(env.name);
    if (existing && existing.status !== "destroyed") {
      throw refusals.exists(env.name, existing.status as string);
    }
    const id = (existing?.id as string | undefined) ?? randomUUID();
    if (existing) {
      this.db
        .prepare(
          `UPDATE environments SET description = ?, template_id = ?, template_version = ?, template_source = ?,
             location = ?, status = 'deploying', params = ?, outputs = '{}', created_at = ?, updated_at = ?,
             destroyed_at = NULL, expires_at = ? WHERE id = ?`,
        )
        .run(
          env.description,
          env.template.id,
          env.template.version,
          env.template.source,
          env.location,
          JSON.stringify(env.params),
          at,
          at,
          env.expiresAt ?? null,
          id,
        );
      this.db.prepare("DELETE FROM tags WHERE env_id = ?").run(id);
    } else {
      this.db
        .prepare(
          `INSERT INTO environments (id, name, description, template_id, template_version, template_source, location,
             status, params, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'deploying', ?, ?, ?, ?)`,
        )
        .run(
          id,
          env.name,
          env.description,
          env.template.id,
          env.template.version,
          env.template.source,
          env.location,
          JSON.stringify(env.params),
          at,
          at,
          env.expiresAt ?? null,
        );
    }
    const tag = this.db.prepare("INSERT INTO tags (env_id, key, value) VALUES (?, ?, ?)");
    for (const [k, v] of Object.entries(env.tags)) tag.run(id, k, v);
    this.db
      .prepare("INSERT INTO transitions (env_id, from_status, to_status, at, operation_id, reason) VALUES (?, ?, 'deploying', ?, ?, ?)")
      .run(id, existing ? "destroyed" : "new", at, operationId, existing ? "created again" : "created");
    this.index(this.envRow(env.name)!, env.tags);
  }

  async begin(name: string, b: Begin): Promise<OperationRecord> {
    this.db
      .transaction(() => {
        if (b.create) this.insertEnvironment(b.create, b.operation.id);
        if (b.dependsOn) this.replaceDependencies(name, b.dependsOn);
        this.insertOperation(name, b.operation);
        this.insertOutbox(b.notify);
      })
      .immediate();
    return (await this.operation(b.operation.id))!;
  }

  async commit(name: string, operationId: string, c: Commit): Promise<void> {
    this.db
      .transaction(() => {
        const row = this.must(name);
        if (c.status) this.move(row, c.status, { operationId, ...(c.reason !== undefined && { reason: c.reason }) });
        if (c.params || c.template) this.patch(row, c);
        if (c.params || c.template || c.inputs !== undefined)
          this.db.prepare("UPDATE environments SET applied_inputs = ? WHERE id = ?").run(c.inputs ?? null, row.id);
        if (c.outputs)
          this.db.prepare("UPDATE environments SET outputs = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(safeOutputs(c.outputs)), now(), row.id);
        if (c.resources) this.writeResources(row.id as string, c.resources);
        if (c.dependsOn) this.replaceDependencies(name, c.dependsOn);
        this.db
          .prepare("UPDATE operations SET ended_at = ?, result = ?, summary = ?, message = ? WHERE id = ?")
          .run(now(), c.result, c.summary ? JSON.stringify(c.summary) : null, c.message ?? null, operationId);
        this.db
          .prepare("INSERT INTO audit (at, who, action, env_id, detail) VALUES (?, ?, ?, ?, ?)")
          .run(now(), c.audit.who, c.audit.action, row.id, JSON.stringify(c.audit.detail));
        this.insertOutbox(c.notify);
      })
      .immediate();
  }

  private replaceDependencies(name: string, deps: { name: string; reason: string }[]): void {
    const a = this.must(name).id;
    this.db.prepare("DELETE FROM env_deps WHERE env_id = ?").run(a);
    for (const d of deps) {
      const b = this.must(d.name).id;
      if (a === b) throw new InfraError(`environment ${name} cannot depend on itself`, "usage");
      this.db.prepare("INSERT OR REPLACE INTO env_deps (env_id, depends_on, reason) VALUES (?, ?, ?)").run(a, b, d.reason);
    }
  }

  async transition(name: string, to: Status, t: { operationId?: string; reason?: string }): Promise<void> {
    this.db.transaction(() => this.move(this.must(name), to, t)).immediate();
  }

  private move(row: Row, to: Status, t: { operationId?: string; reason?: string }): void {
    const from = row.status as Status;
    if (from === to) return;
    assertMove(row.name as string, from, to);
    const at = now();
    this.db.prepare("UPDATE environments SET status = ?, updated_at = ?, destroyed_at = ? WHERE id = ?").run(to, at, to === "destroyed" ? at : null, row.id);
    this.db
      .prepare("INSERT INTO transitions (env_id, from_status, to_status, at, operation_id, reason) VALUES (?, ?, ?, ?, ?, ?)")
      .run(row.id, from, to, at, t.operationId ?? null, t.reason ?? null);
    row.status = to;
  }

  async update(name: string, patch: { params?: Record<string, unknown>; template?: TemplateRef }): Promise<void> {
    this.patch(this.must(name), patch);
  }

  private patch(row: Row, patch: { params?: Record<string, unknown>; template?: TemplateRef }): void {
    const tpl = patch.template;
    this.db
      .prepare(
        `UPDATE environments SET params = coalesce(?, params), template_id = coalesce(?, template_id),
           template_version = coalesce(?, template_version), template_source = coalesce(?, template_source),
           updated_at = ? WHERE id = ?`,
      )
      .run(patch.params ? JSON.stringify(patch.params) : null, tpl?.id ?? null, tpl?.version ?? null, tpl?.source ?? null, now(), row.id);
  }

  async setOutputs(name: string, outputs: Record<string, OutputValue>): Promise<void> {
    this.db.prepare("UPDATE environments SET outputs = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(safeOutputs(outputs)), now(), this.must(name).id);
  }

  async setExpiry(name: string, expiresAt: string | undefined, who: string): Promise<void> {
    const row = this.must(name);
    this.db
      .transaction(() => {
        this.db.prepare("UPDATE environments SET expires_at = ?, updated_at = ? WHERE id = ?").run(expiresAt ?? null, now(), row.id);
        this.db
          .prepare("INSERT INTO audit (at, who, action, env_id, detail) VALUES (?, ?, ?, ?, ?)")
          .run(now(), who, "expiry", row.id, JSON.stringify({ expiresAt: expiresAt ?? null }));
      })
      .immediate();
  }

  async setResources(name: string, resources: ResourceRecord[]): Promise<void> {
    const id = this.must(name).id as string;
    this.db.transaction(() => this.writeResources(id, resources)).immediate();
  }

  private writeResources(id: string, resources: ResourceRecord[]): void {
    {
      this.db.prepare("DELETE FROM resources WHERE env_id = ?").run(id);
      this.db.prepare("DELETE FROM resource_deps WHERE env_id = ?").run(id);
      const res = this.db.prepare("INSERT INTO resources (env_id, urn, type, name, provider_id, parent, component, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      const dep = this.db.prepare("INSERT OR IGNORE INTO resource_deps (env_id, urn, depends_on) VALUES (?, ?, ?)");
      for (const r of resources) {
        res.run(id, r.urn, r.type, r.name, r.providerId ?? null, r.parent ?? null, r.component ?? null, r.status);
        for (const d of r.dependsOn) dep.run(id, r.urn, d);
      }
    }
  }

  async resources(name: string): Promise<ResourceRecord[]> {
    const id = this.must(name).id;
    const deps = new Map<string, string[]>();
    for (const d of this.db.prepare("SELECT urn, depends_on FROM resource_deps WHERE env_id = ?").all(id) as Row[]) {
      const list = deps.get(d.urn as string) ?? [];
      list.push(d.depends_on as string);
      deps.set(d.urn as string, list);
    }
    const rows = this.db.prepare("SELECT * FROM resources WHERE env_id = ? ORDER BY rowid").all(id) as Row[];
    return rows.map((r) => toResource(r, deps.get(r.urn as string) ?? []));
  }

  async history(name: string): Promise<Transition[]> {
    const rows = this.db.prepare("SELECT * FROM transitions WHERE env_id = ? ORDER BY seq").all(this.must(name).id) as Row[];
    return rows.map(toTransition);
  }

  async addDependency(name: string, dependsOn: string, reason: string): Promise<void> {
    const a = this.must(name).id;
    const b = this.must(dependsOn).id;
    if (a === b) throw new InfraError(`environment ${name} cannot depend on itself`);
    this.db.prepare("INSERT OR REPLACE INTO env_deps (env_id, depends_on, reason) VALUES (?, ?, ?)").run(a, b, reason);
  }

  async dependencies(name: string): Promise<string[]> {
    const rows = this.db
      .prepare("SELECT e.name FROM env_deps d JOIN environments e ON e.id = d.depends_on WHERE d.env_id = ? ORDER BY e.name")
      .all(this.must(name).id) as Row[];
    return rows.map((r) => r.name as string);
  }

  async appliedInputs(name: string): Promise<string | undefined> {
    return (this.must(name).applied_inputs as string | null) ?? undefined;
  }

  async dependencyEdges(): Promise<{ from: string; to: string; reason: string }[]> {
    const rows = this.db
      .prepare(
        "SELECT a.name AS source, b.name AS target, d.reason FROM env_deps d JOIN environments a ON a.id = d.env_id JOIN environments b ON b.id = d.depends_on ORDER BY a.name, b.name",
      )
      .all() as Row[];
    return rows.map((r) => ({ from: r.source as string, to: r.target as string, reason: r.reason as string }));
  }

  async dependents(name: string): Promise<string[]> {
    const rows = this.db
      .prepare(
        `SELECT e.name FROM env_deps d JOIN environments e ON e.id = d.env_id
         WHERE d.depends_on = ? AND e.status != 'destroyed' ORDER BY e.name`,
      )
      .all(this.must(name).id) as Row[];
    return rows.map((r) => r.name as string);
  }

  async startOperation(name: string, kind: Operation, who: string, eventsFile?: string, id?: string): Promise<OperationRecord> {
    const opId = id ?? randomUUID();
    this.insertOperation(name, { id: opId, kind, who, ...(eventsFile !== undefined && { eventsFile }) });
    return (await this.operation(opId))!;
  }

  private insertOperation(name: string, o: Begin["operation"]): void {
    this.db
      .prepare("INSERT INTO operations (id, env_id, kind, started_at, result, who, events_file, params) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)")
      .run(o.id, this.must(name).id, o.kind, now(), o.who, o.eventsFile ?? null, o.params ? JSON.stringify(o.params) : null);
  }

  async finishOperation(id: string, r: { result: OperationResult; summary?: Record<string, number>; message?: string }): Promise<void> {
    this.db
      .prepare("UPDATE operations SET ended_at = ?, result = ?, summary = ?, message = ? WHERE id = ?")
      .run(now(), r.result, r.summary ? JSON.stringify(r.summary) : null, r.message ?? null, id);
  }

  async operations(name: string): Promise<OperationRecord[]> {
    const rows = this.db
      .prepare("SELECT o.*, e.name FROM operations o JOIN environments e ON e.id = o.env_id WHERE o.env_id = ? ORDER BY o.started_at, o.rowid")
      .all(this.must(name).id) as Row[];
    return rows.map((r) => toOperation(r));
  }

  async auditLog(f: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.environment !== undefined) {
      where.push("a.env_id = ?");
      args.push(this.must(f.environment).id);
    }
    if (f.action !== undefined) {
      where.push("a.action = ?");
      args.push(f.action);
    }
    if (f.who !== undefined) {
      where.push("a.who = ?");
      args.push(f.who);
    }
    if (f.since !== undefined) {
      where.push("a.at >= ?");
      args.push(f.since);
    }
    if (f.before !== undefined) {
      where.push("a.seq < ?");
      args.push(f.before);
    }
    const rows = this.db
      .prepare(
        `SELECT a.*, e.name FROM audit a LEFT JOIN environments e ON e.id = a.env_id ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.seq DESC LIMIT ?`,
      )
      .all(...args, Math.min(f.limit ?? 100, 1000)) as Row[];
    return rows.map(toAudit);
  }

  async operation(id: string): Promise<OperationRecord | undefined> {
    const r = this.db.prepare("SELECT o.*, e.name FROM operations o JOIN environments e ON e.id = o.env_id WHERE o.id = ?").get(id) as Row | undefined;
    return r && toOperation(r);
  }

  async lock(name: string, owner: Omit<LockOwner, "acquiredAt" | "heartbeatAt">): Promise<void> {
    // IMMEDIATE: the read and the write happen under one write lock, so two
    // processes can never both see the row missing.
    this.db
      .transaction(() => {
        const held = this.db.prepare("SELECT * FROM locks WHERE env_name = ?").get(name) as Row | undefined;
        if (held) {
          const holder = toLock(held);
          if (!isStale(holder)) {
            throw refusals.locked(name, holder);
          }
          this.release(holder, name);
        }
        const at = now();
        this.db
          .prepare("INSERT INTO locks (env_name, operation_id, owner, host, pid, acquired_at, heartbeat_at, started, node) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .run(name, owner.operationId, owner.owner, owner.host, owner.pid, at, at, owner.started ?? "", owner.node ?? "");
      })
      .immediate();
  }

  async reapStale(): Promise<{ environment: string; operationId: string }[]> {
    const reaped: { environment: string; operationId: string }[] = [];
    // A read first: most runs find no lock, or only live ones, and must not
    // queue behind another process's write (env list while a create runs).
    const stale = (this.db.prepare("SELECT * FROM locks").all() as Row[]).filter((row) => isStale(toLock(row)));
    if (!stale.length) return reaped;
    this.db
      .transaction(() => {
        for (const row of this.db.prepare("SELECT * FROM locks").all() as Row[]) {
          const holder = toLock(row);
          if (!isStale(holder)) continue;
          const name = row.env_name as string;
          this.release(holder, name);
          reaped.push({ environment: name, operationId: holder.operationId });
        }
      })
      .immediate();
    return reaped;
  }

  /**
   * Drops a lock whose owner is gone (inside the caller's transaction): its
   * operation and, if it was mid-flight, its environment become interrupted.
   * Both reapStale and lock break stale locks through here, so a lock taken
   * over from a dead run never leaves its environment looking busy.
   */
  private release(holder: LockOwner, name: string): void {
    const at = now();
    this.db.prepare("DELETE FROM locks WHERE env_name = ?").run(name);
    this.db
      .prepare("UPDATE operations SET result = 'interrupted', ended_at = ?, message = ? WHERE id = ? AND result = 'running'")
      .run(at, `the run (pid ${holder.pid} on ${holder.host}) ended without finishing`, holder.operationId);
    const env = this.envRow(name);
    if (env && isMidFlight(env.status as string)) {
      this.db.prepare("UPDATE environments SET status = 'interrupted', updated_at = ? WHERE id = ?").run(at, env.id);
      this.db
        .prepare("INSERT INTO transitions (env_id, from_status, to_status, at, operation_id, reason) VALUES (?, ?, 'interrupted', ?, ?, ?)")
        .run(env.id, env.status, at, holder.operationId, `pid ${holder.pid} on ${holder.host} ended during the operation`);
    }
    this.db
      .prepare("INSERT INTO audit (at, who, action, env_id, detail) VALUES (?, ?, 'lock-reaped', ?, ?)")
      .run(at, holder.owner, env?.id ?? null, JSON.stringify(holder));
  }

  async heartbeat(name: string, operationId: string): Promise<boolean> {
    return this.db.prepare("UPDATE locks SET heartbeat_at = ? WHERE env_name = ? AND operation_id = ?").run(now(), name, operationId).changes === 1;
  }

  async forceUnlock(name: string, who: string, reason: string): Promise<LockOwner | undefined> {
    let removed: LockOwner | undefined;
    this.db
      .transaction(() => {
        const held = this.db.prepare("SELECT * FROM locks WHERE env_name = ?").get(name) as Row | undefined;
        if (!held) return;
        removed = toLock(held);
        this.release(removed, name);
        const env = this.envRow(name);
        this.db
          .prepare("INSERT INTO audit (at, who, action, env_id, detail) VALUES (?, ?, 'lock-forced', ?, ?)")
          .run(now(), who, env?.id ?? null, JSON.stringify({ ...removed, reason }));
      })
      .immediate();
    return removed;
  }

  async unlock(name: string, operationId: string): Promise<void> {
    this.db.prepare("DELETE FROM locks WHERE env_name = ? AND operation_id = ?").run(name, operationId);
  }

  async lockHolder(name: string): Promise<LockOwner | undefined> {
    const row = this.db.prepare("SELECT * FROM locks WHERE env_name = ?").get(name) as Row | undefined;
    return row && toLock(row);
  }

  async audit(who: string, action: string, environment: string | undefined, detail: Record<string, unknown>): Promise<void> {
    const envId = environment ? (this.envRow(environment)?.id ?? null) : null;
    this.db.prepare("INSERT INTO audit (at, who, action, env_id, detail) VALUES (?, ?, ?, ?, ?)").run(now(), who, action, envId, JSON.stringify(detail));
  }

  async createToken(t: { name: string; hash: string; role: TokenRole }, who: string): Promise<void> {
    this.db
      .transaction(() => {
        if (this.db.prepare("SELECT 1 FROM tokens WHERE name = ?").get(t.name)) throw refusals.tokenExists(t.name);
        this.db.prepare("INSERT INTO tokens (name, hash, role, created_at, created_by) VALUES (?, ?, ?, ?, ?)").run(t.name, t.hash, t.role, now(), who);
        this.db
          .prepare("INSERT INTO audit (at, who, action, env_id, detail) VALUES (?, ?, ?, NULL, ?)")
          .run(now(), who, "token-created", JSON.stringify({ name: t.name, role: t.role }));
      })
      .immediate();
  }

  async tokenByHash(hash: string): Promise<TokenRecord | undefined> {
    const r = this.db.prepare("SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL").get(hash) as Row | undefined;
    return r ? tokenRecord(r) : undefined;
  }

  async tokens(): Promise<TokenRecord[]> {
    return (this.db.prepare("SELECT * FROM tokens ORDER BY name").all() as Row[]).map(tokenRecord);
  }

  async revokeToken(name: string, who: string): Promise<void> {
    this.db
      .transaction(() => {
        const r = this.db.prepare("UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE name = ?").run(now(), name);
        if (!r.changes) throw refusals.noToken(name);
        this.db
          .prepare("INSERT INTO audit (at, who, action, env_id, detail) VALUES (?, ?, ?, NULL, ?)")
          .run(now(), who, "token-revoked", JSON.stringify({ name }));
      })
      .immediate();
  }

  async idempotent(scope: string, key: string): Promise<IdempotentRecord | undefined> {
    const row = this.db.prepare("SELECT operation_id, fingerprint FROM idempotency WHERE scope = ? AND key = ?").get(scope, key) as Row | undefined;
    return row && idempotentRecord(row);
  }

  async rememberIdempotent(scope: string, key: string, operationId: string, fingerprint?: string): Promise<IdempotentRecord> {
    this.db
      .prepare("INSERT INTO idempotency (scope, key, operation_id, created_at, fingerprint) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .run(scope, key, operationId, now(), fingerprint ?? null);
    return (await this.idempotent(scope, key))!;
  }

  private insertOutbox(notifications: Notification[] | undefined): void {
    const insert = this.db.prepare("INSERT INTO outbox (id, routing_key, body, headers, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    for (const n of notifications ?? []) insert.run(n.id, n.key, JSON.stringify(n.body), headersText(n), now());
  }

  async enqueue(notifications: Notification[]): Promise<void> {
    this.db.transaction(() => this.insertOutbox(notifications)).immediate();
  }

  async unsent(limit: number): Promise<OutboxEntry[]> {
    return (this.db.prepare("SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?").all(limit) as Row[]).map(outboxEntry);
  }

  async markSent(ids: string[]): Promise<void> {
    const at = now();
    this.db
      .transaction(() => {
        const mark = this.db.prepare("UPDATE outbox SET sent_at = ? WHERE id = ?");
        for (const id of ids) mark.run(at, id);
        this.db.prepare("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?").run(new Date(Date.now() - OUTBOX_KEEP_MS).toISOString());
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** User text to an FTS5 query: every word must match as a prefix; no FTS syntax gets through. */
export function ftsQuery(text: string): string {
  return (text.match(/[\p{L}\p{N}_]+/gu) ?? []).map((w) => `"${w}"*`).join(" ");
}

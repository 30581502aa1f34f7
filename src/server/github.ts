// What infra server asks of GitHub for preview environments, over its REST
// API (api.github.com, or GitHub Enterprise's /api/v3 through
// INFRA_GITHUB_API_URL): a file of the pull request's head commit, a commit
// status, and one comment per pull request kept up to date. The token goes in a
// header, never in a URL, a log or an argument.

/** A repository's owner/name as GitHub spells them; anything else never reaches a URL. */
export const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const SHA = /^[0-9a-f]{40}$/;
const TIMEOUT_MS = 10_000;

export interface CommitStatus {
  state: "pending" | "success" | "failure" | "error";
  description: string;
  targetUrl?: string;
}

export class GitHub {
  constructor(
    private readonly apiUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** Whether it can write back (statuses and comments need a token). */
  get canReport(): boolean {
    return !!this.token;
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.apiUrl.replace(/\/+$/, "")}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "infra",
        ...(this.token && { authorization: `Bearer ${this.token}` }),
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }

  private async must(method: string, path: string, body?: unknown): Promise<unknown> {
    const r = await this.call(method, path, body);
    if (r.status >= 300) throw new Error(`GitHub answered ${r.status} to ${method} ${path.split("?")[0]}`);
    return r.json;
  }

  /** A file of the repository at a commit; undefined when there is none. */
  async file(repository: string, path: string, sha: string): Promise<string | undefined> {
    check(repository, sha);
    const r = await this.call("GET", `/repos/${repository}/contents/${encodeURIComponent(path)}?ref=${sha}`);
    if (r.status === 404) return undefined;
    if (r.status >= 300) throw new Error(`GitHub answered ${r.status} for ${path} of ${repository}`);
    const f = r.json as { content?: unknown; encoding?: unknown };
    if (typeof f?.content !== "string" || f.encoding !== "base64") throw new Error(`GitHub sent ${path} of ${repository} in a form infra does not read`);
    return Buffer.from(f.content, "base64").toString("utf8");
  }

  async status(repository: string, sha: string, context: string, s: CommitStatus): Promise<void> {
    check(repository, sha);
    await this.must("POST", `/repos/${repository}/statuses/${sha}`, {
      state: s.state,
      context,
      description: s.description.slice(0, 140),
      ...(s.targetUrl && { target_url: s.targetUrl }),
    });
  }

  /** The pull request's comment that starts with `marker`: edited if there is one, made otherwise. */
  async comment(repository: string, number: number, marker: string, body: string): Promise<void> {
    check(repository);
    const text = `${marker}\n${body}`;
    for (let page = 1; page <= 10; page++) {
      const list = (await this.must("GET", `/repos/${repository}/issues/${number}/comments?per_page=100&page=${page}`)) as { id: number; body?: string }[];
      const mine = Array.isArray(list) ? list.find((c) => typeof c.body === "string" && c.body.startsWith(marker)) : undefined;
      if (mine) {
        await this.must("PATCH", `/repos/${repository}/issues/comments/${Number(mine.id)}`, { body: text });
        return;
      }
      if (!Array.isArray(list) || list.length < 100) break;
    }
    await this.must("POST", `/repos/${repository}/issues/${number}/comments`, { body: text });
  }
}

function check(repository: string, sha?: string): void {
  if (!REPOSITORY.test(repository)) throw new Error("not a repository name");
  if (sha !== undefined && !SHA.test(sha)) throw new Error("not a commit id");
}

// `infra login <url>`, `infra logout`, `infra whoami`: the CLI as a client of
// infra server. The token comes from --token-file, standard input, or a
// masked prompt; it is checked against the server, then kept 0600 in the
// infra home. It never appears in argv or output.
import { readFileSync } from "node:fs";
import { UsageError } from "../../core/errors.js";
import { parseLocation } from "../../core/location.js";
import { call } from "../client.js";
import { interactive, promptOutput, type GlobalOptions } from "../context.js";
import { out, printJson } from "../output.js";
import { forgetSession, remoteSession, saveSession, type RemoteSession } from "../remote.js";

async function readToken(opts: GlobalOptions & { tokenFile?: string }): Promise<string> {
  if (opts.tokenFile) {
    try {
      return readFileSync(opts.tokenFile === "-" ? 0 : opts.tokenFile, "utf8").trim();
    } catch (err) {
      throw new UsageError(`cannot read --token-file ${opts.tokenFile}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
  }
  if (!process.stdin.isTTY) return readFileSync(0, "utf8").trim();
  if (!interactive(opts)) throw new UsageError("infra login needs the token: --token-file <file>, or on standard input");
  const { password } = await import("@inquirer/prompts");
  return (await password({ message: "token:", mask: "*" }, await promptOutput())).trim();
}

/** Where to log in: a server's address, or the API in a cluster (kubernetes[:<context>]) through its API server. */
function target(url: string, caFile?: string): Omit<RemoteSession, "token"> {
  if (url === "kubernetes" || url.startsWith("kubernetes:")) {
    const loc = parseLocation(url);
    if (loc.kind !== "kubernetes") throw new UsageError(`${url.slice(0, 100)}: write kubernetes:<context>, a context of your kubeconfig`);
    if (caFile) throw new UsageError("--ca-file is for a server's own address: through a cluster, its kubeconfig says which CA to trust");
    return { url: loc.context ? `kubernetes:${loc.context}` : "kubernetes", cluster: loc.context ? { context: loc.context } : {} };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(
      `${url.slice(0, 100)} is not a server address: write one like https://infra.example.com or http://127.0.0.1:7780, or kubernetes:<context> for the API in that cluster`,
    );
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new UsageError(`${u.protocol} is not http: or https:`);
  return { url: u.origin, ...(caFile && { caFile }) };
}

export async function login(url: string, opts: GlobalOptions & { tokenFile?: string; caFile?: string }): Promise<void> {
  const where = target(url, opts.caFile);
  const token = await readToken(opts);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) throw new UsageError("that is not an infra token (infra server token create makes one)");
  const session: RemoteSession = { ...where, token };
  const who = await whoamiOf(session);
  const file = saveSession(session);
  if (opts.json) return printJson({ url: session.url, name: who.name, role: who.role });
  out(`logged in to ${session.url} as token ${who.name} (${who.role}); kept in ${file}`);
}

async function whoamiOf(s: RemoteSession): Promise<{ name: string; role: string; server: string }> {
  const a = await call(s, "GET", "/api/v1/whoami");
  if (a.status === 401) throw new UsageError(`${s.url} does not know this token (revoked, or from another server): infra server token create makes one`);
  if (a.status !== 200) throw new UsageError(`${s.url} answered ${a.status}: is it an infra server?`);
  return a.body as { name: string; role: string; server: string };
}

export async function logout(opts: GlobalOptions): Promise<void> {
  const was = forgetSession();
  if (opts.json) return printJson({ loggedOut: was });
  out(was ? "logged out: commands work on this machine's registry again" : "not logged in");
}

export async function whoami(opts: GlobalOptions): Promise<void> {
  const s = remoteSession();
  if (!s) {
    if (opts.json) return printJson({ remote: false });
    return out("not logged in: commands use this machine's registry (infra login <url> to use a server)");
  }
  const who = await whoamiOf(s);
  if (opts.json) return printJson({ remote: true, url: s.url, ...who });
  out(`${s.url}: token ${who.name} (${who.role}), a ${who.server} server`);
}

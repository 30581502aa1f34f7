// HTTPS for the compose VM (seed 003 served HTTPS): Caddy in front of the
// user's services, on 80 (a redirect, and ACME's challenge) and 443. With a
// domain and an email Caddy gets a certificate by ACME; without, the
// environment's own CA (made here) signs one for the floating IP, and its
// certificate is an output for clients to trust. Every value that reaches the
// Caddyfile is checked first: it is configuration text.
import { parse } from "yaml";

export interface TerminatorSettings {
  /** service:port in the compose network that Caddy forwards to. */
  upstream: string;
  domain?: string;
  email?: string;
  /** A certificate and key for the address (no domain): PEM. */
  cert?: { certPem: string; keyPem: string };
}

// Checked character by character, not by a regex: these values are untrusted, and some are long.
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const NAME_CHARS = `${LOWER}${LOWER.toUpperCase()}0123456789_.-`;
const only = (s: string, allowed: string) => s.length > 0 && [...s].every((c) => allowed.includes(c));

function isUpstream(s: string): boolean {
  const [host, port, ...rest] = s.split(":");
  return (
    !rest.length &&
    host !== undefined &&
    host.length <= 63 &&
    only(host, NAME_CHARS) &&
    port !== undefined &&
    port.length <= 5 &&
    only(port, "0123456789") &&
    Number(port) > 0 &&
    Number(port) < 65536
  );
}

function isDomain(s: string): boolean {
  const labels = s.split(".");
  return (
    s.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => l.length <= 63 && only(l, `${LOWER}0123456789-`) && !l.startsWith("-") && !l.endsWith("-")) &&
    only(labels.at(-1)!, LOWER)
  );
}

function isEmail(s: string): boolean {
  const [local, domain, ...rest] = s.split("@");
  return !rest.length && local !== undefined && local.length <= 64 && only(local, `${NAME_CHARS}+`) && domain !== undefined && isDomain(domain.toLowerCase());
}

/** What is wrong with the terminator's settings, or undefined. */
export function terminatorProblem(t: { upstream: string; domain?: string; email?: string }): string | undefined {
  if (!isUpstream(t.upstream)) return `upstream ${JSON.stringify(t.upstream.slice(0, 80))}: write service:port, like web:8080`;
  if (t.domain && !isDomain(t.domain)) return `domain ${JSON.stringify(t.domain.slice(0, 80))}: a DNS name in lowercase, like shop.example.com`;
  if (t.domain && !t.email) return "a domain needs an email too: ACME (Let's Encrypt) registers the certificate with it";
  if (t.email && !isEmail(t.email)) return `email ${JSON.stringify(t.email.slice(0, 80))}: an address, like ops@example.com`;
  return undefined;
}

/** The compose services that publish port 80 or 443 on the VM: the terminator needs both. */
export function portClashes(compose: string): string[] {
  let doc: unknown;
  try {
    doc = parse(compose, { maxAliasCount: 100 });
  } catch {
    return []; // not ours to judge: docker compose says what is wrong with it
  }
  const services = (doc as { services?: Record<string, { ports?: unknown[] }> } | null)?.services ?? {};
  const clashes: string[] = [];
  for (const [name, svc] of Object.entries(services)) {
    for (const p of Array.isArray(svc?.ports) ? svc.ports : []) {
      const host =
        typeof p === "object" && p !== null ? String((p as { published?: unknown }).published ?? "") : String(p).split("/")[0]!.split(":").slice(0, -1).pop();
      if (host === "80" || host === "443") clashes.push(`${name} (port ${host})`);
    }
  }
  return clashes;
}

export function caddyfile(t: TerminatorSettings): string {
  if (t.domain) return [`{`, `\temail ${t.email}`, `}`, `${t.domain} {`, `\treverse_proxy ${t.upstream}`, `}`, ``].join("\n");
  return [
    `{`,
    `\tauto_https disable_redirects`,
    `}`,
    `:443 {`,
    `\ttls /etc/caddy/tls/cert.pem /etc/caddy/tls/key.pem`,
    `\treverse_proxy ${t.upstream}`,
    `}`,
    `:80 {`,
    `\tredir https://{host}{uri} permanent`,
    `}`,
    ``,
  ].join("\n");
}

/** The files cloud-init writes for the terminator, and the compose file that adds it. */
export function terminatorFiles(t: TerminatorSettings): { path: string; permissions: string; content: string }[] {
  return [
    { path: "/opt/app/Caddyfile", permissions: "0644", content: caddyfile(t) },
    ...(t.cert
      ? [
          { path: "/opt/app/tls/cert.pem", permissions: "0644", content: t.cert.certPem },
          { path: "/opt/app/tls/key.pem", permissions: "0600", content: t.cert.keyPem },
        ]
      : []),
    {
      path: "/opt/app/docker-compose.tls.yml",
      permissions: "0600",
      content: [
        "services:",
        "  tls:",
        "    image: caddy:2.8",
        "    restart: unless-stopped",
        "    ports: ['80:80', '443:443']",
        "    volumes:",
        "      - /opt/app/Caddyfile:/etc/caddy/Caddyfile:ro",
        ...(t.cert ? ["      - /opt/app/tls:/etc/caddy/tls:ro"] : []),
        "      - caddy-data:/data",
        "volumes:",
        "  caddy-data: {}",
        "",
      ].join("\n"),
    },
  ];
}

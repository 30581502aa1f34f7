// A stand-in for the official `postgres` image, for the sandbox's real node
// where no registry on the internet can be reached: Debian 12's PostgreSQL
// (server and client) and the libraries its programs link, taken from the
// .debs; busybox's sh and utilities for the scripts templates run in it
// (a standby's clone, a backup); and an entrypoint that does what the
// official one does for infra's templates: on an empty PGDATA, initdb with
// POSTGRES_USER and POSTGRES_PASSWORD (from a file, never an argument),
// listen on every address, password logins from the network, POSTGRES_DB;
// then it runs the command (postgres by default). It runs as uid 999 (the
// official image starts as root and drops to 999; with no gosu here, it
// starts as 999, which is what infra's templates ask for anyway).
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Deb, fetchDebs } from "./debs.js";
import { debianRoot } from "./debian-root.js";
import type { ImageSpec } from "./oci.js";

export const POSTGRES_MAJOR = "15";
const BIN = `/usr/lib/postgresql/${POSTGRES_MAJOR}/bin`;

/** The server and client, and every library their programs link (ldd's closure on Debian 12). */
export const POSTGRES_PACKAGES = [
  "base-files",
  "gcc-12-base",
  "busybox-static",
  "tzdata",
  `postgresql-${POSTGRES_MAJOR}`,
  `postgresql-client-${POSTGRES_MAJOR}`,
  ...["libaudit1", "libc6", "libcap-ng0", "libcap2", "libcom-err2", "libffi8", "libgcc-s1", "libgcrypt20", "libgmp10", "libgnutls30"],
  ...["libgpg-error0", "libgssapi-krb5-2", "libhogweed6", "libicu72", "libidn2-0", "libk5crypto3", "libkeyutils1", "libkrb5-3"],
  ...["libkrb5support0", "libldap-2.5-0", "liblz4-1", "liblzma5", "libnettle8", "libp11-kit0", "libpam0g", "libpq5", "libreadline8"],
  ...["libsasl2-2", "libssl3", "libstdc++6", "libsystemd0", "libtasn1-6", "libtinfo6", "libunistring2", "libxml2", "libzstd1", "zlib1g"],
  ...["libselinux1", "libpcre2-8-0"],
];

/** What busybox stands in for: the scripts of infra's templates use these. */
const APPLETS = ["sh", "cat", "chmod", "date", "echo", "env", "find", "id", "ls", "mkdir", "mktemp", "mv", "printf", "rm", "sleep"];

const ENTRYPOINT = `#!/bin/sh
# infra's stand-in for the official postgres image's entrypoint (src/image/postgres-image.ts).
set -eu
case "\${1:-}" in ""|-*) set -- postgres "$@" ;; esac
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (the superuser's password)}"
  user="\${POSTGRES_USER:-postgres}"
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pwfile="$(mktemp)"
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  db="\${POSTGRES_DB:-$user}"
  if [ "$db" != postgres ]; then
    # A database name is an identifier: quoted, its own quotes doubled.
    quoted=$(printf '%s' "$db" | sed 's/"/""/g')
    echo "CREATE DATABASE \\"$quoted\\";" | postgres --single -D "$PGDATA" postgres > /dev/null
  fi
fi
exec "$@"
`;

export async function postgresImage(debCache: string, epoch: number): Promise<{ spec: ImageSpec; debs: Deb[] }> {
  const debs = await fetchDebs(POSTGRES_PACKAGES, debCache);
  const spec: ImageSpec = {
    tag: `postgres:${POSTGRES_MAJOR}`,
    epoch,
    layers: [
      {
        name: `debian: ${debs.map((d) => d.name).join(" ")}`,
        fill: async (root) => {
          await debianRoot(root, debs, { name: "postgres", uid: 999, home: "/var/lib/postgresql" });
          // No JIT: its provider links LLVM (100 MB); PostgreSQL runs without it.
          rmSync(join(root, "usr", "lib", "postgresql", POSTGRES_MAJOR, "lib", "bitcode"), { recursive: true, force: true });
          rmSync(join(root, "usr", "lib", "postgresql", POSTGRES_MAJOR, "lib", "llvmjit.so"), { force: true });
          rmSync(join(root, "usr", "lib", "postgresql", POSTGRES_MAJOR, "lib", "llvmjit_types.bc"), { force: true });
          mkdirSync(join(root, "bin"), { recursive: true });
          for (const a of [...APPLETS, "sed"]) symlinkSync("busybox", join(root, "bin", a));
          // The server's socket folder (Debian's default), writable by whoever runs it.
          mkdirSync(join(root, "var", "run", "postgresql"), { recursive: true });
          chmodSync(join(root, "var", "run", "postgresql"), 0o1777);
          chmodSync(join(root, "var", "lib", "postgresql"), 0o1777);
          mkdirSync(join(root, "usr", "local", "bin"), { recursive: true });
          writeFileSync(join(root, "usr", "local", "bin", "docker-entrypoint.sh"), ENTRYPOINT, { mode: 0o755 });
        },
      },
    ],
    config: {
      User: "999:999",
      Env: [`PATH=${BIN}:/usr/local/bin:/bin`, "PGDATA=/var/lib/postgresql/data"],
      Entrypoint: ["docker-entrypoint.sh"],
      Cmd: ["postgres"],
      WorkingDir: "/var/lib/postgresql",
      ExposedPorts: { "5432/tcp": {} },
      Labels: {
        "org.opencontainers.image.title": "postgres (infra's stand-in from Debian's packages)",
        "org.opencontainers.image.version": debs.find((d) => d.name === `postgresql-${POSTGRES_MAJOR}`)!.version,
        "dev.infra.debian-packages": debs.map((d) => `${d.name}=${d.version}`).join(" "),
      },
    },
  };
  return { spec, debs };
}

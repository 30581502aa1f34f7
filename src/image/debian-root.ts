// The bottom layer of an image made from Debian's packages: their files,
// each package's control file where scanners look for it (as distroless keeps
// them), the documentation pruned to each copyright, a CA bundle made as
// update-ca-certificates would, and the users the image runs as.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Deb, extractDeb } from "./debs.js";

export interface ImageUser {
  name: string;
  uid: number;
  home: string;
}

/** Documentation a running program never reads; each package's copyright stays. */
function pruneDocs(root: string): void {
  for (const dir of ["usr/share/man", "usr/share/info", "usr/share/lintian", "usr/share/locale", "usr/share/bug"])
    rmSync(join(root, dir), { recursive: true, force: true });
  const docs = join(root, "usr", "share", "doc");
  if (!existsSync(docs)) return;
  for (const pkg of readdirSync(docs)) {
    if (!lstatSync(join(docs, pkg)).isDirectory()) continue;
    for (const f of readdirSync(join(docs, pkg))) if (f !== "copyright") rmSync(join(docs, pkg, f), { recursive: true, force: true });
  }
}

export async function debianRoot(root: string, debs: Deb[], user: ImageUser): Promise<void> {
  const scratch = `${root}.base-files`;
  for (const deb of debs) {
    // base-files brings a whole system's skeleton: only os-release is wanted (scanners read it).
    if (deb.name === "base-files") {
      await extractDeb(deb, scratch);
      mkdirSync(join(root, "usr", "lib"), { recursive: true });
      copyFileSync(join(scratch, "usr", "lib", "os-release"), join(root, "usr", "lib", "os-release"));
      mkdirSync(join(root, "etc"), { recursive: true });
      copyFileSync(join(scratch, "usr", "lib", "os-release"), join(root, "etc", "os-release"));
      rmSync(scratch, { recursive: true, force: true });
    } else await extractDeb(deb, root);
    const status = join(root, "var", "lib", "dpkg", "status.d");
    mkdirSync(status, { recursive: true });
    writeFileSync(join(status, deb.name), execFileSync("dpkg-deb", ["-f", deb.file], { encoding: "utf8" }));
  }
  pruneDocs(root);
  // update-ca-certificates is a shell script run at install; the bundle it would make, made here.
  rmSync(join(root, "usr", "sbin", "update-ca-certificates"), { force: true });
  const mozilla = join(root, "usr", "share", "ca-certificates", "mozilla");
  if (existsSync(mozilla)) {
    const pems = readdirSync(mozilla)
      .filter((f) => f.endsWith(".crt"))
      .sort()
      .map((f) => readFileSync(join(mozilla, f), "utf8"));
    mkdirSync(join(root, "etc", "ssl", "certs"), { recursive: true });
    writeFileSync(join(root, "etc", "ssl", "certs", "ca-certificates.crt"), pems.join(""));
  }
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(
    join(root, "etc", "passwd"),
    `root:x:0:0:root:/root:/sbin/nologin\n${user.name}:x:${user.uid}:${user.uid}:${user.name}:${user.home}:/sbin/nologin\n`,
  );
  writeFileSync(join(root, "etc", "group"), `root:x:0:\n${user.name}:x:${user.uid}:\n`);
  writeFileSync(join(root, "etc", "nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  for (const d of ["tmp", user.home.slice(1)]) mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, "tmp"), 0o1777);
}

import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/** The parts of a `Pulumi.yaml` the offline plan needs. */
export interface PulumiProject {
    /** Project name. */
    name: string;
    /** Program directory. */
    dir: string;
    /** Entry module relative to `dir`. */
    main: string;
    /** Directory of `Pulumi.<stack>.yaml` files relative to `dir`. */
    stackConfigDir: string;
}

/** Reads `<dir>/Pulumi.yaml`; throws an Error with a one-line message when it is missing or malformed. */
export function readProject(dir: string): PulumiProject {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) throw new Error(`${file}: no Pulumi project file`);
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as Record<string, unknown> | null;
    if (!doc || typeof doc.name !== "string") throw new Error(`${file}: expected a "name:"`);
    const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
    if (runtime !== "nodejs") throw new Error(`${file}: runtime ${String(runtime)} is not supported; the offline plan runs nodejs programs`);
    const main = typeof doc.main === "string" ? doc.main : defaultMain(dir);
    return {
        name: doc.name,
        dir,
        main,
        stackConfigDir: typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".",
    };
}

/** Path of a stack's configuration file. */
export function stackConfigPath(project: PulumiProject, stack: string): string {
    return path.join(project.dir, project.stackConfigDir, `Pulumi.${stack}.yaml`);
}

function defaultMain(dir: string): string {
    const pkgFile = path.join(dir, "package.json");
    if (fs.existsSync(pkgFile)) {
        const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string };
        if (pkg.main) return pkg.main;
    }
    return fs.existsSync(path.join(dir, "index.ts")) ? "index.ts" : "index.js";
}

/**
 * `npm run example:tarball -- [--dir <folder>] [--no-build]`
 *
 * This example as another team gets it: the blueprint built and packed with `npm pack`, the tarball
 * installed with npm into a scratch folder next to the peers @pulumi/pulumi and @pulumi/aws (at the
 * versions this repository is tested with), the example's program and stack file copied there,
 * then planned offline and verified. Nothing resolves to this repository's sources: the scratch
 * folder sees only what the tarball holds. Exit code: 0 when the plan has no mandatory violation
 * and the verifier no broken hop, else the failing step's.
 *
 * The exported steps are shared with the package's own test (tests/package.test.ts).
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

/** This repository: the package that is packed. */
export const REPOSITORY = path.resolve(__dirname, "../..");
const EXAMPLE = __dirname;
/** The example's own files, as a team keeps them in its repository. */
export const EXAMPLE_FILES = ["index.ts", "Pulumi.yaml", "Pulumi.ingest.yaml"];
/** The example's stack: its name is its `lakehouse:environment`. */
export const EXAMPLE_STACK = "ingest";
/** The policy levels the package ships, which the example's stack is judged with. */
export const SHIPPED_POLICY_CONFIG = "node_modules/lakehouse-blueprint/policies/config/dev.json";

function run(command: string, args: string[], options: SpawnSyncOptions & { cwd: string }): { status: number; stdout: string; stderr: string } {
    const result = spawnSync(command, args, { encoding: "utf8", ...options });
    if (result.error) throw result.error;
    return { status: result.status ?? 1, stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
}

function must(step: string, result: { status: number; stderr: string }): void {
    if (result.status !== 0) throw new Error(`${step} exited ${result.status}: ${result.stderr.trim()}`);
}

/** The version of a package installed in this repository (the peers are installed at these). */
export function installedVersion(name: string): string {
    return JSON.parse(fs.readFileSync(path.join(REPOSITORY, "node_modules", name, "package.json"), "utf8")).version;
}

/**
 * Packs the already built package (`dist/`) into `destination` and returns the tarball's path.
 * `--ignore-scripts` packs `dist/` as it is rather than building again through `prepare`.
 */
export function packBlueprint(destination: string): string {
    if (!fs.existsSync(path.join(REPOSITORY, "dist", "components", "index.js"))) {
        throw new Error("dist/ is missing: the package ships the built files; run `npm run build` first");
    }
    const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], { cwd: REPOSITORY });
    must("npm pack", pack);
    return path.join(destination, JSON.parse(pack.stdout)[0].filename);
}

/**
 * Makes `folder` an npm project of its own and installs the tarball with the peer dependencies at
 * this repository's versions, as a consuming team's `npm install` would.
 */
export function installFromTarball(folder: string, tarball: string, projectName = "reduced-lakehouse"): void {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "package.json"), `${JSON.stringify({ name: projectName, private: true }, null, 2)}\n`);
    const peers = ["@pulumi/pulumi", "@pulumi/aws"].map((name) => `${name}@${installedVersion(name)}`);
    must("npm install", run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball, ...peers], { cwd: folder }));
}

/** Copies the example's program and stack file into `folder`. */
export function copyExample(folder: string): void {
    for (const file of EXAMPLE_FILES) fs.copyFileSync(path.join(EXAMPLE, file), path.join(folder, file));
}

/**
 * Plans the program in `folder` offline (stack {@link EXAMPLE_STACK}, the shipped policy levels)
 * into `folder/plan.json`, then verifies that plan; their output goes to this process's unless
 * `output` is "pipe". Returns the first non-zero exit code, or 0.
 */
export function planAndVerify(folder: string, output: "inherit" | "pipe" = "inherit"): number {
    const tsx = path.join(REPOSITORY, "node_modules", ".bin", "tsx");
    const plan = path.join(folder, "plan.json");
    const planned = run(
        tsx,
        ["cli/plan.ts", "--program", folder, "--stack", EXAMPLE_STACK, "--policy-config", path.join(folder, SHIPPED_POLICY_CONFIG), "--json", plan],
        { cwd: REPOSITORY, stdio: output },
    );
    if (planned.status !== 0) return planned.status;
    return run(tsx, ["cli/verify.ts", "--plan", plan], { cwd: REPOSITORY, stdio: output }).status;
}

function main(): number {
    const { values } = parseArgs({ options: { dir: { type: "string" }, "no-build": { type: "boolean", default: false } } });
    if (!values["no-build"]) must("npm run build", run("npm", ["run", "build"], { cwd: REPOSITORY, stdio: "inherit" }));
    const folder = path.resolve(values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "reduced-lakehouse-")));
    fs.mkdirSync(folder, { recursive: true });
    const tarball = packBlueprint(folder);
    console.log(`Packed ${path.basename(tarball)}; installing it with @pulumi/pulumi@${installedVersion("@pulumi/pulumi")} and @pulumi/aws@${installedVersion("@pulumi/aws")} into ${folder}`);
    installFromTarball(folder, tarball);
    copyExample(folder);
    const status = planAndVerify(folder);
    console.log(status === 0 ? `The example planned and verified from the installed package in ${folder}` : `The example failed from the installed package in ${folder} (exit ${status})`);
    return status;
}

if (require.main === module) {
    try {
        process.exitCode = main();
    } catch (err) {
        console.error(`error: ${(err as Error).message}`);
        process.exitCode = 1;
    }
}

/**
 * Runtime parity: the offline plan runs on the project's Node (the `node` devDependency, first on
 * PATH under `npm run`), but `pulumi up` runs the program on the first `node` of the PATH it is
 * started with: its language host looks `node` up on `$PATH`. The plan says so when that one is
 * below the package's `engines.node`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";

/** The entry `npm run` puts right before the caller's own PATH (@npmcli/run-script's set-path.js). */
const NPM_NODE_GYP_BIN = /[\\/]@npmcli[\\/]run-script[\\/]lib[\\/]node-gyp-bin[\\/]?$/;

/**
 * The PATH the caller's shell had: under `npm run`/`npx`, npm prepends each ancestor's
 * `node_modules/.bin` and then its node-gyp-bin before the caller's PATH, so what follows the last
 * node-gyp-bin entry is the caller's; elsewhere, the PATH as it is.
 */
export function callerPath(pathValue: string, delimiter = path.delimiter): string {
    const entries = pathValue.split(delimiter);
    const npmEnd = entries.map((entry) => NPM_NODE_GYP_BIN.test(entry)).lastIndexOf(true);
    return entries.slice(npmEnd + 1).join(delimiter);
}

/** A `node` found on a PATH: its executable and version. */
export interface PathNode {
    execPath: string;
    version: string;
}

/**
 * The `node` a command started with `pathValue` would run, or undefined when there is none.
 * Asynchronous, so the plan asks while it works instead of waiting on a second Node's start-up.
 */
export function nodeOnPath(pathValue: string): Promise<PathNode | undefined> {
    return new Promise((resolve) => {
        execFile(
            "node",
            ["-p", "process.execPath + ' ' + process.version"],
            // The command is looked up on the PATH of the environment given here.
            { env: { ...process.env, PATH: pathValue }, encoding: "utf8", timeout: 10_000 },
            (err, stdout) => {
                const [execPath, version] = err ? [] : stdout.trim().split(" ");
                resolve(version ? { execPath, version } : undefined);
            },
        );
    });
}

/**
 * One line when `node` is missing or does not satisfy `range` (semver, as `engines.node`), else
 * undefined. `planNode` is the version the plan itself ran on.
 */
export function pathNodeProblem(node: PathNode | undefined, range: string, planNode: string): string | undefined {
    const remedy = 'run pulumi through npm (npm exec -c "pulumi up …") or put node_modules/.bin first on PATH; README "Node 22 for pulumi up"';
    if (!node) return `pulumi up needs a node on PATH (engines.node ${range}) and there is none; ${remedy}`;
    if (semver.satisfies(node.version, range)) return undefined;
    return `pulumi up would run the program on ${node.execPath} ${node.version}, the node on PATH, below engines.node ${range} (this plan ran on ${planNode}); ${remedy}`;
}

/**
 * The `warning:` line to print when the caller's `node` is below the blueprint's `engines.node`,
 * else undefined. Start it early and print it at the end: it never rejects.
 */
export async function pathNodeWarning(packageDir: string): Promise<string | undefined> {
    const range = (JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node;
    if (!range) return undefined;
    const problem = pathNodeProblem(await nodeOnPath(callerPath(process.env.PATH ?? "")), range, process.version);
    return problem && `warning: ${problem}\n`;
}

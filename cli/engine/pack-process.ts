/**
 * A policy pack's process, started the way the Pulumi CLI starts one: its entry point prints the
 * port of the analyzer it serves. Only Node's own modules are loaded here, so a command can start
 * the pack before it loads anything heavy (the Pulumi SDK takes over a second): the pack's start-up
 * then runs on another core alongside the command's own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { packBundle } from "./pack-bundle";

/**
 * Loaded after tsx, which turns Node's source maps on: the pack's positions are not reported, and
 * with maps on tsx writes one into every module it compiles and Node indexes each (0.1 s or more).
 */
const SOURCE_MAPS_OFF = "data:text/javascript,process.setSourceMapsEnabled(false)";

/** How the pack's process is started. */
export interface PackLaunch {
    /** Give up when the pack has not printed its port by then; default 60 s. */
    timeoutMs?: number;
    /**
     * `bundle` (default): the pack's `index.ts` bundled into one file (`pack-bundle.ts`, rebuilt when a
     * source changes), which starts in under half the time; when it cannot be bundled, as `tsx`.
     * `tsx`: the pack's `index.ts` with this project's tsx as a loader. `cli`: as the Pulumi CLI
     * does, from the pack's own folder through its own installed `@pulumi/pulumi/cmd/run-policy-pack`
     * (ts-node, type-checked), given an engine address (which that entry point drops) and `.`.
     */
    launch?: "bundle" | "tsx" | "cli";
}

/** A started pack: its process, and the port its analyzer listens on once it has printed it. */
export interface PackProcess {
    readonly packDir: string;
    readonly child: ChildProcess;
    /** Rejects when the process exits or times out before printing its port (its last stderr line named). */
    readonly port: Promise<string>;
    /** Stops the process; safe to call more than once. */
    stop(): void;
}

/** Starts the pack in `packDir`; the caller connects once `port` resolves and must `stop()` it. */
export function spawnPack(packDir: string, options: PackLaunch = {}): PackProcess {
    const timeoutMs = options.timeoutMs ?? 60_000;
    // tsx as a loader in the pack's own process: its command line would start a second Node.
    const tsx = pathToFileURL(path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "loader.mjs")).href;
    const launch = options.launch ?? "bundle";
    const bundle = launch === "bundle" ? packBundle(packDir) : undefined;
    const args =
        launch === "cli"
            ? [path.join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:0", "."]
            : bundle
              ? [bundle]
              : ["--import", tsx, "--import", SOURCE_MAPS_OFF, path.join(packDir, "index.ts")];
    const child = spawn(process.execPath, args, { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
        stderr += String(chunk);
    });
    const port = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill();
            reject(new Error(`policy pack ${packDir} did not start within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        const lines = createInterface({ input: child.stdout! });
        lines.once("line", (line) => {
            clearTimeout(timer);
            resolve(line.trim());
        });
        child.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`policy pack ${packDir} exited with code ${code}: ${stderr.trim().split("\n").pop()}`));
        });
        child.once("error", (err) => {
            clearTimeout(timer);
            reject(new Error(`policy pack ${packDir} could not be started: ${err.message}`));
        });
    });
    // Awaited by whoever connects; a pack stopped before anyone did is not an unhandled rejection.
    port.catch(() => undefined);
    return {
        packDir,
        child,
        port,
        stop: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill();
        },
    };
}

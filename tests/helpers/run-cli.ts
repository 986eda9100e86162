import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanDocument } from "../../cli/report/plan-document";

export const ROOT = path.resolve(__dirname, "../..");
/** Environment variable through which the suite's global fixture shares its plans (shared-plans.ts). */
export const SHARED_PLANS_ENV = "LAKEHOUSE_TEST_SHARED_PLANS";
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export interface CliResult {
    status: number;
    stdout: string;
    stderr: string;
}

/** Runs a CLI entry point (e.g. `cli/plan.ts`) in its own process, as `npm run` would. */
export function runCli(script: string, args: string[], env: Record<string, string> = {}): CliResult {
    const result = spawnSync(TSX, [script, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 300_000 });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary directory for a test's files. */
export function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-test-"));
}

/**
 * Runs the plan for a stack with `--json` and returns the process result and the document. A
 * shipped stack's plain plan (or `--no-policies`, whose document is the same minus the policy
 * section) comes from the suite's shared plans when the global fixture made them; `fresh` forces
 * a run of its own.
 */
export function planJson(stack: string, extraArgs: string[] = [], fresh = false): CliResult & { doc: PlanDocument; file: string } {
    const shared = process.env[SHARED_PLANS_ENV];
    if (!fresh && shared && fs.existsSync(path.join(shared, `${stack}.json`)) && extraArgs.every((a) => a === "--no-policies")) {
        const file = path.join(shared, `${stack}.json`);
        const result: CliResult = JSON.parse(fs.readFileSync(path.join(shared, `${stack}.out`), "utf8"));
        return { ...result, doc: JSON.parse(fs.readFileSync(file, "utf8")), file };
    }
    const file = path.join(tempDir(), `${stack}.json`);
    const result = runCli("cli/plan.ts", ["--stack", stack, "--json", file, ...extraArgs]);
    if (result.status !== 0 && result.status !== 2) {
        throw new Error(`plan of ${stack} exited ${result.status}: ${result.stderr}`);
    }
    return { ...result, doc: JSON.parse(fs.readFileSync(file, "utf8")), file };
}

/** Like {@link runCli}, without blocking the event loop (for commands talking to an in-process server). */
export function runCliAsync(script: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(TSX, [script, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => {
            stdout += d;
        });
        child.stderr.on("data", (d) => {
            stderr += d;
        });
        // Generous: the shared plans of every stack run at once, on a machine that may be busy.
        const timer = setTimeout(() => child.kill(), 300_000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ status: code ?? -1, stdout, stderr });
        });
    });
}

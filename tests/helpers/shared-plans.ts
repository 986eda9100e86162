/**
 * Mocha global fixture: plans dev, staging and prod once, before any test file runs, in parallel,
 * and shares the JSON documents with every worker (through an environment variable, which the
 * workers inherit). Tests that read a stack's plan — the plan, the verifier, the layout, the
 * verify command — then cost one read instead of one offline plan each.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environmentNames } from "../../config/environments";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
export const SHARED_PLANS_ENV = "LAKEHOUSE_TEST_SHARED_PLANS";
const STACKS = environmentNames();

function plan(stack: string, dir: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const file = path.join(dir, `${stack}.json`);
        const child = spawn(TSX, ["cli/plan.ts", "--stack", stack, "--json", file], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => {
            stdout += d;
        });
        child.stderr.on("data", (d) => {
            stderr += d;
        });
        child.on("error", reject);
        child.on("close", (code) => {
            if (code !== 0 && code !== 2) return reject(new Error(`shared plan of ${stack} exited ${code}: ${stderr}`));
            fs.writeFileSync(path.join(dir, `${stack}.out`), JSON.stringify({ status: code, stdout, stderr }));
            resolve();
        });
    });
}

export async function mochaGlobalSetup(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-shared-plans-"));
    await Promise.all(STACKS.map((stack) => plan(stack, dir)));
    process.env[SHARED_PLANS_ENV] = dir;
}

export function mochaGlobalTeardown(): void {
    const dir = process.env[SHARED_PLANS_ENV];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

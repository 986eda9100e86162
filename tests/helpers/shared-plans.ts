/**
 * Mocha global fixture: plans dev, staging and prod once, before any test file runs, in parallel,
 * and shares the JSON documents with every worker (through an environment variable, which the
 * workers inherit). Tests that read a stack's plan — the plan, the verifier, the layout, the
 * verify command — then cost one read instead of one offline plan each.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environmentNames } from "../../config/environments";
import { runCliAsync, SHARED_PLANS_ENV } from "./run-cli";

const STACKS = environmentNames();

async function plan(stack: string, dir: string): Promise<void> {
    const result = await runCliAsync("cli/plan.ts", ["--stack", stack, "--json", path.join(dir, `${stack}.json`)]);
    if (result.status !== 0 && result.status !== 2) throw new Error(`shared plan of ${stack} exited ${result.status}: ${result.stderr}`);
    fs.writeFileSync(path.join(dir, `${stack}.out`), JSON.stringify(result));
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

/**
 * Mocha global fixture: plans every stack of stacks/ once, before any test file runs, in parallel,
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
    // At most one plan per core at a time: a team's added stacks lengthen the setup, never each
    // plan's run past its timeout.
    const queue = [...STACKS];
    const worker = async () => {
        for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) await plan(stack, dir);
    };
    await Promise.all(Array.from({ length: Math.min(queue.length, os.availableParallelism()) }, worker));
    process.env[SHARED_PLANS_ENV] = dir;
}

export function mochaGlobalTeardown(): void {
    const dir = process.env[SHARED_PLANS_ENV];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * `npx tsx cli/ci-stacks.ts`
 *
 * The environments CI plans, previews and deploys, read from `stacks/` (so an environment added
 * with `npm run new-env` is in CI without editing a workflow): prints the GitHub Actions matrix
 * `{"include":[{"stack","region","deployerRoleArn"},...]}` on one line, in promotion order.
 * Each stack file is validated as the plan validates it, and each environment must have its
 * policy config, which `pulumi preview`/`up` attach with the pack.
 * Exit codes: 0 printed, 1 a stack file that does not validate or an environment without policy config.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentNames, POLICY_CONFIG_DIR, policyConfigPath, STACKS_DIR, stackFilePath } from "../config/environments";
import { ConfigError, parseStackConfig, readStackFile } from "../config/loader";
import { exitWhenFlushed } from "./lib/exit";

/** One matrix entry: the stack and what its job needs to reach AWS as the stack's deployer. */
export interface CiStack {
    stack: string;
    region: string;
    /** `lakehouse:governance.deployerRoleArn`: the program refuses to run as anyone else. */
    deployerRoleArn: string;
}

/** The environment deployed last: every other one has taken the change first. */
const LAST = "prod";

/**
 * The order changes are deployed in: the environments as `stacks/` lists them (dev, staging, then
 * the others by name), with prod last.
 */
export function promotionOrder(names: string[]): string[] {
    return [...names.filter((n) => n !== LAST), ...names.filter((n) => n === LAST)];
}

/** The CI matrix entries, in promotion order; one line per problem in a ConfigError. */
export function ciStacks(stacksDir = STACKS_DIR, policyConfigDir = POLICY_CONFIG_DIR): CiStack[] {
    const errors: string[] = [];
    const stacks: CiStack[] = [];
    for (const stack of promotionOrder(environmentNames(stacksDir))) {
        const file = stackFilePath(stack, stacksDir);
        const shown = path.relative(process.cwd(), file) || file;
        if (!fs.existsSync(policyConfigPath(stack, policyConfigDir))) {
            errors.push(`${shown}: no policy config ${path.relative(process.cwd(), policyConfigPath(stack, policyConfigDir))}; CI attaches it to pulumi preview and up (npm run new-env writes it)`);
            continue;
        }
        try {
            const config = parseStackConfig(readStackFile(file));
            stacks.push({ stack, region: config.region, deployerRoleArn: config.governance.deployerRoleArn });
        } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
            errors.push(...err.lines.map((line) => (line.startsWith(file) ? line : `${shown}: ${line}`)));
        }
    }
    if (errors.length) throw new ConfigError(errors);
    if (stacks.length === 0) throw new ConfigError([`${path.relative(process.cwd(), stacksDir) || stacksDir}: no Pulumi.<env>.yaml stack files`]);
    return stacks;
}

if (require.main === module) {
    try {
        process.stdout.write(`${JSON.stringify({ include: ciStacks() })}\n`);
        exitWhenFlushed(0);
    } catch (err) {
        const lines = err instanceof ConfigError ? err.lines : [err instanceof Error ? err.message : String(err)];
        for (const line of lines) process.stderr.write(`error: ${line}\n`);
        exitWhenFlushed(1);
    }
}

import * as fs from "node:fs";
import * as path from "node:path";

/** Where the blueprint's stack files live. */
export const STACKS_DIR = path.resolve(__dirname, "..", "stacks");
/** Where the policy pack's per-environment configs live. */
export const POLICY_CONFIG_DIR = path.resolve(__dirname, "..", "policies", "config");

const STACK_FILE = /^Pulumi\.([a-z][a-z0-9-]{1,14})\.yaml$/;
/** The environments the blueprint ships; a team adds its own with `npm run new-env`. */
export const SHIPPED_ENVIRONMENTS: readonly string[] = ["dev", "staging", "prod"];

/**
 * The environments that exist: one per `stacks/Pulumi.<env>.yaml`, in a stable order (the shipped
 * dev, staging and prod first, then the others by name). Tests, generators and the CLI discover
 * environments here rather than naming them.
 */
export function environmentNames(dir = STACKS_DIR): string[] {
    if (!fs.existsSync(dir)) return [];
    const names = fs
        .readdirSync(dir)
        .map((f) => STACK_FILE.exec(f)?.[1])
        .filter((n): n is string => !!n);
    return [...SHIPPED_ENVIRONMENTS.filter((n) => names.includes(n)), ...names.filter((n) => !SHIPPED_ENVIRONMENTS.includes(n)).sort()];
}

/** Path of an environment's stack file. */
export function stackFilePath(environment: string, dir = STACKS_DIR): string {
    return path.join(dir, `Pulumi.${environment}.yaml`);
}

/** Path of an environment's policy config. */
export function policyConfigPath(environment: string, dir = POLICY_CONFIG_DIR): string {
    return path.join(dir, `${environment}.json`);
}

import * as fs from "node:fs";
import * as path from "node:path";
import { policyConfigPath, SHIPPED_ENVIRONMENTS, stackFilePath } from "../../config/environments";
import { tempDir } from "./run-cli";

/**
 * A scratch copy of the shipped stacks and policy configs, so tests never touch the repository's
 * and do not depend on the environments a team has added to it.
 */
export function scratchEnvironments(): { stacksDir: string; policyConfigDir: string } {
    const dir = tempDir();
    const stacksDir = path.join(dir, "stacks");
    const policyConfigDir = path.join(dir, "policies");
    fs.mkdirSync(stacksDir);
    fs.mkdirSync(policyConfigDir);
    for (const env of SHIPPED_ENVIRONMENTS) {
        fs.copyFileSync(stackFilePath(env), stackFilePath(env, stacksDir));
        fs.copyFileSync(policyConfigPath(env), policyConfigPath(env, policyConfigDir));
    }
    return { stacksDir, policyConfigDir };
}

/**
 * `npm run docs:runbooks`: writes docs/runbooks.md, the alarm table and a section per alarm kind
 * (what it means, what to do), from components/monitoring/runbooks.ts, with every environment's
 * thresholds from its stack file (npm run new-env rewrites it for the new environment).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type EnvironmentThresholds, RUNBOOKS_PATH, renderRunbooks } from "../components/monitoring/runbooks";
import { environmentNames, STACKS_DIR, stackFilePath } from "../config/environments";
import { parseStackConfig, readStackFile } from "../config/loader";

/** Every environment's alarm thresholds, in the order the stacks directory lists them. */
export function environmentThresholds(stacksDir = STACKS_DIR): EnvironmentThresholds[] {
    return environmentNames(stacksDir).map((name) => ({ name, thresholds: { ...parseStackConfig(readStackFile(stackFilePath(name, stacksDir))).monitoring.thresholds } }));
}

/** Writes docs/runbooks.md from the stacks of `stacks/`; returns its path. */
export function writeRunbooks(): string {
    const file = path.resolve(__dirname, "..", RUNBOOKS_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderRunbooks(environmentThresholds()));
    return file;
}

if (require.main === module) {
    process.stdout.write(`wrote ${writeRunbooks()}\n`);
}

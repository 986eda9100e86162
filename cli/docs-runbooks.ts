/**
 * `npm run docs:runbooks`: writes docs/runbooks.md, the alarm table and a section per alarm kind
 * (what it means, what to do), from components/monitoring/runbooks.ts, with each shipped
 * environment's thresholds from its stack file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type EnvironmentThresholds, RUNBOOKS_PATH, renderRunbooks } from "../components/monitoring/runbooks";
import { environmentNames, stackFilePath } from "../config/environments";
import { parseStackConfig, readStackFile } from "../config/loader";

/** Every environment's alarm thresholds, in the order the stacks directory lists them. */
export function environmentThresholds(): EnvironmentThresholds[] {
    return environmentNames().map((name) => ({ name, thresholds: { ...parseStackConfig(readStackFile(stackFilePath(name))).monitoring.thresholds } }));
}

if (require.main === module) {
    const file = path.resolve(__dirname, "..", RUNBOOKS_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderRunbooks(environmentThresholds()));
    process.stdout.write(`wrote ${file}\n`);
}

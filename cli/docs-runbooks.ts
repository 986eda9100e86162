/**
 * `npm run docs:runbooks`: writes docs/runbooks.md, a section per alarm kind (what it means, what
 * to do), from components/monitoring/runbooks.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RUNBOOKS_PATH, renderRunbooks } from "../components/monitoring/runbooks";

const file = path.resolve(__dirname, "..", RUNBOOKS_PATH);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, renderRunbooks());
process.stdout.write(`wrote ${file}\n`);

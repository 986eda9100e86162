/**
 * `npm run docs:quotas`: regenerates docs/quotas.md's table from lib/quotas.ts, so the page shows
 * exactly the quotas, defaults and sources the plan judges with.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withGeneratedBlock } from "../config/environment-table";
import { QUOTA_TABLE_END, QUOTA_TABLE_START, renderQuotaTable } from "./report/quota-section";

if (require.main === module) {
    const file = path.resolve(__dirname, "..", "docs", "quotas.md");
    fs.writeFileSync(file, withGeneratedBlock(fs.readFileSync(file, "utf8"), renderQuotaTable(), QUOTA_TABLE_START, QUOTA_TABLE_END));
    process.stdout.write(`wrote the quota table of ${file}\n`);
}

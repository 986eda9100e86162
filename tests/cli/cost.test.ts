import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { planJson, runCli, tempDir } from "../helpers/run-cli";

describe("npm run cost", () => {
    it("prints the estimate by component and line", () => {
        const result = runCli("cli/cost.ts", ["--plan", planJson("staging").file]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /Estimated monthly cost of lakehouse\/staging: \$[\d,]+\.\d\d/);
        assert.match(result.stdout, /RPU base capacity/);
        assert.match(result.stdout, /depends on usage|assumption:/);
    });

    it("compares prod with dev as a markdown table of differences", () => {
        const result = runCli("cli/cost.ts", ["--plan", planJson("prod").file, "--compare", planJson("dev").file, "--format", "markdown"]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^### Monthly cost: prod \$[\d,.]+ vs dev \$[\d,.]+ \(\+\$[\d,.]+\)/);
        assert.match(result.stdout, /\| Component \| dev \| prod \| Difference \|/);
        assert.match(result.stdout, /\| <env>-warehouse · redshift\.node\.ra3\.xlplus \| \$0\.00 \| \$3,171\.12 \| \+\$3,171\.12 \|/);
    });

    it("compares with a saved plan JSON and gives exact differences", () => {
        const base = planJson("dev", ["--no-policies"]);
        const result = runCli("cli/cost.ts", ["--stack", "dev", "--compare", base.file, "--format", "json"]);
        assert.equal(result.status, 0, result.stderr);
        const comparison = JSON.parse(result.stdout);
        assert.equal(comparison.total.delta, 0);
        assert.deepEqual(comparison.lines, []);
        const saved = JSON.parse(fs.readFileSync(base.file, "utf8"));
        assert.equal(comparison.total.before, saved.cost.monthlyTotal);
    });

    it("says the estimate is incomplete, and names each gap, when the total leaves lines out (down to $0.00)", () => {
        const dir = tempDir();
        const planned = planJson("staging");
        const staging = planned.doc;
        const cost = staging.cost!;
        // As a Region whose list prices lack NAT prices the estimate: the NAT lines leave the total.
        const nat = cost.lines.filter((l) => l.priceKey.startsWith("nat."));
        assert.ok(nat.length > 0, "staging has a NAT gateway");
        const withoutNat = cost.lines.filter((l) => !l.priceKey.startsWith("nat."));
        const total = Math.round(withoutNat.reduce((s, l) => s + (l.monthly ?? 0), 0) * 100) / 100;
        const gaps = nat.map((l) => `${l.priceKey}: ${l.item} on ${l.urn.split("::").pop()}`);
        const partial = { ...staging, cost: { ...cost, lines: withoutNat, monthlyTotal: total, complete: false, unpriced: gaps, usageDependent: [] } };
        fs.writeFileSync(path.join(dir, "partial.json"), JSON.stringify(partial));
        const result = runCli("cli/cost.ts", ["--plan", path.join(dir, "partial.json")]);
        assert.equal(result.status, 0, result.stderr);
        const money = total.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        assert.match(result.stdout, new RegExp(`^Estimated monthly cost of lakehouse/staging: \\$${money.replace(/[.]/g, "\\.")} \\(us-east-1 list prices of [\\d-]+\\) - incomplete: ${gaps.length} lines? unpriced, 0 usage-dependent$`, "m"));
        for (const gap of gaps) assert.ok(result.stdout.includes(`unpriced: ${gap}`), gap);

        // Nothing priced at all: $0.00 is said to be incomplete, in the table and the markdown comment.
        const empty = { ...staging, cost: { ...cost, lines: [], byComponent: {}, monthlyTotal: 0, complete: false, unpriced: ["kinesis.shard-hour: 2 shards on clicks"], usageDependent: ["kms.requests: KMS requests on key"] } };
        fs.writeFileSync(path.join(dir, "empty.json"), JSON.stringify(empty));
        const table = runCli("cli/cost.ts", ["--plan", path.join(dir, "empty.json")]);
        assert.match(table.stdout, /^Estimated monthly cost of lakehouse\/staging: \$0\.00 \(.*\) - incomplete: 1 line unpriced, 1 usage-dependent$/m);
        const markdown = runCli("cli/cost.ts", ["--plan", path.join(dir, "empty.json"), "--format", "markdown"]);
        assert.match(markdown.stdout, /^### Estimated monthly cost of lakehouse\/staging: \$0\.00 \(.*\) - incomplete: 1 line unpriced, 1 usage-dependent$/m);
        assert.match(markdown.stdout, /^- unpriced: kinesis\.shard-hour: 2 shards on clicks$/m);
        const compared = runCli("cli/cost.ts", ["--plan", path.join(dir, "empty.json"), "--compare", planned.file]);
        assert.match(compared.stdout, /^Monthly cost: staging \$0\.00 vs staging \$[\d,.]+ \(-\$[\d,.]+\) - staging incomplete: 1 line unpriced, 1 usage-dependent$/m);
        // A complete estimate says nothing of the kind.
        assert.doesNotMatch(runCli("cli/cost.ts", ["--plan", planned.file]).stdout, /incomplete/);
    });

    it("fails with one line on a bad format or a missing plan file", () => {
        const format = runCli("cli/cost.ts", ["--stack", "dev", "--format", "html"]);
        assert.equal(format.status, 1);
        assert.match(format.stderr, /--format: got "html"; expected table, markdown or json/);
        const missing = runCli("cli/cost.ts", ["--stack", "dev", "--compare", path.join("nowhere", "base.json")]);
        assert.equal(missing.status, 1);
        assert.match(missing.stderr, /no such plan file/);
    });
});

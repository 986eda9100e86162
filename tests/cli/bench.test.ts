import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { baselineProgram, benchCommand, median, summarize } from "../../cli/bench";
import { parseArgs } from "../../cli/lib/args";
import type { BenchOptions } from "../../cli/bench";
import { runCli, tempDir } from "../helpers/run-cli";

describe("npm run bench (arguments and arithmetic; the timing itself is not a test)", () => {
    it("takes the median of odd and even counts, and refuses none", () => {
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 3, 2]), 2.5);
        assert.equal(median([7]), 7);
        assert.throws(() => median([]), /no values/);
    });

    it("compares the medians, and reports the median of the paired ratios beside it", () => {
        const summary = summarize([
            { plan: 10, baseline: 4 },
            { plan: 30, baseline: 5 },
            { plan: 12, baseline: 6 },
        ]);
        assert.equal(summary.planMs, 12);
        assert.equal(summary.baselineMs, 5);
        assert.equal(summary.ratio, 12 / 5);
        assert.equal(summary.pairedRatio, 2.5, "median of 2.5, 6 and 2");
    });

    it("defaults to prod with 7 pairs, the resource count read from the plan, and refuses a count below 1", () => {
        const parse = (argv: string[]) => parseArgs<BenchOptions>(benchCommand().configureOutput({ writeErr: () => undefined }), argv);
        assert.deepEqual(parse([]), { options: { stack: "prod", runs: 7 } });
        assert.deepEqual(parse(["--stack", "dev", "--runs", "3", "--resources", "120"]), { options: { stack: "dev", runs: 3, resources: 120 } });
        assert.deepEqual(parse(["--runs", "0"]), { exitCode: 1 });
        assert.deepEqual(parse(["--resources", "1.5"]), { exitCode: 1 });
    });

    it("generates a baseline that registers exactly the requested number of plain resources with the SDK's mocks", () => {
        const file = path.join(tempDir(), "baseline.ts");
        fs.writeFileSync(file, baselineProgram(12, path.dirname(require.resolve("@pulumi/pulumi/package.json"))));
        const run = runCli(file, []);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout.trim(), "registered 12 resources");
    });
});

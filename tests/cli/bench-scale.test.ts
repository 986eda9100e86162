import * as assert from "node:assert/strict";
import { benchScaleCommand, linearFit, marginalCosts } from "../../cli/bench-scale";
import { parseArgs } from "../../cli/lib/args";

describe("npm run bench:scale (arguments and arithmetic; the timing itself is not a test)", () => {
    it("fits a line through the points: the cost per domain and at none", () => {
        assert.deepEqual(linearFit([2, 10, 100], [5, 9, 54]), { slope: 0.5, intercept: 4 });
        assert.deepEqual(linearFit([3, 3], [1, 2]), { slope: 0, intercept: 1.5 });
    });

    it("gives the cost per added domain between consecutive counts, equal when growth is linear", () => {
        const points = [
            { domains: 2, resources: 100, seconds: 5 },
            { domains: 10, resources: 300, seconds: 9 },
            { domains: 100, resources: 2500, seconds: 99 },
        ];
        assert.deepEqual(marginalCosts(points, (p) => p.seconds), [0.5, 1]);
    });

    it("defaults to 2, 10, 100 and 300 domains from prod, once each, and refuses a bad list", () => {
        const parse = (argv: string[]) => parseArgs<Record<string, unknown>>(benchScaleCommand().configureOutput({ writeErr: () => undefined }), argv);
        assert.deepEqual(parse([]), { options: { domains: [2, 10, 100, 300], from: "prod", runs: 1 } });
        assert.deepEqual(parse(["--domains", "300, 2,10", "--runs", "3"]), { options: { domains: [2, 10, 300], from: "prod", runs: 3 } });
        assert.deepEqual(parse(["--domains", "2,x"]), { exitCode: 1 });
        assert.deepEqual(parse(["--domains", "0"]), { exitCode: 1 });
    });
});

import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const TSX = path.resolve(__dirname, "../../../node_modules/.bin/tsx");
const EXIT_MODULE = path.resolve(__dirname, "../../../cli/lib/exit.ts");

describe("exitWhenFlushed", () => {
    it("delivers a large write to a pipe in full before the process ends, with the exit code", () => {
        const bytes = 4 * 1024 * 1024;
        const script = `const { exitWhenFlushed } = require(${JSON.stringify(EXIT_MODULE)}); process.stdout.write("x".repeat(${bytes})); exitWhenFlushed(3);`;
        const result = spawnSync(TSX, ["-e", script], { encoding: "utf8", maxBuffer: 2 * bytes });
        assert.equal(result.status, 3);
        assert.equal(result.stdout.length, bytes);
    });
});

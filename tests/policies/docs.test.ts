import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { POLICY_METADATA } from "../../policies/catalog";
import { renderDocs } from "../../policies/tools/render-docs";

describe("policies/README.md", () => {
    it("is the rendering of the current metadata (run npm run policies:docs when this fails)", () => {
        const current = fs.readFileSync(path.resolve(__dirname, "../../policies/README.md"), "utf8");
        assert.equal(current, renderDocs());
    });

    it("the project README states the pack's real policy count", () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
        const counts = [...readme.matchAll(/with (\d+) policies/g)].map((m) => Number(m[1]));
        assert.deepEqual(counts, [POLICY_METADATA.length]);
    });
});

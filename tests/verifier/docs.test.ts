import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REQUIREMENTS } from "../../verifier";
import { renderDocs } from "../../verifier/tools/render-docs";

describe("verifier/README.md", () => {
    it("is the rendering of the current requirement table (run npm run verifier:docs when this fails)", () => {
        const current = fs.readFileSync(path.resolve(__dirname, "../../verifier/README.md"), "utf8");
        assert.equal(current, renderDocs());
        for (const r of REQUIREMENTS) assert.ok(current.includes(`\`${r.id}\``), r.id);
    });
});

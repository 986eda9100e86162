import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderDocs } from "../../policies/tools/render-docs";

describe("policies/README.md", () => {
    it("is the rendering of the current metadata (run npm run policies:docs when this fails)", () => {
        const current = fs.readFileSync(path.resolve(__dirname, "../../policies/README.md"), "utf8");
        assert.equal(current, renderDocs());
    });
});

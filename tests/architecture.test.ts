import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(relative);
        return entry.name.endsWith(".ts") ? [relative] : [];
    });
}

/** Top-level directories a file's relative imports reach (`components`, `cli`, …). */
function reachedAreas(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const specifiers = [...text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
    return specifiers.map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s)).split(path.sep)[0]);
}

const violations = (dir: string, forbidden: (area: string) => boolean) =>
    sources(dir).flatMap((file) => reachedAreas(file).filter(forbidden).map((area) => `${file} imports ${area}/`));

describe("the walls between areas", () => {
    it("the policy pack imports nothing outside policies/ (it is published on its own)", () => {
        assert.deepEqual(violations("policies", (area) => area !== "policies"), []);
    });

    it("the verifier judges recorded resources: it imports nothing from components/ or cli/", () => {
        assert.deepEqual(violations("verifier", (area) => area === "components" || area === "cli"), []);
    });

    it("components know nothing of cli/, and cost/ prices inputs, not the components", () => {
        assert.deepEqual(violations("components", (area) => area === "cli" || area === "verifier"), []);
        assert.deepEqual(violations("cost", (area) => area === "components" || area === "cli"), []);
    });
});

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile, functionArchive } from "../../../components/shared/function-code";

const VALIDATOR = path.resolve(__dirname, "../../../components/orchestration/functions/ingestion-validator");

describe("function code", () => {
    it("archives each module compiled to CommonJS, and the data files", async () => {
        const archive = functionArchive(VALIDATOR, ["handler", "batch", "contract"], { "contracts.json": "{}" });
        const assets = (await archive.assets) as Record<string, any>;
        assert.deepEqual(Object.keys(assets).sort(), ["batch.js", "contract.js", "contracts.json", "handler.js"]);
        assert.match(await assets["batch.js"].text, /exports\.processBatch = processBatch/);
        assert.equal(await assets["contracts.json"].text, "{}");
    });

    it("compiles code that runs as the Lambda runtime loads it", async () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "validator-"));
        for (const module of ["handler", "batch", "contract"]) fs.writeFileSync(path.join(directory, `${module}.js`), compile(path.join(VALIDATOR, `${module}.ts`)));
        fs.writeFileSync(path.join(directory, "contracts.json"), JSON.stringify({ orders: { stream: "s", primaryKey: ["id"], columns: [{ name: "id", type: "string", nullable: false }] } }));
        // The runtime resolves the AWS SDK itself; here it comes from this repository's node_modules.
        fs.symlinkSync(path.resolve(__dirname, "../../../node_modules"), path.join(directory, "node_modules"), "dir");
        const handler = require(path.join(directory, "handler.js"));
        assert.equal(typeof handler.handler, "function");
        const { processBatch } = require(path.join(directory, "batch.js"));
        const response = await processBatch({ Records: [{ messageId: "m", body: '{"domain":"orders","record":{}}' }] }, { contracts: {}, putRecords: async () => [], deadLetter: async () => [], log: () => {} });
        assert.deepEqual(response, { batchItemFailures: [] });
    });

    it("refuses a module that does not compile, naming it", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "broken-")), "broken.ts");
        fs.writeFileSync(file, "export const x = ;");
        assert.throws(() => compile(file), /cannot compile .*broken\.ts: Expression expected/);
    });
});

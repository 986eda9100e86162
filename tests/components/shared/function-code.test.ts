import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile, defaultCompileCacheDirectory, functionArchive } from "../../../components/shared/function-code";

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

    describe("the compile cache", () => {
        const source = path.join(VALIDATOR, "batch.ts");
        const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "function-cache-"));

        it("returns the compiler's own bytes, and reads them from the cache on the next run", () => {
            const cache = scratch();
            const fresh = compile(source, undefined);
            assert.equal(compile(source, cache), fresh);
            const entries = fs.readdirSync(cache);
            assert.equal(entries.length, 1);
            assert.match(entries[0], /^[0-9a-f]{64}\.js$/);
            assert.equal(fs.readFileSync(path.join(cache, entries[0]), "utf8"), fresh);
            // A marked entry proves the second run read the cache instead of compiling.
            fs.writeFileSync(path.join(cache, entries[0]), "// from the cache");
            assert.equal(compile(source, cache), "// from the cache");
        });

        it("compiles again when the source changes", () => {
            const cache = scratch();
            const file = path.join(scratch(), "module.ts");
            fs.writeFileSync(file, "export const a: number = 1;");
            assert.match(compile(file, cache), /exports\.a = 1/);
            fs.writeFileSync(file, "export const a: number = 2;");
            assert.match(compile(file, cache), /exports\.a = 2/);
            assert.equal(fs.readdirSync(cache).length, 2);
        });

        it("never caches a module that does not compile", () => {
            const cache = scratch();
            const file = path.join(scratch(), "broken.ts");
            fs.writeFileSync(file, "export const x = ;");
            assert.throws(() => compile(file, cache), /Expression expected/);
            assert.deepEqual(fs.readdirSync(cache), []);
        });

        it("still compiles when the cache cannot be written", () => {
            const blocked = path.join(scratch(), "not-a-directory");
            fs.writeFileSync(blocked, "");
            assert.equal(compile(source, path.join(blocked, "cache")), compile(source, undefined));
        });

        it("lives in node_modules/.cache beside the compiler", () => {
            assert.match(defaultCompileCacheDirectory() ?? "", /node_modules[\\/]\.cache[\\/]lakehouse-function-code$/);
        });
    });
});

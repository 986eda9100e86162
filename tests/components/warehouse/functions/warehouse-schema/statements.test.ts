import * as assert from "node:assert/strict";
import { type DataApi, type Pacing, parseRequest, runStatements, type SchemaStatement, type WarehouseTarget } from "../../../../../components/warehouse/functions/warehouse-schema/statements";
import { schemaStatements, warehouseDomain } from "../../../../../lib/warehouse-sql";

const TARGET: WarehouseTarget = { kind: "cluster", name: "wh", database: "lakehouse", secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift!wh-admin-abc123" };
const orders = warehouseDomain({ name: "orders", columns: [{ name: "order_id", type: "string" }, { name: "at", type: "timestamp" }], primaryKey: ["order_id"] });
const STATEMENTS = schemaStatements([orders], "cluster", "lakehouse");

/**
 * A Data API that runs each statement through the statuses a script gives it (by statement id,
 * one status a describe; the last repeats), recording what was submitted and described.
 */
function fakeDataApi(script: Record<string, { status: string; error?: string }[]> = {}) {
    const submitted: SchemaStatement[] = [];
    const described: string[] = [];
    const seen = new Map<string, number>();
    const api: DataApi = {
        execute: async (statement) => {
            submitted.push(statement);
            return `run-${statement.id}`;
        },
        describe: async (statementId) => {
            described.push(statementId);
            const steps = script[statementId.slice("run-".length)] ?? [{ status: "STARTED" }, { status: "FINISHED" }];
            const n = seen.get(statementId) ?? 0;
            seen.set(statementId, n + 1);
            return steps[Math.min(n, steps.length - 1)];
        },
    };
    return { api, submitted, described };
}

/** A clock the fake sleep advances: the function has `budgetMs` in all. */
function fakeTime(budgetMs = 300_000): Pacing & { slept: number[] } {
    let used = 0;
    const slept: number[] = [];
    return {
        slept,
        remainingMs: () => budgetMs - used,
        sleep: async (ms) => {
            slept.push(ms);
            used += ms;
        },
    };
}

describe("warehouse schema function: running the statements", () => {
    it("runs every statement in order, each once the previous has finished, and says how each ended", async () => {
        const { api, submitted, described } = fakeDataApi();
        const outcomes = await runStatements(api, STATEMENTS, fakeTime());
        assert.deepEqual(submitted, STATEMENTS);
        assert.deepEqual(
            outcomes.map((o) => [o.id, o.statementId, o.polls]),
            STATEMENTS.map((s) => [s.id, `run-${s.id}`, 2]),
        );
        // Each statement is described until it finished before the next is submitted.
        assert.deepEqual(described, STATEMENTS.flatMap((s) => [`run-${s.id}`, `run-${s.id}`]));
    });

    it("fails with the failing statement's error and runs none after it", async () => {
        const { api, submitted } = fakeDataApi({ "table-orders": [{ status: "PICKED" }, { status: "FAILED", error: 'ERROR: type "varchar(70000)" is out of range' }] });
        await assert.rejects(
            runStatements(api, STATEMENTS, fakeTime()),
            (error: Error) => {
                assert.equal(error.message, 'statement table-orders (Data API id run-table-orders) FAILED: ERROR: type "varchar(70000)" is out of range; schema ran before it');
                return true;
            },
        );
        assert.deepEqual(
            submitted.map((s) => s.id),
            ["schema", "table-orders"],
        );
    });

    it("fails on an aborted statement too", async () => {
        const { api } = fakeDataApi({ schema: [{ status: "ABORTED" }] });
        await assert.rejects(runStatements(api, STATEMENTS, fakeTime()), /^Error: statement schema \(Data API id run-schema\) ABORTED: no error given; none ran before it$/);
    });

    it("gives up on a statement that would outlast the function, keeping time back to say so, and runs none after it", async () => {
        const { api, submitted } = fakeDataApi({ "loader-procedure": [{ status: "STARTED" }] });
        const time = fakeTime(60_000);
        await assert.rejects(runStatements(api, STATEMENTS, time), (error: Error) => {
            assert.match(error.message, /^statement loader-procedure \(Data API id run-loader-procedure\) is still STARTED and the function's time is running out; it may yet finish in the warehouse, and the next run repeats it harmlessly; schema, table-orders ran before it$/);
            return true;
        });
        assert.equal(submitted.at(-1)?.id, "loader-procedure");
        assert.ok(time.remainingMs() >= 5000, `stopped with ${time.remainingMs()} ms left, at least the 5 s kept back`);
    });

    it("polls soon, then less often, at most every five seconds", async () => {
        const { api } = fakeDataApi({ schema: [{ status: "SUBMITTED" }, { status: "PICKED" }, { status: "STARTED" }, { status: "STARTED" }, { status: "STARTED" }, { status: "STARTED" }, { status: "STARTED" }, { status: "FINISHED" }] });
        const time = fakeTime();
        await runStatements(api, STATEMENTS.slice(0, 1), time);
        assert.deepEqual(time.slept, [250, 500, 1000, 2000, 4000, 5000, 5000]);
    });
});

describe("warehouse schema function: the request", () => {
    const request = { target: TARGET, statements: STATEMENTS };

    it("takes the statements of a request for the warehouse the function was deployed for", () => {
        assert.deepEqual(parseRequest(JSON.parse(JSON.stringify(request)), TARGET), request);
    });

    it("refuses a request for another warehouse, database or secret, naming what differs", () => {
        assert.throws(() => parseRequest({ ...request, target: { ...TARGET, name: "other" } }, TARGET), /^Error: invalid request: target\.name is "other", but this function runs statements in cluster wh, database lakehouse, with its admin secret$/);
        assert.throws(() => parseRequest({ ...request, target: { ...TARGET, kind: "serverless" } }, TARGET), /target\.kind is "serverless"/);
        assert.throws(() => parseRequest({ ...request, target: { ...TARGET, database: "dev" } }, TARGET), /target\.database is "dev"/);
        assert.throws(() => parseRequest({ ...request, target: { ...TARGET, secretArn: `${TARGET.secretArn}x` } }, TARGET), /target\.secretArn is/);
        assert.throws(() => parseRequest({ statements: STATEMENTS }, TARGET), /invalid request: target is not an object/);
    });

    it("refuses malformed statements", () => {
        assert.throws(() => parseRequest(null, TARGET), /invalid request: expected an object/);
        assert.throws(() => parseRequest({ ...request, statements: [] }, TARGET), /statements is not a non-empty list/);
        assert.throws(() => parseRequest({ ...request, statements: [STATEMENTS[0], STATEMENTS[0]] }, TARGET), /statements\[1\]\.id schema is declared twice/);
        assert.throws(() => parseRequest({ ...request, statements: [{ id: "a b", sql: "SELECT 1" }] }, TARGET), /statements\[0\]\.id is not an id/);
        assert.throws(() => parseRequest({ ...request, statements: [{ id: "a", sql: "  " }] }, TARGET), /statements\[0\]\.sql is empty/);
    });
});

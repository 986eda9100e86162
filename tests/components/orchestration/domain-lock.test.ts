import * as assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import jsonata from "jsonata";
import { domainLockKey, domainWorstCaseSeconds, type LoadDefinitionInput, loadDefinition } from "../../../components/orchestration";
import { watermarkKey } from "../../../lib/pipeline-state";
import { loadStatements } from "../../../lib/warehouse-sql";

// dynalite ships no typings: an in-process DynamoDB implementation (conditional writes included).
const dynalite: (options: { createTableMs: number }) => import("node:http").Server = require("dynalite");

const input: LoadDefinitionInput = {
    domains: [{ name: "orders", jobName: "job-orders", manifestPrefix: "s3://c/orders/_manifests/", watermarkPk: watermarkKey("orders").pk, lockPk: domainLockKey("orders"), ...loadStatements({ name: "orders", primaryKey: ["id"], eventTime: "ts" }) }],
    domainsObject: { bucket: "artefacts-b", key: "orchestration/load/domains.json" },
    target: { kind: "cluster", clusterIdentifier: "wh", database: "lakehouse" },
    stateTableName: "state",
    warehouseLakeRoleArn: "arn:aws:iam::123456789012:role/lake",
    alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
    maxRunsPerLoad: 24,
    jobTimeoutMinutes: 60,
    statementTimeoutSeconds: 1800,
    maxConcurrentDomains: 10,
};
const definition = loadDefinition(input) as any;
const child = definition.States.LoadDomains.ItemProcessor;
const acquireState = child.States.AcquireDomainLock;
const releaseState = child.States.ReleaseDomainLock;

/** A JSONata template value (`{% … %}`) evaluated with jsonata itself, as Step Functions does. */
async function template(value: string, states: unknown): Promise<string> {
    const match = /^\{%(.*)%\}$/s.exec(value);
    return match ? String(await jsonata(match[1]).evaluate({}, { states })) : value;
}

/** Every attribute value of a JSONata state's arguments, evaluated for one execution. */
async function attributeValues(values: Record<string, { S: string }>, states: unknown): Promise<Record<string, { S: string }>> {
    const out: Record<string, { S: string }> = {};
    for (const [key, value] of Object.entries(values)) out[key] = { S: await template(value.S, states) };
    return out;
}

describe("the domain lock, on a real DynamoDB engine (dynalite) with the definition's own expressions", () => {
    let server: import("node:http").Server;
    let db: DynamoDBClient;
    const domain = input.domains[0];

    /** What a child execution's AcquireDomainLock does: the task's call, its arguments rendered. */
    async function acquire(execution: string, enteredTime: string): Promise<"acquired" | "locked"> {
        const states = { input: { domain }, context: { Execution: { Id: execution }, State: { EnteredTime: enteredTime } } };
        const args = acquireState.Arguments;
        try {
            await db.send(
                new UpdateItemCommand({
                    TableName: args.TableName,
                    Key: { pk: { S: await template(args.Key.pk.S, states) }, sk: args.Key.sk },
                    UpdateExpression: args.UpdateExpression,
                    ConditionExpression: args.ConditionExpression,
                    ExpressionAttributeValues: await attributeValues(args.ExpressionAttributeValues, states),
                }),
            );
            return "acquired";
        } catch (err) {
            if (!(err instanceof ConditionalCheckFailedException)) throw err;
            // The definition routes exactly this error (as the integration names it) to the skip.
            const route = acquireState.Catch.find((c: any) => c.ErrorEquals.includes("DynamoDB.ConditionalCheckFailedException"));
            assert.equal(route?.Next, "DomainLocked");
            return "locked";
        }
    }

    /** What ReleaseDomainLock does: its parameters with `$$.Execution.Id` and the lock key resolved. */
    async function release(execution: string): Promise<"released" | "not the holder"> {
        const params = releaseState.Parameters;
        assert.deepEqual(params.Key, { pk: { "S.$": "$.domain.lockPk" }, sk: { S: "lock" } });
        assert.deepEqual(params.ExpressionAttributeValues, { ":me": { "S.$": "$$.Execution.Id" } });
        try {
            await db.send(
                new UpdateItemCommand({
                    TableName: params.TableName,
                    Key: { pk: { S: domain.lockPk }, sk: params.Key.sk },
                    UpdateExpression: params.UpdateExpression,
                    ConditionExpression: params.ConditionExpression,
                    ExpressionAttributeValues: { ":me": { S: execution } },
                }),
            );
            return "released";
        } catch (err) {
            if (!(err instanceof ConditionalCheckFailedException)) throw err;
            // A release that finds another holder is caught: the domain's outcome stands.
            assert.equal(releaseState.Catch[0].Next, "DomainDone");
            return "not the holder";
        }
    }

    const holder = async () => (await db.send(new GetItemCommand({ TableName: "state", Key: { pk: { S: domain.lockPk }, sk: { S: "lock" } } }))).Item?.holder?.S;
    const at = (base: string, seconds: number) => new Date(Date.parse(base) + seconds * 1000).toISOString();

    before(async () => {
        server = dynalite({ createTableMs: 0 });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        db = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        await db.send(
            new CreateTableCommand({
                TableName: "state",
                KeySchema: [
                    { AttributeName: "pk", KeyType: "HASH" },
                    { AttributeName: "sk", KeyType: "RANGE" },
                ],
                AttributeDefinitions: [
                    { AttributeName: "pk", AttributeType: "S" },
                    { AttributeName: "sk", AttributeType: "S" },
                ],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
    });

    after(() => {
        db?.destroy();
        server?.close();
    });

    it("lets one of two overlapping executions in; the other skips the domain until the first releases it", async () => {
        const t0 = "2026-12-07T10:00:00.000Z";
        assert.equal(await acquire("exec-a", t0), "acquired");
        assert.equal(await acquire("exec-b", at(t0, 60)), "locked");
        assert.equal(await holder(), "exec-a");
        assert.equal(await release("exec-a"), "released");
        assert.equal(await acquire("exec-b", at(t0, 120)), "acquired");
        assert.equal(await release("exec-b"), "released");
    });

    it("lets an execution whose first write landed but answered with an error take its own lock again on the retry", async () => {
        const t0 = "2026-12-07T14:00:00.000Z";
        assert.equal(await acquire("exec-a", t0), "acquired");
        // The retry of the same task (DynamoDB.InternalServerErrorException after the write landed).
        assert.equal(await acquire("exec-a", at(t0, 30)), "acquired");
        assert.equal(await acquire("exec-b", at(t0, 60)), "locked");
        assert.equal(await release("exec-a"), "released");
    });

    it("keeps a stopped holder's lock until its lease lapses, which is after any child could still run; its late release cannot free the new holder's", async () => {
        const t0 = "2026-12-07T12:00:00.000Z";
        assert.equal(await acquire("exec-a", t0), "acquired");
        // exec-a stopped without releasing (say, the parent was stopped).
        assert.equal(await acquire("exec-b", at(t0, domainWorstCaseSeconds(input))), "locked", "still within the longest a child can run");
        const lease = Number(/\+ (\d+)\) %\}$/.exec(acquireState.Arguments.ExpressionAttributeValues[":until"].S)![1]) / 1000;
        assert.equal(await acquire("exec-b", at(t0, lease + 1)), "acquired");
        assert.equal(await release("exec-a"), "not the holder");
        assert.equal(await holder(), "exec-b");
        assert.equal(await release("exec-b"), "released");
    });

    it("reaches the job and every load only through a lock it holds, and releases it only after them", () => {
        const next = (name: string): string[] => {
            const s = child.States[name];
            return [s.Next, s.Default, ...(s.Choices ?? []).map((c: any) => c.Next), ...(s.Catch ?? []).map((c: any) => c.Next)].filter(Boolean);
        };
        const reachable = (from: string[], blocked: Set<string> = new Set()): Set<string> => {
            const seen = new Set<string>();
            const todo = [...from];
            while (todo.length) {
                const n = todo.pop()!;
                if (seen.has(n) || blocked.has(n)) continue;
                seen.add(n);
                todo.push(...next(n));
            }
            return seen;
        };
        const work = ["TransformRawToCurated", "FindPendingRuns", "LoadPendingRuns"];
        assert.equal(child.StartAt, "AcquireDomainLock");
        assert.equal(acquireState.Next, "TransformRawToCurated", "the lock's success leads to the work");
        // The acquire's failures lead nowhere near the work.
        const onFailure = reachable(acquireState.Catch.map((c: any) => c.Next));
        for (const state of work) assert.ok(!onFailure.has(state), `${state} reachable without the lock`);
        // After the release, no work.
        const afterRelease = reachable(next("ReleaseDomainLock"));
        for (const state of work) assert.ok(!afterRelease.has(state), `${state} runs after the release`);
        // Every way out of the work goes through the release.
        const ends = [...reachable(["TransformRawToCurated"], new Set(["ReleaseDomainLock"]))].filter((n) => child.States[n].End || child.States[n].Type === "Succeed" || child.States[n].Type === "Fail");
        assert.deepEqual(ends, [], `ends that skip the release: ${ends.join(", ")}`);
    });
});

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseStackConfig } from "../../../config/loader";
import { readEnvironment, writeEnvironment } from "../../../cli/scale-env";
import { scaledDomainName, scaledEnvironment } from "../../../cli/lib/scaled-environment";
import { runCliAsync } from "../../helpers/run-cli";

interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

const prod = readEnvironment("prod");

describe("scaled environments (npm run scale-env)", () => {
    it("keeps the base's domains and settings, adds generated ones with their classification, quota and budget", () => {
        const { stack, policyConfig } = scaledEnvironment(prod, { name: "scale60", domains: 60 });
        const domains = stack["lakehouse:domains"] as { name: string; transport: string }[];
        assert.equal(domains.length, 60);
        assert.deepEqual(domains.slice(0, 2).map((d) => d.name), ["clickstream", "orders"]);
        assert.deepEqual(domains.slice(2, 5).map((d) => d.name), [scaledDomainName(1), scaledDomainName(2), scaledDomainName(3)]);
        assert.deepEqual(domains.slice(2, 5).map((d) => d.transport), ["kinesis", "kinesis", "msk"]);
        assert.equal(stack["lakehouse:environment"], "scale60");
        assert.equal((stack["lakehouse:governance"] as any).databaseClassification.scale058, "internal");
        assert.deepEqual(stack["lakehouse:quotas"], { "firehose-delivery-streams": 100 });
        assert.equal((stack["lakehouse:orchestration"] as any).maxConcurrentDomains, 15, "a quarter of the domains at once");
        assert.equal((stack["lakehouse:cost"] as any).monthlyBudgetUsd, (prod.stack["lakehouse:cost"] as any).monthlyBudgetUsd + 600 * 58);
        assert.deepEqual(policyConfig, prod.policyConfig);
        assert.equal(stack["lakehouse:region"] ?? stack["aws:region"], prod.stack["lakehouse:region"] ?? prod.stack["aws:region"]);
        // The generated stack passes the blueprint's own schema (parseStackConfig throws otherwise).
        assert.equal(parseStackConfig(stack).domains.length, 60);
    });

    it("refuses fewer domains than the base declares, naming them", () => {
        assert.throws(() => scaledEnvironment(prod, { name: "scale1", domains: 1 }), /domains: got 1; expected a whole number of at least 2, the base environment's own domains \(clickstream, orders\)/);
    });

    it("adding a domain neither renames nor replaces anything the others have: only in-place updates of what lists every domain", async function () {
        this.timeout(600_000);
        const plan = async (domains: number): Promise<PlannedResource[]> => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scale-${domains}-`));
            const files = writeEnvironment(scaledEnvironment(prod, { name: "scalex", domains }), "scalex", dir);
            const json = path.join(dir, "plan.json");
            const result = await runCliAsync("cli/plan.ts", ["--stack", "scalex", "--config-file", files.stackFile, "--policy-config", files.policyConfig, "--json", json]);
            assert.equal(result.status, 0, result.stderr);
            return (JSON.parse(fs.readFileSync(json, "utf8")) as { resources: PlannedResource[] }).resources;
        };
        const [before, after] = await Promise.all([plan(4), plan(5)]);
        const afterByUrn = new Map(after.map((r) => [r.urn, r]));
        assert.deepEqual(before.filter((r) => !afterByUrn.has(r.urn)).map((r) => r.urn), [], "no URN of the smaller environment disappears");
        assert.ok(after.some((r) => r.urn.includes(scaledDomainName(3))), "the new domain's resources are there");
        // What may change when a domain is added, each updated in place (no replacement):
        const inPlace: Record<string, string[]> = {
            // PutRolePolicy rewrites an inline policy.
            "aws:iam/rolePolicy:RolePolicy": ["policy"],
            // UpdateLFTag adds values (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_UpdateLFTag.html).
            "aws:lakeformation/lfTag:LfTag": ["values"],
            // UpdateStateMachine, PutDashboard, PutRule.
            "aws:sfn/stateMachine:StateMachine": ["definition"],
            "aws:cloudwatch/dashboard:Dashboard": ["dashboardBody"],
            "aws:cloudwatch/eventRule:EventRule": ["eventPattern"],
            // PutObject rewrites the load's domain list (its key and bucket stay).
            "aws:s3/bucketObjectv2:BucketObjectv2": ["content"],
            // UpdateBrokerStorage grows the brokers' volumes (checked below: it only grows).
            "aws:msk/cluster:Cluster": ["brokerNodeGroupInfo"],
        };
        const changes: string[] = [];
        const invocations: string[] = [];
        for (const resource of before) {
            const next = afterByUrn.get(resource.urn)!;
            for (const key of new Set([...Object.keys(resource.inputs), ...Object.keys(next.inputs)])) {
                if (JSON.stringify(resource.inputs[key]) === JSON.stringify(next.inputs[key])) continue;
                if (resource.type === "aws:lambda/invocation:Invocation" && key === "input") invocations.push(resource.name);
                else if (!inPlace[resource.type]?.includes(key)) changes.push(`${resource.type} ${resource.name}: ${key}`);
            }
        }
        assert.deepEqual(changes, [], "changes that are not in-place updates");
        // The two platform-wide invocations (every domain's warehouse tables; every domain's
        // IAM_ALLOWED_PRINCIPALS revocation) run again with the longer list: idempotent, and no
        // domain's own resource.
        assert.deepEqual(invocations.sort(), ["lakehouse-scalex-governance-no-iam-allowed-principals", "lakehouse-scalex-warehouse-schema"]);
        const volume = (resources: PlannedResource[]) => (resources.find((r) => r.type === "aws:msk/cluster:Cluster")!.inputs as any).brokerNodeGroupInfo;
        const { storageInfo: grown, ...rest } = volume(after);
        const { storageInfo: was, ...restBefore } = volume(before);
        assert.deepEqual(rest, restBefore, "only the storage of the brokers changes");
        assert.ok(grown.ebsStorageInfo.volumeSize >= was.ebsStorageInfo.volumeSize, "broker storage only grows (MSK cannot shrink it)");
    });
});

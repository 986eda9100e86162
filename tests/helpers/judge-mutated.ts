/**
 * Test harness (run as its own process): plans a blueprint stack exactly as `npm run plan` does,
 * then for each named mutation breaks one guardrail in a copy of the recorded registrations and
 * judges it with the real pack through the analyzer interface (one pack process for all).
 * Prints `{ <mutation>: <policy section> }` as JSON.
 *   tsx tests/helpers/judge-mutated.ts <stack> <mutation> [<mutation>...]
 */
import * as path from "node:path";
import { readStackFile, toPulumiConfigMap } from "../../config/loader";
import { PolicyJudge } from "../../cli/engine/judge";
import { stackTarget } from "../../cli/engine/plan-stack";
import { exitWhenFlushed } from "../../cli/lib/exit";
import { type ProgramRun, type RecordedResource, runProgram } from "../../cli/engine/run-program";

const ROOT = path.resolve(__dirname, "../..");

function find(run: ProgramRun, type: string, nameIncludes: string): RecordedResource {
    const found = run.resources.find((r) => r.type === type && r.name.includes(nameIncludes));
    if (!found) throw new Error(`no ${type} named like ${nameIncludes}`);
    return found;
}
function remove(run: ProgramRun, resource: RecordedResource) {
    run.resources.splice(run.resources.indexOf(resource), 1);
}
function setInput(run: ProgramRun, resource: RecordedResource, key: string, value: unknown) {
    for (const props of [run.wire.inputs.get(resource.urn), run.wire.state.get(resource.urn), resource.inputs]) {
        if (!props) continue;
        if (value === undefined) delete props[key];
        else props[key] = value;
    }
}

/** One broken guardrail per family. */
const MUTATIONS: Record<string, (run: ProgramRun) => void> = {
    "drop-bucket-encryption": (run) => remove(run, find(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "lake-raw")),
    "remove-s3-endpoint-association": (run) => remove(run, find(run, "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation", "s3-rt-0")),
    "public-ingress": (run) => {
        const rule = find(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "warehouse");
        setInput(run, rule, "cidrIpv4", "0.0.0.0/0");
    },
    "drop-protect": (run) => {
        find(run, "aws:s3/bucket:Bucket", "lake-raw").protect = false;
    },
    "remove-lifecycle": (run) => remove(run, find(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lake-curated")),
    "remove-flow-logs": (run) => remove(run, find(run, "aws:ec2/flowLog:FlowLog", "flow-logs")),
    "single-az-kafka": (run) => {
        const cluster = find(run, "aws:msk/cluster:Cluster", "kafka");
        const wire = run.wire.inputs.get(cluster.urn) as any;
        wire.brokerNodeGroupInfo.clientSubnets = wire.brokerNodeGroupInfo.clientSubnets.slice(0, 1);
    },
    "public-warehouse": (run) => setInput(run, find(run, "aws:redshift/cluster:Cluster", "warehouse"), "publiclyAccessible", true),
    "drop-owner-tag": (run) => {
        const provider = find(run, "pulumi:providers:aws", "aws-");
        const wire = run.wire.inputs.get(provider.urn) as any;
        const tags = JSON.parse(wire.defaultTags);
        delete tags.tags.owner;
        wire.defaultTags = JSON.stringify(tags);
    },
    "json-into-lake": (run) => {
        const firehose = find(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "to-raw");
        (run.wire.inputs.get(firehose.urn) as any).extendedS3Configuration.dataFormatConversionConfiguration.enabled = false;
    },
    "service-linked-registration": (run) => {
        const registration = find(run, "aws:lakeformation/resource:Resource", "governance-raw");
        setInput(run, registration, "useServiceLinkedRole", true);
        setInput(run, registration, "roleArn", undefined);
    },
    "admin-role-policy": (run) => {
        const policy = run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
        if (!policy) throw new Error("no role policy");
        setInput(run, policy, "policy", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }));
    },
    "aes256-bucket-encryption": (run) =>
        setInput(run, find(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "lake-raw"), "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
    "msk-autoscaling-not-ignored": (run) => {
        find(run, "aws:msk/cluster:Cluster", "kafka").options.ignoreChanges = [];
    },
    none: () => undefined,
};

function copyRun(run: ProgramRun): ProgramRun {
    return {
        ...run,
        resources: structuredClone(run.resources),
        wire: { inputs: structuredClone(run.wire.inputs), state: structuredClone(run.wire.state) },
    };
}

async function main() {
    const [stack, ...mutations] = process.argv.slice(2);
    for (const m of mutations) if (!MUTATIONS[m]) throw new Error(`unknown mutation ${m}; known: ${Object.keys(MUTATIONS).join(", ")}`);
    const raw = readStackFile(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`));
    const region = String(raw["aws:region"]);
    const run = await runProgram({
        programDir: ROOT,
        main: "index.ts",
        project: "lakehouse",
        stack,
        config: toPulumiConfigMap(raw),
        target: stackTarget(raw, region),
    });
    const judge = await PolicyJudge.open({ packDir: path.join(ROOT, "policies"), stack });
    const results: Record<string, unknown> = {};
    try {
        for (const mutation of mutations) {
            const variant = copyRun(run);
            MUTATIONS[mutation](variant);
            results[mutation] = await judge.judge(variant);
        }
    } finally {
        judge.close();
    }
    process.stdout.write(JSON.stringify(results));
    exitWhenFlushed(0);
}

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    exitWhenFlushed(1);
});

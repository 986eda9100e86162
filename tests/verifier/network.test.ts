import * as assert from "node:assert/strict";
import { environmentNames } from "../../config/environments";
import { type HopResult, isBroken, isNotJudged, verifyPlan } from "../../verifier";
import type { PlannedResource, PlannedStack } from "../../verifier/plan";
import { renderVerification } from "../../verifier/report";
import { copyPlan } from "../helpers/plan-edit";
import { planJson } from "../helpers/run-cli";

const STACKS = environmentNames();
const UNKNOWN = "[unknown]";

const ofType = (plan: PlannedStack, type: string) => plan.resources.filter((r) => r.type === type);
const endpoint = (plan: PlannedStack, service: string, type: "Gateway" | "Interface") => ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => String(e.inputs.serviceName).endsWith(`.${service}`) && e.inputs.vpcEndpointType === type)!;
const egressOf = (plan: PlannedStack, groupId: string) => ofType(plan, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === groupId);
const ingressOf = (plan: PlannedStack, groupId: string) => ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === groupId);
/** The invocation that creates a Serverless cluster's topics, by name: the stacks invoke other functions at deploy time too (the warehouse schema's). */
const kafkaTopicsInvocations = (plan: PlannedStack) => ofType(plan, "aws:lambda/invocation:Invocation").filter((r) => r.name === `lakehouse-${plan.stack}-kafka-topics`);
const without = (plan: PlannedStack, doomed: PlannedResource[]) => {
    plan.resources = plan.resources.filter((r) => !doomed.includes(r));
};
/** The security group and subnet of the Glue jobs' connection. */
const glueNetwork = (plan: PlannedStack) => {
    const requirements = ofType(plan, "aws:glue/connection:Connection")[0].inputs.physicalConnectionRequirements;
    return { group: String(requirements.securityGroupIdLists[0]), subnet: String(requirements.subnetId) };
};
const hopsOf = (hops: HopResult[], requirement: string, hop: RegExp | string) => hops.filter((h) => h.requirement === requirement && (typeof hop === "string" ? h.hop.includes(hop) : hop.test(h.hop)));
const jobHop = (hops: HopResult[], service: string) => {
    const found = hopsOf(hops, "network.glue-job", new RegExp(`^Glue job .*-etl-orders reaches ${service.replace(".", "\\.")}$`));
    assert.equal(found.length, 1, `one hop for the orders job to ${service}: ${JSON.stringify(hops.filter((h) => h.requirement === "network.glue-job").map((h) => h.hop))}`);
    return found[0];
};

describe("the verifier's network and run-time hops", () => {
    const plans: Record<string, PlannedStack> = {};
    const reports: Record<string, HopResult[]> = {};
    before(async () => {
        for (const stack of STACKS) {
            plans[stack] = planJson(stack, ["--no-policies"]).doc as unknown as PlannedStack;
            reports[stack] = (await verifyPlan(plans[stack])).hops;
        }
    });

    describe("on the stacks as planned", () => {
        it("every network and run-time hop of every environment is reachable or connected", () => {
            for (const stack of STACKS) {
                const hops = reports[stack].filter((h) => /^(network|runtime)\./.test(h.requirement));
                assert.deepEqual(hops.filter((h) => isBroken(h) || isNotJudged(h)).map((h) => `${stack}: ${h.hop}: ${h.reason}`), []);
            }
        });

        it("the ETL job reaches everything it calls, the services coming from its permission hops and code calls", () => {
            const services = hopsOf(reports.prod, "network.glue-job", /-etl-orders reaches /).map((h) => h.hop.split(" reaches ")[1]);
            for (const service of ["s3", "dynamodb", "glue", "lakeformation", "monitoring", "logs"]) assert.ok(services.includes(service), `${service} in ${services}`);
            assert.match(jobHop(reports.prod, "dynamodb").reason, /^dynamodb through gateway endpoint vpce-\S+ \(\S+-endpoints-dynamodb\) \(on route table rtb-\S+ \(\S+-private-0\) .*egress pl-\S+ tcp\/443\)$/);
            // The run's watermark read and its commit transaction (Get, Put, Update), and a backfill's query of the pending index.
            assert.deepEqual(jobHop(reports.prod, "dynamodb").actions.sort(), ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]);
            assert.match(jobHop(reports.prod, "glue").reason, /^glue through interface endpoint vpce-\S+ \(\S+-endpoints-glue\) \(private DNS; egress 10\.42\.0\.0\/16 tcp\/443, ingress 10\.42\.0\.0\/16 tcp\/443\)$/);
        });

        it("the warehouse reaches S3 for its COPY through the isolated route tables; the validator reaches Kinesis and SQS; Firehose reaches the brokers", () => {
            const [warehouse] = hopsOf(reports.prod, "network.redshift", "reaches s3");
            assert.equal(warehouse.verdict, "reachable");
            assert.equal((warehouse.reason.match(/-isolated-\d\)/g) ?? []).length / 2, 3, "each of the three isolated subnets");
            assert.deepEqual(hopsOf(reports.prod, "network.lambda", /ingestion-validator reaches/).map((h) => [h.hop.split(" reaches ")[1], h.verdict]), [
                ["kinesis-streams", "reachable"],
                ["sqs", "reachable"],
            ]);
            const [brokers] = hopsOf(reports.prod, "network.firehose-msk", "through its private connection");
            assert.match(brokers.reason, /^tcp\/14001-14003 admitted by sg-\S+ \(\S+-kafka-brokers\)$/);
            const [topics] = hopsOf(reports.dev, "network.lambda", /kafka-topics reaches the Kafka brokers/);
            assert.equal(topics.verdict, "reachable", topics.reason);
        });

        it("every Kafka topic Firehose reads is created by the stack, through aws.msk.Topic (provisioned) or the topic function's invocation (Serverless)", () => {
            assert.match(hopsOf(reports.prod, "runtime.kafka-topic", "orders")[0].reason, /^created by aws\.msk\.Topic /);
            assert.match(hopsOf(reports.dev, "runtime.kafka-topic", "orders")[0].reason, /^created by invocation \S+ of function \S+-kafka-topics$/);
        });
    });

    describe("the three mutations of the issue each break a hop naming what is missing", () => {
        it("without the S3 gateway endpoint's route tables, the job and the warehouse cannot reach S3", async () => {
            const plan = copyPlan(plans.prod);
            const s3 = endpoint(plan, "s3", "Gateway");
            without(plan, ofType(plan, "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation").filter((a) => a.inputs.vpcEndpointId === s3.id));
            const hops = (await verifyPlan(plan)).hops;
            const job = jobHop(hops, "s3");
            assert.equal(job.verdict, "unreachable");
            assert.match(
                job.reason,
                new RegExp(
                    `^Glue job \\S+ → s3: gateway endpoint ${s3.id} \\(\\S+-endpoints-s3\\) for s3 is not on route table rtb-\\S+ \\(\\S+-private-0\\) of subnet ${glueNetwork(plan).subnet} \\(\\S+-private-0\\); and the NAT route of .* \\(0\\.0\\.0\\.0/0 → nat-\\S+ \\(\\S+\\)\\) needs egress tcp/443 to 0\\.0\\.0\\.0/0, which security group ${glueNetwork(plan).group} \\(\\S+-catalog-glue\\) \\(egress: .*\\) does not allow$`,
                ),
            );
            const [warehouse] = hopsOf(hops, "network.redshift", "reaches s3");
            assert.equal(warehouse.verdict, "unreachable");
            assert.match(warehouse.reason, /gateway endpoint \S+ \(\S+-endpoints-s3\) for s3 is not on route table rtb-\S+ \(\S+-isolated-0\).*has no default route \(no NAT\)/);
            assert.equal(renderVerification({ stack: "prod", summary: { hops: 1, verified: 0, broken: 1, notJudged: 0 }, hops: [job] }).split("\n")[1].trim().split(" ")[0], "UNREACHABLE");
        });

        it("without the job's security-group egress, the job reaches nothing, and each hop names the group", async () => {
            const plan = copyPlan(plans.prod);
            const { group } = glueNetwork(plan);
            without(plan, egressOf(plan, group));
            const hops = (await verifyPlan(plan)).hops.filter((h) => h.requirement === "network.glue-job" && h.hop.includes("-etl-orders"));
            assert.ok(hops.length >= 6);
            for (const hop of hops) {
                assert.equal(hop.verdict, "unreachable", hop.hop);
                assert.ok(hop.reason.includes(`security group ${group} (`) && hop.reason.includes("(egress: none)"), hop.reason);
            }
            assert.match(jobHop(hops, "dynamodb").reason, /dynamodb is routed to gateway endpoint \S+ \(\S+-endpoints-dynamodb\) by route table .* but security group .* \(egress: none\) has no egress tcp\/443 to its prefix list pl-/);
            assert.match(jobHop(hops, "glue").reason, /glue resolves to interface endpoint \S+ \(\S+-endpoints-glue\) \(private DNS\), but security group .* \(egress: none\) has no egress tcp\/443 to its subnets/);
        });

        it("without the topic, Firehose's topic hop is broken, on a provisioned cluster (prod) as on Serverless (dev)", async () => {
            for (const stack of ["prod", "dev"]) {
                const plan = copyPlan(plans[stack]);
                without(plan, [...ofType(plan, "aws:msk/topic:Topic"), ...kafkaTopicsInvocations(plan)]);
                const [hop] = hopsOf((await verifyPlan(plan)).hops, "runtime.kafka-topic", "orders");
                assert.equal(hop.verdict, "broken-lineage", stack);
                assert.match(hop.reason, /^nothing in the plan creates topic orders on arn:aws:kafka:\S+: no aws\.msk\.Topic with that cluster ARN and name, no aws\.lambda\.Invocation creating it/);
            }
        });
    });

    describe("paths, endpoints and policies", () => {
        it("an endpoint policy that does not allow a call breaks the hop (evaluated by the simulator)", async () => {
            const plan = copyPlan(plans.prod);
            const dynamodb = endpoint(plan, "dynamodb", "Gateway");
            dynamodb.inputs.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: "*" }] });
            const hop = jobHop((await verifyPlan(plan)).hops, "dynamodb");
            assert.equal(hop.verdict, "unreachable");
            assert.match(hop.reason, new RegExp(`dynamodb through gateway endpoint ${dynamodb.id} \\(\\S+\\): the endpoint policy of ${dynamodb.id} does not allow dynamodb:PutItem on arn:aws:dynamodb:\\S+:table/lakehouse-prod-pipeline-state for arn:aws:iam::\\d+:role/`));
            dynamodb.inputs.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "dynamodb:*", Resource: "*", Condition: { StringEquals: { "aws:SourceVpce": dynamodb.id } } }] });
            assert.equal(jobHop((await verifyPlan(plan)).hops, "dynamodb").verdict, "reachable");
        });

        it("an interface endpoint's group admitting nothing from the caller, or private DNS off, breaks the hop", async () => {
            const plan = copyPlan(plans.prod);
            const glue = endpoint(plan, "glue", "Interface");
            without(plan, ingressOf(plan, glue.inputs.securityGroupIds[0]));
            assert.match(jobHop((await verifyPlan(plan)).hops, "glue").reason, /security group sg-\S+ \(\S+-endpoints-interface\) \(ingress: none\) admits no tcp\/443 from 10\.42\.\S+ or sg-/);
            const dns = copyPlan(plans.prod);
            endpoint(dns, "glue", "Interface").inputs.privateDnsEnabled = false;
            const hop = jobHop((await verifyPlan(dns)).hops, "glue");
            assert.equal(hop.verdict, "unreachable");
            assert.match(hop.reason, /interface endpoint \S+ \(\S+-endpoints-glue\) for glue has private DNS off, so glue's name resolves to its public address; and the NAT route/);
        });

        it("without endpoints, a NAT gateway with egress to 0.0.0.0/0 carries the call, and only while its subnet routes to an internet gateway", async () => {
            const plan = copyPlan(plans.prod);
            const dynamodb = endpoint(plan, "dynamodb", "Gateway");
            without(plan, [dynamodb, ...ofType(plan, "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation").filter((a) => a.inputs.vpcEndpointId === dynamodb.id)]);
            const { group } = glueNetwork(plan);
            plan.resources.push({ ...egressOf(plan, group)[0], urn: "urn:test:any-https", name: "any-https", id: "sgr-anyhttps", inputs: { securityGroupId: group, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" } });
            const hop = jobHop((await verifyPlan(plan)).hops, "dynamodb");
            assert.equal(hop.verdict, "reachable");
            assert.match(hop.reason, /^dynamodb through NAT gateway nat-\S+ \(\S+\) \(default route of route table \S+ \(\S+-private-0\) .*; egress 0\.0\.0\.0\/0 tcp\/443\)$/);
            without(plan, ofType(plan, "aws:ec2/route:Route").filter((r) => r.inputs.gatewayId));
            const cut = jobHop((await verifyPlan(plan)).hops, "dynamodb");
            assert.equal(cut.verdict, "unreachable");
            assert.match(cut.reason, /: no gateway endpoint for dynamodb in vpc-\S+ \(\S+\); and NAT gateway nat-\S+ \(\S+\) has no route to an internet gateway$/);
        });

        it("the brokers' group must admit Firehose's private connection on one port per broker, and the cluster must offer it for IAM", async () => {
            const plan = copyPlan(plans.prod);
            const cluster = ofType(plan, "aws:msk/cluster:Cluster")[0];
            without(plan, ingressOf(plan, cluster.inputs.brokerNodeGroupInfo.securityGroups[0]).filter((r) => r.inputs.fromPort !== 9098));
            cluster.inputs.brokerNodeGroupInfo.connectivityInfo.vpcConnectivity.clientAuthentication.sasl.iam = false;
            const hops = hopsOf((await verifyPlan(plan)).hops, "network.firehose-msk", "");
            assert.deepEqual(
                hops.map((h) => h.verdict),
                ["unreachable", "unreachable"],
            );
            assert.match(hops[0].reason, /does not turn on multi-VPC private connectivity for IAM/);
            assert.match(hops[1].reason, /security group sg-\S+ \(\S+-kafka-brokers\) \(ingress: 10\.42\.0\.0\/16 tcp\/9098\) admits no tcp\/14001-14003 from Firehose's private connection$/);
        });

        it("a function that talks to Kafka must reach the brokers' port from its own groups", async () => {
            const plan = copyPlan(plans.dev);
            const fn = ofType(plan, "aws:lambda/function:Function").find((f) => f.inputs.environment?.variables?.BOOTSTRAP_BROKERS)!;
            without(plan, egressOf(plan, fn.inputs.vpcConfig.securityGroupIds[0]).filter((r) => r.inputs.fromPort === 9098));
            const [hop] = hopsOf((await verifyPlan(plan)).hops, "network.lambda", "reaches the Kafka brokers");
            assert.equal(hop.verdict, "unreachable");
            assert.match(hop.reason, /Kafka brokers: security group sg-\S+ \(\S+-kafka-topics\) \(egress: 10\.40\.\S+ tcp\/443\) has no egress tcp\/9098 to the brokers' subnets or groups$/);
        });

        it("the Glue connection's group must let workers reach each other", async () => {
            const plan = copyPlan(plans.prod);
            without(plan, ingressOf(plan, glueNetwork(plan).group));
            const [hop] = hopsOf((await verifyPlan(plan)).hops, "network.glue-connection", "");
            assert.equal(hop.verdict, "unreachable");
            assert.match(hop.reason, /\(ingress: none\) has no self-referencing rule for all TCP ports$/);
        });
    });

    describe("what a preview does not know is not judged", () => {
        it("an unknown subnet of the connection, or an unknown owner of a rule the path needs, gives 'not judged', not a verdict", async () => {
            const plan = copyPlan(plans.prod);
            ofType(plan, "aws:glue/connection:Connection")[0].inputs.physicalConnectionRequirements.subnetId = UNKNOWN;
            const hop = jobHop((await verifyPlan(plan)).hops, "dynamodb");
            assert.equal(hop.verdict, "not-judged");
            assert.match(hop.reason, /not judged: the plan does not know a subnet id of Glue job/);

            const rule = copyPlan(plans.prod);
            egressOf(rule, glueNetwork(rule).group).find((r) => r.inputs.prefixListId === endpoint(rule, "dynamodb", "Gateway").outputs!.prefixListId)!.inputs.securityGroupId = UNKNOWN;
            const report = await verifyPlan(rule);
            const open = jobHop(report.hops, "dynamodb");
            assert.equal(open.verdict, "not-judged");
            assert.match(open.reason, /has no egress tcp\/443 to its prefix list pl-\S+; the plan does not know SecurityGroupEgressRule \S+-catalog-glue-dynamodb$/);
            assert.equal(jobHop(report.hops, "s3").verdict, "reachable", "a path that works needs nothing unknown");
            assert.ok(report.summary.notJudged >= 2 && report.summary.verified + report.summary.broken + report.summary.notJudged === report.summary.hops);
            assert.match(renderVerification(report), /^Verification: \d+ hops, \d+ verified, \d+ broken, \d+ not judged\n/);
            assert.match(renderVerification(report), /\n {2}NOT JUDGED \[orders\] Glue job \S+ reaches dynamodb/);
        });

        it("a topic whose cluster ARN is unknown is not judged", async () => {
            const plan = copyPlan(plans.prod);
            without(plan, ofType(plan, "aws:msk/topic:Topic"));
            ofType(plan, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").find((d) => d.inputs.mskSourceConfiguration)!.inputs.mskSourceConfiguration.mskClusterArn = UNKNOWN;
            const hops = (await verifyPlan(plan)).hops;
            const [topic] = hopsOf(hops, "runtime.kafka-topic", "orders");
            assert.equal(topic.verdict, "not-judged");
            assert.match(topic.reason, /^not judged: .*the plan does not know the MSK source's cluster ARN$/);
        });
    });

    describe("run-time objects", () => {
        it("a missing Data Quality ruleset, script object, generated SQL object or catalog table is a broken hop naming it", async () => {
            const plan = copyPlan(plans.prod);
            const ruleset = ofType(plan, "aws:glue/dataQualityRuleset:DataQualityRuleset").find((r) => r.inputs.name.includes("orders"))!;
            const script = ofType(plan, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => String(o.inputs.key).endsWith("raw_to_curated.py"))!;
            const table = ofType(plan, "aws:glue/catalogTable:CatalogTable").find((t) => String(t.inputs.databaseName).includes("curated_orders"))!;
            const job = ofType(plan, "aws:glue/job:Job").find((j) => j.name.endsWith("-etl-orders"))!;
            const statements = ofType(plan, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => job.inputs.defaultArguments["--transform_sql"] === `s3://${o.inputs.bucket}/${o.inputs.key}`)!;
            without(plan, [ruleset, script, table, statements]);
            const hops = (await verifyPlan(plan)).hops.filter(isBroken);
            const reasons = hops.filter((h) => h.requirement.startsWith("runtime.")).map((h) => h.reason);
            assert.ok(reasons.includes(`nothing in the plan creates Data Quality ruleset ${ruleset.inputs.name}, which --dq_ruleset names: the job fails when it loads it`), JSON.stringify(reasons));
            assert.ok(reasons.some((r) => r.startsWith(`nothing in the plan uploads s3://${script.inputs.bucket}/${script.inputs.key}: the job fails to start`)));
            assert.ok(reasons.includes(`nothing in the plan creates catalog table ${table.inputs.databaseName}.orders, which the job writes`));
            assert.ok(reasons.includes(`nothing in the plan uploads ${job.inputs.defaultArguments["--transform_sql"]}: the job fails to start`), "the object the code table says the script loads");
        });

        it("a topic function's invocation only counts when the function is the plan's", async () => {
            const plan = copyPlan(plans.dev);
            const [invocation] = kafkaTopicsInvocations(plan);
            assert.ok(invocation, "dev creates its topics through an invocation");
            invocation.inputs.functionName = "someone-elses-function";
            const [hop] = hopsOf((await verifyPlan(plan)).hops, "runtime.kafka-topic", "orders");
            assert.equal(hop.verdict, "broken-lineage");
            assert.match(hop.reason, /would create topic orders, but it invokes someone-elses-function, which the plan does not create$/);
        });
    });

    describe("state machine tasks", () => {
        it("a Task no requirement entry checks, or whose target only the execution input names, is reported", async () => {
            const plan = copyPlan(plans.prod);
            const load = ofType(plan, "aws:sfn/stateMachine:StateMachine").find((s) => String(s.inputs.definition).includes("FindPendingRuns"))!;
            const definition = JSON.parse(load.inputs.definition);
            definition.States.Audit = { Type: "Task", Resource: "arn:aws:states:::aws-sdk:athena:startQueryExecution", Parameters: { QueryString: "select 1" }, End: true };
            definition.States.Notify = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { "FunctionName.$": "$.callback" }, End: true };
            load.inputs.definition = JSON.stringify(definition);
            const hops = hopsOf((await verifyPlan(plan)).hops, "states.task-coverage", "");
            const audit = hops.find((h) => h.hop.startsWith("Audit of"))!;
            assert.equal(audit.verdict, "broken-lineage");
            assert.match(audit.reason, /no requirement entry checks the integration arn:aws:states:::aws-sdk:athena:startQueryExecution/);
            assert.match(hops.find((h) => h.hop.startsWith("Notify of"))!.reason, /its target is decided by the execution input \(<\$\.callback>\)/);
            assert.ok(hops.filter((h) => !["Audit", "Notify"].includes(h.hop.split(" ")[0])).every((h) => h.verdict === "connected"));
        });
    });

    describe("another team's program: inline rules and routes, the main route table, default groups", () => {
        const r = (type: string, name: string, id: string, inputs: Record<string, any>, outputs: Record<string, any> = {}): PlannedResource => ({ urn: `urn:pulumi:t::team::${type}::${name}`, type, name, custom: true, parent: null, inputs, id, outputs });
        const ACCOUNT = "111122223333";
        const program = (): PlannedStack => ({
            project: "team",
            stack: "t",
            outputs: {},
            resources: [
                r("aws:ec2/vpc:Vpc", "vpc", "vpc-1", { cidrBlock: "10.0.0.0/16" }, { mainRouteTableId: "rtb-main", defaultSecurityGroupId: "sg-default", arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-1` }),
                r("aws:ec2/subnet:Subnet", "app", "subnet-app", { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24" }),
                r("aws:ec2/subnet:Subnet", "edge", "subnet-edge", { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24" }),
                r("aws:ec2/defaultRouteTable:DefaultRouteTable", "main", "rtb-main", { defaultRouteTableId: "rtb-main", vpcId: "vpc-1", routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }] }),
                r("aws:ec2/routeTable:RouteTable", "edge", "rtb-edge", { vpcId: "vpc-1", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] }),
                r("aws:ec2/routeTableAssociation:RouteTableAssociation", "edge", "rtbassoc-1", { subnetId: "subnet-edge", routeTableId: "rtb-edge" }),
                r("aws:ec2/internetGateway:InternetGateway", "igw", "igw-1", { vpcId: "vpc-1" }),
                r("aws:ec2/natGateway:NatGateway", "nat", "nat-1", { subnetId: "subnet-edge" }),
                r("aws:ec2/securityGroup:SecurityGroup", "etl", "sg-etl", { vpcId: "vpc-1", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }], ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, self: true }] }),
                r("aws:glue/connection:Connection", "net", "net", { name: "net", connectionType: "NETWORK", physicalConnectionRequirements: { subnetId: "subnet-app", securityGroupIdLists: ["sg-etl"] } }),
                r("aws:glue/job:Job", "etl", "etl", { name: "etl", roleArn: `arn:aws:iam::${ACCOUNT}:role/etl`, connections: ["net"], command: { scriptLocation: "s3://code-bucket/etl.py" } }),
                r("aws:redshiftserverless/workgroup:Workgroup", "wh", "wh", { workgroupName: "wh", namespaceName: "ns", enhancedVpcRouting: true, subnetIds: ["subnet-app"] }),
                r("aws:redshiftdata/statement:Statement", "load", "load", { workgroupName: "wh", database: "dev", sql: `COPY sales FROM 's3://landing/sales/' IAM_ROLE 'arn:aws:iam::${ACCOUNT}:role/loader' FORMAT AS PARQUET` }),
            ],
        });

        it("follows inline routes of the main route table to a NAT gateway and inline egress rules", async () => {
            const hops = (await verifyPlan(program())).hops;
            const [s3] = hopsOf(hops, "network.glue-job", "reaches s3");
            assert.equal(s3.verdict, "reachable", s3.reason);
            assert.match(s3.reason, /^s3 through NAT gateway nat-1 \(nat\) \(default route of route table rtb-main \(main\) \(the VPC's main route table\) of subnet subnet-app \(app\); egress 0\.0\.0\.0\/0 all traffic\)$/);
            const [workers] = hopsOf(hops, "network.glue-connection", "");
            assert.equal(workers.verdict, "reachable", "an inline self-referencing ingress, and egress to 0.0.0.0/0 on every port, which includes the group's members");
        });

        it("a workgroup without groups gets the VPC's default group, whose rules the plan must declare", async () => {
            const [copy] = hopsOf((await verifyPlan(program())).hops, "network.redshift", "reaches s3");
            assert.equal(copy.verdict, "unreachable");
            assert.match(copy.reason, /needs egress tcp\/443 to 0\.0\.0\.0\/0, which security group sg-default \(egress: none\) does not allow$/);
        });

        it("takes a gateway endpoint on the route table (inline routeTableIds) over the NAT, with aws.ec2.SecurityGroupRule egress to its prefix list", async () => {
            const plan = program();
            const group = plan.resources.find((x) => x.id === "sg-etl")!;
            group.inputs.egress = [];
            plan.resources.push(
                r("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", "vpce-s3", { vpcId: "vpc-1", serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway", routeTableIds: ["rtb-main"] }, { prefixListId: "pl-s3" }),
                r("aws:ec2/securityGroupRule:SecurityGroupRule", "to-s3", "sgrule-1", { type: "egress", securityGroupId: "sg-etl", protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-s3"] }),
            );
            const [s3] = hopsOf((await verifyPlan(plan)).hops, "network.glue-job", "reaches s3");
            assert.equal(s3.verdict, "reachable", s3.reason);
            assert.match(s3.reason, /^s3 through gateway endpoint vpce-s3 \(s3\) \(on route table rtb-main \(main\) \(the VPC's main route table\) of subnet subnet-app \(app\); egress pl-s3 tcp\/443\)$/);
        });
    });
});

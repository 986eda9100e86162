import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ConfigError, fromPulumiConfigMap, parseStackConfig, readStackFile, toPulumiConfigMap } from "../../config/loader";
import { environmentNames } from "../../config/environments";

const stackFile = (stack: string) => path.resolve(__dirname, `../../stacks/Pulumi.${stack}.yaml`);
const base = () => structuredClone(readStackFile(stackFile("dev"))) as Record<string, any>;

function errorsOf(mutate: (cfg: Record<string, any>) => void): string[] {
    const cfg = base();
    mutate(cfg);
    try {
        parseStackConfig(cfg);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return err.lines;
    }
    assert.fail("expected the configuration to be rejected");
}

describe("config schema", () => {
    for (const stack of environmentNames()) {
        it(`accepts stacks/Pulumi.${stack}.yaml`, () => {
            const cfg = parseStackConfig(readStackFile(stackFile(stack)));
            assert.equal(cfg.environment, stack);
        });
    }

    it("differs per environment only where the stack files say so", () => {
        const [dev, staging, prod] = ["dev", "staging", "prod"].map((s) => parseStackConfig(readStackFile(stackFile(s))));
        assert.deepEqual([dev.network.azCount, staging.network.azCount, prod.network.azCount], [2, 3, 3]);
        assert.deepEqual([dev.network.natStrategy, prod.network.natStrategy], ["single", "perAz"]);
        assert.deepEqual([dev.protection.protect, prod.protection.protect], [false, true]);
        assert.equal(prod.keys.deletionWindowDays, 30);
    });

    it("fills defaults a data architect would pick", () => {
        const cfg = base();
        delete cfg["lakehouse:lake"];
        delete cfg["lakehouse:keys"];
        delete cfg["lakehouse:network"].interfaceEndpoints;
        cfg["lakehouse:protection"] = { protect: false };
        const parsed = parseStackConfig(cfg);
        assert.deepEqual(
            parsed.lake.raw.transitions.map((t) => t.storageClass),
            ["INTELLIGENT_TIERING", "GLACIER"],
        );
        assert.deepEqual(parsed.lake.curated.transitions, [{ days: 0, storageClass: "INTELLIGENT_TIERING" }]);
        assert.equal(parsed.lake.accessLogs.expirationDays, 365);
        assert.equal(parsed.keys.deletionWindowDays, 30);
        assert.equal(parsed.network.interfaceEndpoints.length, 13);
        assert.ok(parsed.network.interfaceEndpoints.includes("lakeformation"));
    });

    it("pins every environment's zones by id", () => {
        const [dev, prod] = ["dev", "prod"].map((s) => parseStackConfig(readStackFile(stackFile(s))));
        assert.deepEqual(dev.network.availabilityZoneIds, ["euw1-az1", "euw1-az2"]);
        assert.deepEqual(prod.network.availabilityZoneIds, ["use1-az1", "use1-az2", "use1-az4"], "MSK refuses use1-az3");
        const cfg = base();
        cfg["lakehouse:network"].availabilityZoneIds = ["euw1-az3", "euw1-az1"];
        assert.deepEqual(parseStackConfig(cfg).network.availabilityZoneIds, ["euw1-az3", "euw1-az1"]);
    });

    it("refuses t3.small brokers when Firehose reads an MSK domain (no multi-VPC private connectivity on them)", () => {
        const cfg = structuredClone(readStackFile(stackFile("staging"))) as Record<string, any>;
        cfg["lakehouse:streaming"].msk.brokerInstanceType = "kafka.t3.small";
        assert.throws(
            () => parseStackConfig(cfg),
            (err: unknown) =>
                err instanceof ConfigError &&
                err.lines.includes(
                    'lakehouse:streaming.msk.brokerInstanceType: got "kafka.t3.small"; expected kafka.m7g.large or larger: Firehose reads orders through multi-VPC private connectivity, which t3.small brokers do not support',
                ),
        );
    });

    it("reserves Lambda concurrency only when the stack opts in", () => {
        const parsed = parseStackConfig(base());
        assert.equal(parsed.orchestration.validator.reservedConcurrency, undefined, "a new account may have a quota of 10");
        assert.equal(parsed.orchestration.validator.maximumConcurrency, 5);
        const cfg = base();
        cfg["lakehouse:orchestration"].validator = { reservedConcurrency: 20, accountConcurrencyQuota: 1000 };
        assert.equal(parseStackConfig(cfg).orchestration.validator.reservedConcurrency, 20);
    });

    it("round-trips through Pulumi's flattened config map", () => {
        const raw = base();
        assert.deepEqual(parseStackConfig(fromPulumiConfigMap(toPulumiConfigMap(raw))), parseStackConfig(raw));
    });

    const badCases: [string, (cfg: Record<string, any>) => void, string][] = [
        [
            "a Region of another partition",
            (c) => (c["aws:region"] = "cn-north-1"),
            'aws:region: got "cn-north-1"; expected a Region of the aws partition: cn-north-1 is in aws-cn, whose service principals, endpoint names and Step Functions integration ARNs differ and are not built by the blueprint',
        ],
        [
            "zone ids of another Region",
            (c) => (c["lakehouse:network"].availabilityZoneIds = ["use1-az1", "euw1-az2"]),
            'lakehouse:network.availabilityZoneIds: got ["use1-az1","euw1-az2"]; expected zone ids of the Region: euw1-az1, euw1-az2, euw1-az3',
        ],
        [
            "a Kinesis domain with no named producers",
            (c) => (c["lakehouse:orchestration"].producerPrincipalArns = []),
            "lakehouse:orchestration.producerPrincipalArns: got []; expected at least one IAM role or user ARN: the producer role of the ingestion queue (which feeds clickstream) trusts only the principals named here",
        ],
        [
            "a deployer in another account than the administrators",
            (c) => (c["lakehouse:governance"].deployerRoleArn = "arn:aws:iam::999999999999:role/lakehouse-deployer"),
            'lakehouse:governance.deployerRoleArn: got "arn:aws:iam::999999999999:role/lakehouse-deployer"; expected principals of one account (the stack\'s): Lake Formation administrators belong to the account they administer, got 111111111111, 999999999999',
        ],
        [
            "no deployer role",
            (c) => delete c["lakehouse:governance"].deployerRoleArn,
            "lakehouse:governance.deployerRoleArn: got nothing (the key is required); expected an IAM role ARN (arn:aws:iam::<account>:role/<name>): the role that runs pulumi up",
        ],
        [
            "a reserved concurrency a new account's quota cannot grant",
            (c) => (c["lakehouse:orchestration"].validator = { reservedConcurrency: 5, accountConcurrencyQuota: 10 }),
            "lakehouse:orchestration.validator.reservedConcurrency: got 5; expected at most 0: Lambda keeps 100 of the account's concurrent executions quota (accountConcurrencyQuota 10, Service Quotas L-B99A9384) unreserved; omit it or raise the quota and declare it",
        ],
        [
            "an event source allowed past the function's reservation",
            (c) => (c["lakehouse:orchestration"].validator = { reservedConcurrency: 3, maximumConcurrency: 5 }),
            "lakehouse:orchestration.validator.maximumConcurrency: got 5; expected at most reservedConcurrency (3): the event source would be throttled above it",
        ],
        [
            "a VPC CIDR too small for the subnets",
            (c) => (c["lakehouse:network"].vpcCidr = "10.0.0.0/24"),
            'lakehouse:network.vpcCidr: got "10.0.0.0/24"; expected a prefix from /16 to /20: smaller VPCs leave private subnets too small for Glue workers, brokers and endpoint ENIs',
        ],
        [
            "a CIDR with host bits set",
            (c) => (c["lakehouse:network"].vpcCidr = "10.0.0.1/16"),
            'lakehouse:network.vpcCidr: got "10.0.0.1/16"; expected a network address with no host bits set (e.g. 10.20.0.0/16)',
        ],
        [
            "a public CIDR",
            (c) => (c["lakehouse:network"].vpcCidr = "8.8.0.0/16"),
            'lakehouse:network.vpcCidr: got "8.8.0.0/16"; expected a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
        ],
        [
            "a malformed CIDR",
            (c) => (c["lakehouse:network"].vpcCidr = "10.0.0/16"),
            'lakehouse:network.vpcCidr: got "10.0.0/16"; expected an IPv4 CIDR such as 10.20.0.0/16',
        ],
        [
            "an AZ count out of range",
            (c) => (c["lakehouse:network"].azCount = 1),
            "lakehouse:network.azCount: got 1; expected an integer from 2 to 4",
        ],
        [
            "a fractional AZ count",
            (c) => (c["lakehouse:network"].azCount = 2.5),
            "lakehouse:network.azCount: got 2.5; expected an integer from 2 to 4",
        ],
        [
            "an unknown NAT strategy",
            (c) => (c["lakehouse:network"].natStrategy = "shared"),
            'lakehouse:network.natStrategy: got "shared"; expected one of: single, perAz, none',
        ],
        [
            "an unknown interface endpoint",
            (c) => (c["lakehouse:network"].interfaceEndpoints = ["glue", "firehose"]),
            'lakehouse:network.interfaceEndpoints[1]: got "firehose"; expected one of: kinesis-streams, kinesis-firehose, glue, kms, logs, monitoring, sts, secretsmanager, sqs, sns, states, redshift-data, lakeformation, redshift, redshift-serverless, kafka, events, scheduler, athena, ecr.api, ecr.dkr, ssm',
        ],
        [
            "a duplicated interface endpoint",
            (c) => (c["lakehouse:network"].interfaceEndpoints = ["glue", "glue"]),
            'lakehouse:network.interfaceEndpoints[1]: got "glue"; expected each endpoint once',
        ],
        [
            "negative lifecycle days",
            (c) => (c["lakehouse:lake"].raw.transitions = [{ days: -5, storageClass: "INTELLIGENT_TIERING" }]),
            "lakehouse:lake.raw.transitions[0].days: got -5; expected an integer from 0 to 36500",
        ],
        [
            "a transition to Glacier before Intelligent-Tiering",
            (c) =>
                (c["lakehouse:lake"].raw.transitions = [
                    { days: 30, storageClass: "GLACIER" },
                    { days: 60, storageClass: "INTELLIGENT_TIERING" },
                ]),
            'lakehouse:lake.raw.transitions[1].storageClass: got "INTELLIGENT_TIERING"; expected a colder class than GLACIER, in the order STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE',
        ],
        [
            "transitions out of day order",
            (c) =>
                (c["lakehouse:lake"].analytics.transitions = [
                    { days: 90, storageClass: "INTELLIGENT_TIERING" },
                    { days: 60, storageClass: "GLACIER" },
                ]),
            "lakehouse:lake.analytics.transitions[1].days: got 60; expected more days than the previous transition (90)",
        ],
        [
            "Standard-IA sooner than S3 allows",
            (c) => (c["lakehouse:lake"].raw.transitions = [{ days: 10, storageClass: "STANDARD_IA" }]),
            "lakehouse:lake.raw.transitions[0].days: got 10; expected at least 30 days before STANDARD_IA (an S3 minimum)",
        ],
        [
            "Glacier less than 30 days after Standard-IA",
            (c) =>
                (c["lakehouse:lake"].raw.transitions = [
                    { days: 30, storageClass: "STANDARD_IA" },
                    { days: 45, storageClass: "GLACIER" },
                ]),
            "lakehouse:lake.raw.transitions[1].days: got 45; expected at least 60 days: objects must stay 30 days in STANDARD_IA first (an S3 rule)",
        ],
        [
            "One Zone-IA for lake data",
            (c) => (c["lakehouse:lake"].curated.transitions = [{ days: 30, storageClass: "ONEZONE_IA" }]),
            'lakehouse:lake.curated.transitions[0].storageClass: got "ONEZONE_IA"; expected one of: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE',
        ],
        [
            "expiry before the last transition",
            (c) => (c["lakehouse:lake"].accessLogs.expirationDays = 20),
            "lakehouse:lake.accessLogs.expirationDays: got 20; expected more days than the last transition (30)",
        ],
        [
            "a retention CloudWatch does not accept",
            (c) => (c["lakehouse:logging"].retentionDays = 13),
            "lakehouse:logging.retentionDays: got 13; expected one of CloudWatch's retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
        ],
        [
            "a KMS deletion window out of range",
            (c) => (c["lakehouse:keys"].deletionWindowDays = 3),
            "lakehouse:keys.deletionWindowDays: got 3; expected an integer from 7 to 30",
        ],
        [
            "a short KMS deletion window in a protected environment",
            (c) => (c["lakehouse:protection"] = { protect: true, removeDataOnDestroy: false }),
            "lakehouse:keys.deletionWindowDays: got 7; expected 30 while lakehouse:protection.protect is true",
        ],
        [
            "data removal in a protected environment",
            (c) => {
                c["lakehouse:protection"] = { protect: true, removeDataOnDestroy: true, destroyConfirmation: "dev" };
                c["lakehouse:keys"].deletionWindowDays = 30;
            },
            "lakehouse:protection.removeDataOnDestroy: got true; expected false while lakehouse:protection.protect is true: protected data is never removed",
        ],
        [
            "data removal without the second switch",
            (c) => (c["lakehouse:protection"] = { protect: false, removeDataOnDestroy: true }),
            'lakehouse:protection.destroyConfirmation: got nothing (the key is required); expected "dev" (the environment name) to confirm removeDataOnDestroy',
        ],
        [
            "a misspelt key",
            (c) => (c["lakehouse:network"].natStratgy = "single"),
            "lakehouse:network.natStratgy: unknown key; allowed keys: vpcCidr, azCount, availabilityZoneIds, natStrategy, interfaceEndpoints, flowLogs",
        ],
        [
            "a missing owner tag",
            (c) => delete c["lakehouse:tags"].owner,
            "lakehouse:tags.owner: got nothing (the key is required); expected 1-256 characters of letters, digits, spaces and _ . : / = + - @",
        ],
        [
            "a malformed Region",
            (c) => (c["aws:region"] = "europe"),
            'aws:region: got "europe"; expected an AWS Region code such as eu-west-1',
        ],
        [
            "a malformed environment name",
            (c) => (c["lakehouse:environment"] = "Prod!"),
            'lakehouse:environment: got "Prod!"; expected 2-15 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (Redshift identifiers refuse "--" and a trailing hyphen)',
        ],
        [
            "an unknown top-level key",
            (c) => (c["lakehouse:budgett"] = 100),
            "lakehouse:budgett: unknown key; the blueprint reads only the keys documented in the README",
        ],
        [
            "an unknown flow-log traffic type",
            (c) => (c["lakehouse:network"].flowLogs = { trafficType: "SOME" }),
            'lakehouse:network.flowLogs.trafficType: got "SOME"; expected one of: ALL, ACCEPT, REJECT',
        ],
        [
            "an MSK broker count that is not a multiple of the AZ count",
            (c) => {
                c["lakehouse:streaming"].msk = { mode: "provisioned", brokerCount: 3 };
            },
            "lakehouse:streaming.msk.brokerCount: got 3; expected a multiple of lakehouse:network.azCount (2) so brokers spread evenly over the AZs",
        ],
        [
            "an unsupported Kafka version",
            (c) => (c["lakehouse:streaming"].msk = { mode: "provisioned", kafkaVersion: "2.8.1" }),
            'lakehouse:streaming.msk.kafkaVersion: got "2.8.1"; expected one of: 3.6.0, 3.7.x, 3.8.x, 3.9.x, 4.0.x, 4.1.x',
        ],
        [
            "Multi-AZ Redshift on a node type that does not offer it",
            (c) => (c["lakehouse:warehouse"].multiAz = true),
            'lakehouse:warehouse.nodeType: got "ra3.large"; expected ra3.xlplus or larger: Multi-AZ is not offered on ra3.large',
        ],
        [
            "a non-RA3 Redshift node type",
            (c) => (c["lakehouse:warehouse"].nodeType = "dc2.large"),
            'lakehouse:warehouse.nodeType: got "dc2.large"; expected one of: ra3.large, ra3.xlplus, ra3.4xlarge, ra3.16xlarge',
        ],
        [
            "Redshift Serverless with two AZs",
            (c) => (c["lakehouse:warehouse"] = { mode: "serverless" }),
            'lakehouse:warehouse.mode: got "serverless"; expected provisioned: a Redshift Serverless workgroup needs subnets in 3 Availability Zones and lakehouse:network.azCount is 2',
        ],
        [
            "a base capacity that is not a multiple of 8 RPU",
            (c) => {
                c["lakehouse:network"].azCount = 3;
                delete c["lakehouse:network"].availabilityZoneIds;
                c["lakehouse:warehouse"] = { mode: "serverless", baseCapacityRpu: 12 };
            },
            "lakehouse:warehouse.baseCapacityRpu: got 12; expected a multiple of 8 from 8 to 512",
        ],
        [
            "the default Redshift admin name",
            (c) => (c["lakehouse:warehouse"].adminUsername = "awsuser"),
            'lakehouse:warehouse.adminUsername: got "awsuser"; expected a name other than the defaults awsuser, admin',
        ],
        [
            "the default Redshift database name",
            (c) => (c["lakehouse:warehouse"].databaseName = "dev"),
            'lakehouse:warehouse.databaseName: got "dev"; expected a name other than the default "dev"',
        ],
        [
            "Flex on a worker type Flex does not run",
            (c) => (c["lakehouse:glue"].workerType = "G.4X"),
            'lakehouse:glue.workerType: got "G.4X"; expected G.1X or G.2X: the FLEX execution class runs only those',
        ],
        [
            "an unknown Glue version",
            (c) => (c["lakehouse:glue"].glueVersion = "2.0"),
            'lakehouse:glue.glueVersion: got "2.0"; expected one of: 4.0, 5.0',
        ],
        [
            "a malformed crawler schedule",
            (c) => (c["lakehouse:glue"].crawlerSchedule = "hourly"),
            'lakehouse:glue.crawlerSchedule: got "hourly"; expected a valid EventBridge schedule: expected rate(<value> <unit>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)',
        ],
        [
            "a primary key that is not a declared column",
            (c) => (c["lakehouse:domains"][1].primaryKey = ["id"]),
            'lakehouse:domains[1].primaryKey[0]: got "id"; expected one of the declared columns: order_id, customer_id, amount, currency, ordered_at',
        ],
        [
            "a partition key that is not a declared column",
            (c) => (c["lakehouse:domains"][0].partitionKey = "country"),
            'lakehouse:domains[0].partitionKey: got "country"; expected one of the declared columns: event_id, event_type, user_id, page_url, duration_ms, event_time',
        ],
        [
            "a warehouse distribution key that is not a declared column",
            (c) => (c["lakehouse:domains"][1].warehouse = { distKey: "customer" }),
            'lakehouse:domains[1].warehouse.distKey: got "customer"; expected one of the declared columns: order_id, customer_id, amount, currency, ordered_at',
        ],
        [
            "a warehouse sort key that is not a declared column",
            (c) => (c["lakehouse:domains"][1].warehouse = { sortKeys: ["ordered_at", "when"] }),
            'lakehouse:domains[1].warehouse.sortKeys[1]: got "when"; expected one of the declared columns: order_id, customer_id, amount, currency, ordered_at',
        ],
        [
            "a column named like a time partition level",
            (c) => c["lakehouse:domains"][1].columns.push({ name: "day", type: "int" }),
            'lakehouse:domains[1].columns[5].name: got "day"; expected a name other than the time partition levels year, month, day, hour',
        ],
        [
            "a column named like an SQL reserved word (the job's SQL names columns unquoted)",
            (c) => c["lakehouse:domains"][1].columns.push({ name: "order", type: "int" }),
            'lakehouse:domains[1].columns[5].name: got "order"; expected a name that is not an SQL reserved word (Spark SQL or DuckDB)',
        ],
        [
            "an MSK domain when MSK is off",
            (c) => (c["lakehouse:streaming"].msk = { mode: "none" }),
            'lakehouse:domains[1].transport: got "msk"; expected kinesis: lakehouse:streaming.msk.mode is none',
        ],
        [
            "a domain without an event-time column",
            (c) => {
                c["lakehouse:domains"][0].columns = [{ name: "event_id", type: "string" }];
                delete c["lakehouse:domains"][0].partitionKey;
                delete c["lakehouse:domains"][0].partitionValues;
            },
            'lakehouse:domains[0].columns: got ["event_id"]; expected a timestamp column: the event time that orders records and partitions',
        ],
        [
            "a retention shorter than Kinesis allows",
            (c) => (c["lakehouse:domains"][0].retentionHours = 12),
            "lakehouse:domains[0].retentionHours: got 12; expected an integer from 24 to 8760",
        ],
        [
            "a load one Kinesis stream cannot take",
            (c) => (c["lakehouse:domains"][0].peakEventsPerSecond = 20_000_000),
            "lakehouse:domains[0].peakEventsPerSecond: got 20000000; clickstream: 20000 shards needed for 16.00 GB/s at peak, above the 10000-shard limit of one Kinesis stream; split the domain across streams or route it to MSK",
        ],
        [
            "a malformed alert address",
            (c) => (c["lakehouse:monitoring"].alertEmails = ["oncall"]),
            'lakehouse:monitoring.alertEmails[0]: got "oncall"; expected an e-mail address',
        ],
        [
            "a persona grant naming an undeclared tag value",
            (c) => (c["lakehouse:governance"].personas.analysts.grants[1].expression.classification = ["public", "secret"]),
            'lakehouse:governance.personas.analysts.grants[1].expression.classification[1]: got "secret"; expected one of: public, internal, confidential, pii',
        ],
        [
            "a persona grant naming an undeclared tag",
            (c) => (c["lakehouse:governance"].personas.analysts.grants[1].expression.owner = ["me"]),
            'lakehouse:governance.personas.analysts.grants[1].expression.owner: got ["me"]; expected an LF-Tag of the platform: domain, zone, classification',
        ],
        [
            "an unknown permission",
            (c) => (c["lakehouse:governance"].personas.analysts.grants[1].permissions = ["SELECT", "READ"]),
            'lakehouse:governance.personas.analysts.grants[1].permissions[1]: got "READ"; expected one of: ALL, ALTER, DELETE, DESCRIBE, DROP, INSERT, SELECT (for TABLE)',
        ],
        [
            "a persona role that is not an ARN",
            (c) => (c["lakehouse:governance"].personas.ml.roleArns = ["MachineLearning"]),
            'lakehouse:governance.personas.ml.roleArns[0]: got "MachineLearning"; expected an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
        ],
        [
            "no Lake Formation administrator",
            (c) => (c["lakehouse:governance"].administrators = []),
            "lakehouse:governance.administrators: got []; expected at least one administrator: Lake Formation without administrators cannot be managed",
        ],
        [
            "a PII classification that is not a declared value",
            (c) => (c["lakehouse:governance"].piiClassification = "secret"),
            'lakehouse:governance.piiClassification: got "secret"; expected one of: public, internal, confidential, pii (PII columns are tagged with it)',
        ],
        [
            "a deploying identity that is not a role",
            (c) => (c["lakehouse:governance"].deployerRoleArn = "arn:aws:iam::111111111111:user/ci"),
            'lakehouse:governance.deployerRoleArn: got "arn:aws:iam::111111111111:user/ci"; expected an IAM role ARN (arn:aws:iam::<account>:role/<name>): the role that runs pulumi up',
        ],
        [
            "a domain without a classification",
            (c) => delete c["lakehouse:governance"].databaseClassification.orders,
            "lakehouse:governance.databaseClassification.orders: got nothing (the key is required); expected one of: public, internal, confidential, pii",
        ],
        [
            "a negative usage figure",
            (c) => (c["lakehouse:cost"].usage.natGbPerMonth = -5),
            "lakehouse:cost.usage.natGbPerMonth: got -5; expected a number of GB per month, 0 or more",
        ],
        [
            "a budget that is not positive",
            (c) => (c["lakehouse:cost"].monthlyBudgetUsd = 0),
            "lakehouse:cost.monthlyBudgetUsd: got 0; expected a positive monthly budget in USD",
        ],
        [
            "a table classification naming an undeclared value",
            (c) => (c["lakehouse:governance"].tableClassification = [{ domain: "orders", zone: "curated", classification: "secret" }]),
            'lakehouse:governance.tableClassification[0].classification: got "secret"; expected one of: public, internal, confidential, pii',
        ],
        [
            "an environment name with two consecutive hyphens (a Redshift identifier refuses them)",
            (c) => {
                c["lakehouse:environment"] = "a--b";
                c["lakehouse:protection"].destroyConfirmation = "a--b";
            },
            'lakehouse:environment: got "a--b"; expected 2-15 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (Redshift identifiers refuse "--" and a trailing hyphen)',
        ],
        [
            "an environment name ending with a hyphen (a Redshift identifier refuses it)",
            (c) => {
                c["lakehouse:environment"] = "ab-";
                c["lakehouse:protection"].destroyConfirmation = "ab-";
            },
            'lakehouse:environment: got "ab-"; expected 2-15 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (Redshift identifiers refuse "--" and a trailing hyphen)',
        ],
        [
            "a column declared twice in a domain (a duplicate column of CREATE TABLE)",
            (c) => c["lakehouse:domains"][0].columns.push({ name: "page_url", type: "string" }),
            'lakehouse:domains[0].columns[6].name: got "page_url"; expected a column name not already declared in this domain (it would be a duplicate column of CREATE TABLE)',
        ],
        [
            "a database classification for an undeclared domain",
            (c) => (c["lakehouse:governance"].databaseClassification.payments = "confidential"),
            'lakehouse:governance.databaseClassification.payments: got "confidential"; expected a key naming a declared domain (clickstream, orders): no domain payments is declared',
        ],
        [
            "a table classification for an undeclared domain",
            (c) => (c["lakehouse:governance"].tableClassification = [{ domain: "payments", zone: "curated", classification: "pii" }]),
            'lakehouse:governance.tableClassification[0].domain: got "payments"; expected a declared domain: clickstream, orders',
        ],
        [
            "a record floor above the declared peak",
            (c) => (c["lakehouse:domains"][0].freshness = { minRecordsPerMinute: 12_001 }),
            "lakehouse:domains[0].freshness.minRecordsPerMinute: got 12001; expected at most 12000 (peakEventsPerSecond 200 × 60): a floor above the peak alarms all the time",
        ],
        [
            "a daily volume the declared peak cannot produce",
            // 200 events/s × 800 bytes × 86,400 s = 13.824 GB a day at most.
            (c) => (c["lakehouse:domains"][0].dailyVolumeGb = 14),
            "lakehouse:domains[0].dailyVolumeGb: got 14; expected at most 13.824 (peakEventsPerSecond × averageEventBytes × 86400 s, in GB of 10^9 bytes): the declared peak cannot produce more in a day; raise the peak or the event size",
        ],
    ];

    it("accepts a hyphenated environment name and the peak's own volume and floor", () => {
        const cfg = base();
        cfg["lakehouse:environment"] = "qa-eu1";
        cfg["lakehouse:protection"].destroyConfirmation = "qa-eu1";
        cfg["lakehouse:domains"][0].dailyVolumeGb = 13.824;
        cfg["lakehouse:domains"][0].freshness = { minRecordsPerMinute: 12_000 };
        assert.equal(parseStackConfig(cfg).environment, "qa-eu1");
    });

    for (const [title, mutate, message] of badCases) {
        it(`rejects ${title} with one clear line`, () => {
            assert.deepEqual(errorsOf(mutate), [message]);
        });
    }

    it("reports every bad value, one line each", () => {
        const lines = errorsOf((c) => {
            c["lakehouse:network"].azCount = 9;
            c["lakehouse:logging"].retentionDays = 2;
        });
        assert.equal(lines.length, 2);
        assert.ok(lines[0].startsWith("lakehouse:network.azCount: got 9"));
        assert.ok(lines[1].startsWith("lakehouse:logging.retentionDays: got 2"));
    });

    it("lets explicit sizes override the computed ones", () => {
        const cfg = base();
        cfg["lakehouse:streaming"].kinesisMode = "PROVISIONED";
        cfg["lakehouse:domains"][0].shardCount = 7;
        cfg["lakehouse:network"].azCount = 3;
        delete cfg["lakehouse:network"].availabilityZoneIds;
        cfg["lakehouse:network"].vpcCidr = "10.40.0.0/20";
        cfg["lakehouse:streaming"].msk = { mode: "provisioned", brokerCount: 6, brokerInstanceType: "kafka.m7g.xlarge" };
        const sizes = parseStackConfig(cfg).sizes;
        assert.equal(sizes.streams.clickstream.shards, 7);
        assert.equal(sizes.streams.clickstream.overridden, true);
        assert.equal(sizes.msk?.brokerCount, 6);
        assert.equal(sizes.msk?.instanceType, "kafka.m7g.xlarge");
        assert.deepEqual(sizes.msk?.overridden, ["brokerInstanceType", "brokerCount"]);
    });

    describe("freshness objectives", () => {
        it("default from the load schedule: raw within an hour, curated and warehouse within three load intervals", () => {
            // dev loads every 6 hours.
            const objective = parseStackConfig(base()).freshness.clickstream;
            assert.deepEqual(objective, { rawSeconds: 3600, curatedSeconds: 18 * 3600, warehouseSeconds: 18 * 3600, windowSeconds: 12 * 3600, minRecordsPerMinute: undefined });
        });

        it("take what a domain declares, with its incoming-record floor", () => {
            const cfg = base();
            cfg["lakehouse:domains"][0].freshness = { rawMinutes: 45, curatedMinutes: 800, warehouseMinutes: 900, minRecordsPerMinute: 20 };
            assert.deepEqual(parseStackConfig(cfg).freshness.clickstream, { rawSeconds: 2700, curatedSeconds: 48_000, warehouseSeconds: 54_000, windowSeconds: 43_200, minRecordsPerMinute: 20 });
        });

        it("refuse objectives the schedule or Firehose cannot meet, naming the key, the value and the bound", () => {
            const errors = errorsOf((cfg) => {
                cfg["lakehouse:domains"][1].freshness = { rawMinutes: 10, curatedMinutes: 600, warehouseMinutes: 500 };
            });
            assert.deepEqual(errors, [
                "lakehouse:domains[1].freshness.rawMinutes: got 10; expected at least 30 (two of Firehose's longest buffer intervals)",
                "lakehouse:domains[1].freshness.curatedMinutes: got 600; expected more than 720: the load runs about every 360 minutes and the objective is measured over two runs; run the load more often or relax the objective",
                "lakehouse:domains[1].freshness.warehouseMinutes: got 500; expected more than 720: the load runs about every 360 minutes and the objective is measured over two runs; run the load more often or relax the objective",
                "lakehouse:domains[1].freshness.warehouseMinutes: got 500; expected at least curatedMinutes (600): the warehouse loads from the curated zone",
            ]);
        });

        it("account for how long the load takes to get round every domain: domains, maxConcurrentDomains and a domain's usual turn", () => {
            // 60 domains, 2 at a time, 30 minutes each: each domain is reached every 15 hours, not every
            // hour (the window of two such cycles is capped at CloudWatch's day).
            const slow = (cfg: any) => {
                cfg["lakehouse:orchestration"] = { ...cfg["lakehouse:orchestration"], schedule: "rate(1 hour)", maxConcurrentDomains: 2, expectedJobMinutes: 30 };
                const template = cfg["lakehouse:domains"][1];
                for (let i = 0; i < 58; i++) {
                    cfg["lakehouse:domains"].push({ ...structuredClone(template), name: `extra${i}`, freshness: { rawMinutes: 60 } });
                    cfg["lakehouse:governance"].databaseClassification[`extra${i}`] = "internal";
                }
                cfg["lakehouse:domains"][1].freshness = { rawMinutes: 60, curatedMinutes: 180, warehouseMinutes: 240 };
            };
            const errors = errorsOf(slow);
            assert.ok(
                errors.includes(
                    "lakehouse:domains[1].freshness.curatedMinutes: got 180; expected more than 1440: with 60 domains, 2 at a time and about 30 minutes each, the load reaches each domain about every 900 minutes and the objective is measured over two of them; raise lakehouse:orchestration.maxConcurrentDomains or relax the objective",
                ),
                errors.join("\n"),
            );
            // Enough domains at once: back to the schedule's pace.
            const cfg = base();
            slow(cfg);
            cfg["lakehouse:orchestration"].maxConcurrentDomains = 60;
            assert.equal(parseStackConfig(cfg).freshness.extra0.windowSeconds, 2 * 3600);
        });

        it("refuse unknown keys and non-positive floors through the schema", () => {
            const errors = errorsOf((cfg) => {
                cfg["lakehouse:domains"][0].freshness = { rawMinute: 40, minRecordsPerMinute: 0 };
            });
            assert.ok(errors.some((e) => e.startsWith("lakehouse:domains[0].freshness.rawMinute: unknown key")), errors.join("\n"));
            assert.ok(errors.some((e) => e.startsWith("lakehouse:domains[0].freshness.minRecordsPerMinute: got 0; expected a positive number")), errors.join("\n"));
        });
    });

    it("ignores other namespaces such as aws:profile", () => {
        const cfg = base();
        cfg["aws:profile"] = "platform-admin";
        assert.equal(parseStackConfig(cfg).environment, "dev");
    });

    describe("says exactly what is wrong, once per root cause", () => {
        const only = (mutate: (cfg: Record<string, any>) => void) => {
            const lines = errorsOf(mutate);
            assert.equal(lines.length, 1, lines.join("\n"));
            return lines[0];
        };
        it("an unknown Region, with the Regions it may have meant; more AZs than the Region has", () => {
            assert.equal(only((c) => (c["aws:region"] = "eu-west-9")), 'aws:region: got "eu-west-9"; expected an AWS Region code (did you mean eu-west-1, eu-west-2, eu-west-3?)');
            assert.equal(
                only((c) => {
                    c["aws:region"] = "us-west-1";
                    c["lakehouse:network"].azCount = 3;
                    delete c["lakehouse:network"].availabilityZoneIds;
                }),
                "lakehouse:network.azCount: got 3; expected at most 2: us-west-1 has 2 Availability Zones (usw1-az1, usw1-az3)",
            );
        });
        it("a schedule EventBridge would refuse", () => {
            assert.match(only((c) => (c["lakehouse:glue"] = { ...(c["lakehouse:glue"] ?? {}), crawlerSchedule: "cron(99 99 * * * *)" })), /crawlerSchedule: got "cron\(99 99 \* \* \* \*\)"; expected a valid EventBridge schedule: minutes "99" is outside 0-59/);
        });
        it("keys the chosen mode would ignore", () => {
            assert.match(only((c) => (c["lakehouse:streaming"].msk.brokerCount = 3)), /msk\.brokerCount: got 3; expected no value: MSK Serverless has no brokers to size/);
            assert.match(only((c) => (c["lakehouse:domains"][0].shardCount = 4)), /domains\[0\]\.shardCount: got 4; expected no value: on-demand streams are sized by AWS/);
        });
        it("types and non-numbers exactly", () => {
            assert.match(only((c) => (c["lakehouse:domains"][0].columns[0].type = "varchar(20)")), /got "varchar\(20\)"; expected one of: string, int, .*decimal\(p,s\)$/);
            assert.match(only((c) => (c["lakehouse:domains"][0].dailyVolumeGb = Number.NaN)), /dailyVolumeGb: got NaN; expected a positive number/);
            assert.match(only((c) => (c["lakehouse:domains"][0].dailyVolumeGb = "2")), /got "2"; expected a positive number of GB per day \(write it as a number, without quotes: 2\)/);
        });
        it("a bad domain name once, without follow-on lines", () => {
            assert.match(only((c) => (c["lakehouse:domains"][0].name = "Click Stream!")), /domains\[0\]\.name: got "Click Stream!"/);
        });
    });
});

describe("config schema: the partition key's bound", () => {
    it("refuses a partition key without a bound (its values would be unbounded Firehose partitions)", () => {
        assert.deepEqual(
            errorsOf((c) => delete c["lakehouse:domains"][0].partitionValues),
            ['lakehouse:domains[0].partitionKey: got "event_type"; expected partitionValues or maxPartitionValues beside it: the key\'s values are Firehose partitions, bounded by the stream\'s active-partitions quota'],
        );
    });

    it("refuses both bounds, a bound without a key, a value twice, a value that is no safe prefix, and values for a non-string key", () => {
        assert.deepEqual(errorsOf((c) => (c["lakehouse:domains"][0].maxPartitionValues = 10)), ["lakehouse:domains[0].maxPartitionValues: got 10; expected partitionValues or maxPartitionValues, not both"]);
        assert.deepEqual(errorsOf((c) => delete c["lakehouse:domains"][0].partitionKey), ['lakehouse:domains[0].partitionValues: got ["page_view","click","scroll","search","add_to_cart","checkout"]; expected a partitionKey for it to bound']);
        assert.deepEqual(errorsOf((c) => c["lakehouse:domains"][0].partitionValues.push("click")), ['lakehouse:domains[0].partitionValues[6]: got "click"; expected each value once']);
        assert.deepEqual(errorsOf((c) => c["lakehouse:domains"][0].partitionValues.push("_other")), [
            `lakehouse:domains[0].partitionValues[6]: got "_other"; expected a value of letters, digits, '_', '.' or '-' starting with a letter or digit`,
        ]);
        const lines = errorsOf((c) => {
            const domain = c["lakehouse:domains"][0];
            domain.columns.find((col: { name: string }) => col.name === "duration_ms").name = "duration_ms";
            domain.partitionKey = "duration_ms";
        });
        assert.deepEqual(lines, ['lakehouse:domains[0].partitionValues: got ["page_view","click","scroll","search","add_to_cart","checkout"]; expected partitionKey duration_ms to be a string column (it is bigint): other values go to the partition _other']);
    });

    it("accepts a declared cardinality instead of values", () => {
        const cfg = base();
        delete cfg["lakehouse:domains"][0].partitionValues;
        cfg["lakehouse:domains"][0].maxPartitionValues = 40;
        assert.deepEqual(parseStackConfig(cfg).sizes.firehosePartitions.clickstream.activePartitions, 80);
    });
});

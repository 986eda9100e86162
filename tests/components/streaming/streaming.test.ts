import { ofType, policyOf, resolved, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { createFirehoseClusterPolicy, FirehoseDelivery, KinesisStream, MskCluster, MskServerlessCluster, MskTopics, serverProperties } from "../../../components/streaming";

const dev = { protect: false, removeDataOnDestroy: true };
const prod = { protect: true, removeDataOnDestroy: false };
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/streaming";

describe("KinesisStream", () => {
    it("encrypts with the streaming key, keeps the declared retention and emits shard-level metrics", async () => {
        const stream = single(await resourcesUnder(new KinesisStream("ks-a", { streamName: "ks-a", shardCount: 4, retentionHours: 168, kmsKeyArn: KEY, protection: prod })), "aws:kinesis/stream:Stream");
        assert.equal(stream.inputs.encryptionType, "KMS");
        assert.equal(stream.inputs.kmsKeyId, KEY);
        assert.equal(stream.inputs.retentionPeriod, 168);
        assert.equal(stream.inputs.shardCount, 4);
        assert.deepEqual(stream.inputs.streamModeDetails, { streamMode: "PROVISIONED" });
        assert.ok((stream.inputs.shardLevelMetrics as string[]).includes("IteratorAgeMilliseconds"));
        assert.equal(stream.protect, true);
    });

    it("leaves the shard count to AWS on demand", async () => {
        const stream = single(await resourcesUnder(new KinesisStream("ks-b", { streamName: "ks-b", mode: "ON_DEMAND", shardCount: 4, retentionHours: 24, kmsKeyArn: KEY, protection: dev })), "aws:kinesis/stream:Stream");
        assert.equal(stream.inputs.shardCount, undefined);
        assert.deepEqual(stream.inputs.streamModeDetails, { streamMode: "ON_DEMAND" });
        const unsized = single(await resourcesUnder(new KinesisStream("ks-c", { streamName: "ks-c", mode: "ON_DEMAND", retentionHours: 24, kmsKeyArn: KEY, protection: dev })), "aws:kinesis/stream:Stream");
        assert.equal(unsized.inputs.shardCount, undefined);
    });

    it("registers one enhanced fan-out consumer per declared consumer", async () => {
        const resources = await resourcesUnder(new KinesisStream("ks-efo", { streamName: "ks-efo", shardCount: 2, retentionHours: 24, enhancedFanOutConsumers: 3, kmsKeyArn: KEY, protection: dev }));
        const consumers = resources.filter((r) => r.type === "aws:kinesis/streamConsumer:StreamConsumer");
        assert.deepEqual(consumers.map((c) => c.inputs.name).sort(), ["ks-efo-efo-1", "ks-efo-efo-2", "ks-efo-efo-3"]);
        assert.ok(consumers.every((c) => c.inputs.streamArn === "arn:aws:kinesis:eu-west-1:123456789012:stream/ks-efo"));
        const none = await resourcesUnder(new KinesisStream("ks-no-efo", { streamName: "ks-no-efo", shardCount: 2, retentionHours: 24, kmsKeyArn: KEY, protection: dev }));
        assert.equal(none.filter((r) => r.type === "aws:kinesis/streamConsumer:StreamConsumer").length, 0);
    });

    it("refuses a provisioned stream without a shard count, naming the stream", () => {
        assert.throws(() => new KinesisStream("ks-d", { streamName: "ks-d", retentionHours: 24, kmsKeyArn: KEY, protection: dev }), /KinesisStream ks-d: shardCount is required in PROVISIONED mode/);
    });
});

describe("FirehoseDelivery", () => {
    const build = (name: string, partitionKey?: string, partitionValues?: string[]) =>
        new FirehoseDelivery(name, {
            deliveryStreamName: name,
            domain: "clickstream",
            source: { kind: "kinesis", streamArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/s", streamKeyArn: KEY },
            rawBucketArn: "arn:aws:s3:::raw",
            lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
            schema: { databaseName: "db_raw", tableName: "clickstream" },
            partitionKey,
            partitionValues,
            bufferSizeMib: 128,
            bufferIntervalSeconds: 300,
            logging: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", retentionDays: 30, logGroupName: `/t/${name}` },
            account: testAccount,
            protection: dev,
        });

    it("converts to Parquet through the Glue table and writes partitioned, encrypted, buffered files", async () => {
        const resources = await resourcesUnder(build("fh-a", "event_type"));
        const delivery = single(resources, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
        const s3 = delivery.inputs.extendedS3Configuration as any;
        assert.equal(delivery.inputs.destination, "extended_s3");
        assert.equal((delivery.inputs.kinesisSourceConfiguration as any).kinesisStreamArn, "arn:aws:kinesis:eu-west-1:123456789012:stream/s");
        assert.equal(s3.dataFormatConversionConfiguration.enabled, true);
        assert.deepEqual(s3.dataFormatConversionConfiguration.outputFormatConfiguration, { serializer: { parquetSerDe: { compression: "SNAPPY" } } });
        assert.equal(s3.dataFormatConversionConfiguration.schemaConfiguration.tableName, "clickstream");
        assert.equal(s3.prefix, "clickstream/event_type_partition=!{partitionKeyFromQuery:event_type_partition}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
        assert.match(s3.errorOutputPrefix, /^_errors\/clickstream\/!\{firehose:error-output-type\}\//);
        assert.deepEqual([s3.bufferingSize, s3.bufferingInterval], [128, 300]);
        assert.equal(s3.kmsKeyArn, "arn:aws:kms:eu-west-1:123456789012:key/lake");
        assert.equal(s3.cloudwatchLoggingOptions.enabled, true);
        assert.deepEqual(s3.dynamicPartitioningConfiguration, { enabled: true });
        assert.equal(single(resources, "aws:cloudwatch/logGroup:LogGroup").inputs.kmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/ops");
    });

    it("keeps a bounded key within its declared values: others go to the _other prefix (the JQ run through jq)", async () => {
        const s3 = single(await resourcesUnder(build("fh-bounded", "event_type", ["click", "page_view"])), "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").inputs.extendedS3Configuration as any;
        const parameters = s3.processingConfiguration.processors[0].parameters as { parameterName: string; parameterValue: string }[];
        const query = parameters.find((p) => p.parameterName === "MetadataExtractionQuery")!.parameterValue;
        assert.equal(parameters.find((p) => p.parameterName === "JsonParsingEngine")!.parameterValue, "JQ-1.6");
        const jq: { json: (input: unknown, filter: string) => unknown } = await require("jq-web");
        assert.deepEqual(jq.json({ event_type: "click" }, query), { event_type_partition: "click" });
        assert.deepEqual(jq.json({ event_type: "bot_ping" }, query), { event_type_partition: "_other" });
        assert.equal(s3.prefix, "clickstream/event_type_partition=!{partitionKeyFromQuery:event_type_partition}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
    });

    it("partitions by time only when the domain declares no key", async () => {
        const s3 = single(await resourcesUnder(build("fh-b")), "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").inputs.extendedS3Configuration as any;
        assert.equal(s3.prefix, "clickstream/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
        assert.equal(s3.dynamicPartitioningConfiguration, undefined);
    });

    it("gives its role only the stream, the domain's prefixes, the keys and its schema table", async () => {
        const policy = policyOf(single(await resourcesUnder(build("fh-c")), "aws:iam/rolePolicy:RolePolicy")).Statement;
        const write = policy.find((s) => s.Sid === "WriteRawZone");
        assert.deepEqual(write.Resource, ["arn:aws:s3:::raw", "arn:aws:s3:::raw/clickstream/*", "arn:aws:s3:::raw/_errors/clickstream/*"]);
        for (const statement of policy) assert.ok(![statement.Resource].flat().includes("*"), statement.Sid);
    });

    it("reads an MSK topic privately with IAM, with read on the topic and its groups only", async () => {
        const cluster = "arn:aws:kafka:eu-west-1:123456789012:cluster/kafka/1111-2222-3";
        const resources = await resourcesUnder(
            new FirehoseDelivery("fh-msk", {
                deliveryStreamName: "fh-msk",
                domain: "orders",
                source: { kind: "msk", clusterArn: cluster, topic: "orders", sourceReady: [] },
                rawBucketArn: "arn:aws:s3:::raw",
                lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
                schema: { databaseName: "db_raw", tableName: "orders" },
                bufferSizeMib: 128,
                bufferIntervalSeconds: 300,
                logging: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", retentionDays: 30, logGroupName: "/t/fh-msk" },
                account: testAccount,
                protection: dev,
            }),
        );
        const delivery = single(resources, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").inputs as any;
        assert.equal(delivery.kinesisSourceConfiguration, undefined);
        assert.equal(delivery.mskSourceConfiguration.mskClusterArn, cluster);
        assert.equal(delivery.mskSourceConfiguration.topicName, "orders");
        assert.equal(delivery.mskSourceConfiguration.authenticationConfiguration.connectivity, "PRIVATE");
        assert.equal(delivery.extendedS3Configuration.prefix, "orders/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
        const policy = policyOf(single(resources, "aws:iam/rolePolicy:RolePolicy")).Statement;
        assert.equal(policy.find((s) => s.Sid === "ReadTopic").Resource, "arn:aws:kafka:eu-west-1:123456789012:topic/kafka/1111-2222-3/orders");
        assert.equal(policy.find((s) => s.Sid === "UseConsumerGroups").Resource, "arn:aws:kafka:eu-west-1:123456789012:group/kafka/1111-2222-3/*");
        assert.ok(!policy.some((s) => s.Sid === "ReadSourceStream"));
    });

    it("creates the stream only once the topic and the cluster policy exist (explicit dependsOn)", async () => {
        const cluster = "arn:aws:kafka:eu-west-1:123456789012:cluster/kafka/1111-2222-3";
        const topics = new MskTopics("fh-wait-topics", { clusterArn: cluster, topics: [{ name: "orders", partitions: 6, replicationFactor: 3, minInSyncReplicas: 2, retentionMs: 86_400_000 }], protection: dev });
        const policy = createFirehoseClusterPolicy("fh-wait-policy", cluster, testAccount, {});
        const delivery = new FirehoseDelivery("fh-wait", {
            deliveryStreamName: "fh-wait",
            domain: "orders",
            source: { kind: "msk", clusterArn: cluster, topic: "orders", sourceReady: [topics.created.orders, policy] },
            rawBucketArn: "arn:aws:s3:::raw",
            lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
            schema: { databaseName: "db_raw", tableName: "orders" },
            bufferSizeMib: 128,
            bufferIntervalSeconds: 300,
            logging: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", retentionDays: 30, logGroupName: "/t/fh-wait" },
            account: testAccount,
            protection: dev,
        });
        const stream = single(await resourcesUnder(delivery), "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
        const [topicUrn, policyUrn] = [await resolved(topics.created.orders.urn), await resolved(policy.urn)];
        // Neither is an input of the stream: only an explicit dependsOn puts them among its dependencies.
        assert.ok(stream.dependencies.includes(topicUrn), "waits for the topic");
        assert.ok(stream.dependencies.includes(policyUrn), "waits for the cluster policy");
        assert.ok(!Object.values(stream.propertyDependencies).flat().includes(topicUrn));
    });
});

describe("MskCluster", () => {
    const build = (name: string, brokerCount = 3) =>
        new MskCluster(name, {
            clusterName: name,
            kafkaVersion: "3.9.x",
            brokerInstanceType: "kafka.m7g.large",
            brokerCount,
            storageGibPerBroker: 500,
            maxStorageGibPerBroker: 2000,
            subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
            vpcId: "vpc-1",
            vpcCidr: "10.42.0.0/16",
            kmsKeyArn: KEY,
            logging: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", retentionDays: 90, logGroupName: `/t/${name}` },
            protection: prod,
        });

    it("spreads brokers over three AZs with TLS, IAM only, no public access and the streaming key", async () => {
        const resources = await resourcesUnder(build("msk-a"));
        const cluster = single(resources, "aws:msk/cluster:Cluster").inputs as any;
        assert.deepEqual(cluster.brokerNodeGroupInfo.clientSubnets, ["subnet-a", "subnet-b", "subnet-c"]);
        assert.equal(cluster.numberOfBrokerNodes, 3);
        assert.deepEqual(cluster.encryptionInfo.encryptionInTransit, { clientBroker: "TLS", inCluster: true });
        assert.equal(cluster.encryptionInfo.encryptionAtRestKmsKeyArn, KEY);
        assert.deepEqual(cluster.clientAuthentication, { sasl: { iam: true, scram: false }, unauthenticated: false });
        assert.deepEqual(cluster.brokerNodeGroupInfo.connectivityInfo.publicAccess, { type: "DISABLED" });
        assert.equal(cluster.enhancedMonitoring, "PER_TOPIC_PER_BROKER");
        // Storage autoscaling grows the volumes: an update must not try to shrink them back.
        assert.deepEqual(single(resources, "aws:msk/cluster:Cluster").options.ignoreChanges, ["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"]);
        assert.equal(cluster.loggingInfo.brokerLogs.cloudwatchLogs.enabled, true);
        assert.equal(cluster.configurationInfo.revision, 1);
        assert.equal(single(resources, "aws:msk/cluster:Cluster").protect, true);
    });

    it("applies the safe broker configuration", async () => {
        const configuration = single(await resourcesUnder(build("msk-b")), "aws:msk/configuration:Configuration").inputs;
        const props = String(configuration.serverProperties);
        for (const line of ["auto.create.topics.enable=false", "default.replication.factor=3", "min.insync.replicas=2", "unclean.leader.election.enable=false"]) {
            assert.ok(props.split("\n").includes(line), line);
        }
        // Two brokers: two replicas, and one in sync suffices, so patching a broker never stops producers.
        assert.ok(serverProperties(2).split("\n").includes("default.replication.factor=2"));
        assert.ok(serverProperties(2).split("\n").includes("min.insync.replicas=1"));
        assert.ok(serverProperties(2).split("\n").includes("transaction.state.log.min.isr=1"));
    });

    it("admits only the IAM/TLS port from inside the VPC when nothing reads it over private connectivity", async () => {
        const rules = ofType(await resourcesUnder(build("msk-c")), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual(rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]), [[9098, 9098, "10.42.0.0/16"]]);
    });

    it("lets Firehose of this account connect privately when domains land through it", async () => {
        const withFirehose = new MskCluster("msk-fh", {
            clusterName: "msk-fh",
            kafkaVersion: "3.9.x",
            brokerInstanceType: "kafka.m7g.large",
            brokerCount: 3,
            storageGibPerBroker: 500,
            maxStorageGibPerBroker: 2000,
            subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
            vpcId: "vpc-1",
            vpcCidr: "10.42.0.0/16",
            kmsKeyArn: KEY,
            logging: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", retentionDays: 90, logGroupName: "/t/msk-fh" },
            firehoseAccount: testAccount,
            protection: prod,
        });
        const resources = await resourcesUnder(withFirehose);
        const cluster = single(resources, "aws:msk/cluster:Cluster").inputs as any;
        assert.deepEqual(cluster.brokerNodeGroupInfo.connectivityInfo.vpcConnectivity, { clientAuthentication: { sasl: { iam: true } } });
        const statement = policyOf(single(resources, "aws:msk/clusterPolicy:ClusterPolicy")).Statement[0];
        assert.deepEqual(statement.Principal, { Service: "firehose.amazonaws.com" });
        assert.ok(statement.Action.includes("kafka:CreateVpcConnection"));
        assert.equal(statement.Condition.StringEquals["aws:SourceAccount"], "123456789012");
        assert.equal(withFirehose.clusterPolicy !== undefined, true);
        assert.equal(await resolved(withFirehose.clusterPolicy!.urn), single(resources, "aws:msk/clusterPolicy:ClusterPolicy").urn);
        // Firehose's private connection reaches broker n on 14000 + n, from inside the VPC only.
        const rules = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual(rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]).sort(), [
            ["tcp", 14001, 14003, "10.42.0.0/16"],
            ["tcp", 9098, 9098, "10.42.0.0/16"],
        ]);
        assert.equal(ofType(await resourcesUnder(build("msk-no-fh")), "aws:msk/clusterPolicy:ClusterPolicy").length, 0);
    });

    it("autoscales broker storage without scaling in", async () => {
        const resources = await resourcesUnder(build("msk-d"));
        const target = single(resources, "aws:appautoscaling/target:Target").inputs;
        assert.deepEqual([target.serviceNamespace, target.scalableDimension, target.maxCapacity], ["kafka", "kafka:broker-storage:VolumeSize", 2000]);
        const policy = single(resources, "aws:appautoscaling/policy:Policy").inputs as any;
        assert.equal(policy.targetTrackingScalingPolicyConfiguration.disableScaleIn, true);
    });

    it("refuses a broker count that does not spread evenly", () => {
        assert.throws(() => build("msk-e", 4), /4 brokers do not spread evenly over 3 subnets/);
    });
});

describe("MskServerlessCluster", () => {
    it("uses IAM authentication in private subnets", async () => {
        const serverless = new MskServerlessCluster("msks-a", { clusterName: "msks-a", subnetIds: ["subnet-a", "subnet-b"], vpcId: "vpc-1", vpcCidr: "10.40.0.0/20" });
        const resources = await resourcesUnder(serverless);
        const cluster = single(resources, "aws:msk/serverlessCluster:ServerlessCluster").inputs as any;
        assert.deepEqual(cluster.clientAuthentication, { sasl: { iam: { enabled: true } } });
        assert.deepEqual(cluster.vpcConfigs[0].subnetIds, ["subnet-a", "subnet-b"]);
        assert.equal(cluster.vpcConfigs[0].securityGroupIds.length, 1);
        assert.equal(serverless.clusterPolicy, undefined);
        const rules = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual(rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]), [[9098, 9098, "10.40.0.0/20"]]);
    });

    it("lets Firehose connect privately through a cluster policy it exposes (Firehose's own connection: no broker ports to open)", async () => {
        const serverless = new MskServerlessCluster("msks-fh", { clusterName: "msks-fh", subnetIds: ["subnet-a", "subnet-b"], vpcId: "vpc-1", vpcCidr: "10.40.0.0/20", firehoseAccount: testAccount });
        const resources = await resourcesUnder(serverless);
        assert.equal(await resolved(serverless.clusterPolicy!.urn), single(resources, "aws:msk/clusterPolicy:ClusterPolicy").urn);
        const rules = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual(rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]), [[9098, 9098, "10.40.0.0/20"]]);
    });
});

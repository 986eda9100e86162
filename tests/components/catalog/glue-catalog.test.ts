import { ofType, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { GlueCatalog } from "../../../components/catalog";

const LAKE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/lake";
const OPS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/ops";

const build = (name: string, manageCatalogEncryption = true, protection = { protect: true, removeDataOnDestroy: false }) =>
    new GlueCatalog(name, {
        namePrefix: name,
        domains: [
            {
                name: "orders",
                columns: [
                    { name: "order_id", type: "string" },
                    { name: "ordered_at", type: "timestamp" },
                    { name: "amount", type: "decimal(12,2)" },
                    { name: "items", type: "bigint" },
                ],
                primaryKey: ["order_id"],
                eventTime: "ordered_at",
                hotKeyBuckets: 16,
            },
            { name: "clicks", columns: [{ name: "event_id", type: "string" }, { name: "clicked_at", type: "timestamp" }], primaryKey: ["event_id"], eventTime: "clicked_at" },
        ],
        buckets: { raw: "raw-b", curated: "cur-b", analytics: "ana-b" },
        bucketArns: { raw: "arn:aws:s3:::raw-b", curated: "arn:aws:s3:::cur-b", analytics: "arn:aws:s3:::ana-b" },
        lakeKeyArn: LAKE_KEY,
        operationsKeyArn: OPS_KEY,
        network: { vpcId: "vpc-1", vpcCidr: "10.42.0.0/16", subnetId: "subnet-a", availabilityZone: "eu-west-1a", s3PrefixListId: "pl-s3", dynamodbPrefixListId: "pl-ddb" },
        crawlerSchedule: "cron(15 * * * ? *)",
        manageCatalogEncryption,
        targetFileSizeMb: 256,
        account: testAccount,
        protection,
    });

describe("GlueCatalog", () => {
    it("creates a database per zone and domain, a Parquet raw table with partition keys and an Iceberg curated table", async () => {
        const resources = await resourcesUnder(build("gc-a"));
        const databases = ofType(resources, "aws:glue/catalogDatabase:CatalogDatabase").map((d) => d.inputs.name).sort();
        assert.deepEqual(databases, ["gc_a_analytics_clicks", "gc_a_analytics_orders", "gc_a_curated_clicks", "gc_a_curated_orders", "gc_a_raw_clicks", "gc_a_raw_orders"]);
        const tables = ofType(resources, "aws:glue/catalogTable:CatalogTable");
        // No producer writes the analytics zone yet: no table there to grant, tag or read.
        assert.deepEqual(tables.map((t) => `${t.inputs.databaseName}.${t.inputs.name}`).sort(), ["gc_a_curated_clicks.clicks", "gc_a_curated_orders.orders", "gc_a_raw_clicks.clicks", "gc_a_raw_orders.orders"]);
        for (const table of tables.filter((t) => String(t.inputs.databaseName).includes("_raw_"))) {
            const sd = table.inputs.storageDescriptor as any;
            assert.match(sd.serDeInfo.serializationLibrary, /ParquetHiveSerDe/);
            assert.ok((table.inputs.partitionKeys as any[]).length >= 3);
        }
        for (const table of tables.filter((t) => String(t.inputs.databaseName).includes("_curated_"))) {
            // Iceberg keeps its own partitioning and files: no Hive partition keys, no storage descriptor.
            assert.equal(table.inputs.partitionKeys, undefined);
            assert.equal(table.inputs.storageDescriptor, undefined);
            assert.ok(table.options.ignoreChanges?.includes("parameters"), "each commit moves metadata_location: the program must not put it back");
        }
        assert.ok(ofType(resources, "aws:glue/catalogDatabase:CatalogDatabase").every((d) => d.protect));
    });

    it("makes curated tables Iceberg v2 from the contract: typed schema, event-day partitions, a key bucket where declared, copy-on-write, the target file size", async () => {
        const tables = ofType(await resourcesUnder(build("gc-ice")), "aws:glue/catalogTable:CatalogTable");
        const orders = tables.find((t) => t.inputs.databaseName === "gc_ice_curated_orders")!.inputs as any;
        const iceberg = orders.openTableFormatInput.icebergInput;
        assert.equal(iceberg.metadataOperation, "CREATE");
        assert.equal(iceberg.version, "2");
        assert.equal(iceberg.icebergTableInput.location, "s3://cur-b/iceberg/orders/", "the table has its own root: orphan-file deletion never sees the files of earlier layouts");
        assert.deepEqual(
            iceberg.icebergTableInput.schema.fields.map((f: any) => [f.id, f.name, JSON.parse(f.type), f.required]),
            [
                [1, "order_id", "string", false],
                [2, "ordered_at", "timestamptz", false],
                [3, "amount", "decimal(12,2)", false],
                [4, "items", "long", false],
            ],
        );
        assert.deepEqual(iceberg.icebergTableInput.partitionSpec.fields, [
            { fieldId: 1000, name: "ordered_at_day", sourceId: 2, transform: "day" },
            { fieldId: 1001, name: "order_id_bucket", sourceId: 1, transform: "bucket[16]" },
        ]);
        const properties = iceberg.icebergTableInput.properties;
        assert.equal(properties["write.target-file-size-bytes"], String(256 * 1024 * 1024));
        assert.equal(properties["write.merge.mode"], "copy-on-write");
        const clicks = tables.find((t) => t.inputs.databaseName === "gc_ice_curated_clicks")!.inputs as any;
        assert.deepEqual(
            clicks.openTableFormatInput.icebergInput.icebergTableInput.partitionSpec.fields.map((f: any) => f.transform),
            ["day"],
            "no key bucket unless the domain declares hot keys",
        );
    });

    it("encrypts the catalog and connection passwords with the lake key", async () => {
        const settings = single(await resourcesUnder(build("gc-b")), "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings").inputs as any;
        assert.deepEqual(settings.dataCatalogEncryptionSettings.encryptionAtRest, { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: LAKE_KEY });
        assert.deepEqual(settings.dataCatalogEncryptionSettings.connectionPasswordEncryption, { returnConnectionPasswordEncrypted: true, awsKmsKeyId: LAKE_KEY });
        assert.equal(ofType(await resourcesUnder(build("gc-c", false)), "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings").length, 0);
    });

    it("retains the account-wide catalog encryption on delete always, and protects it where the environment protects data", async () => {
        const protectedOne = single(await resourcesUnder(build("gc-enc-p")), "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings");
        assert.equal(protectedOne.retainOnDelete, true);
        assert.equal(protectedOne.protect, true);
        const unprotected = single(await resourcesUnder(build("gc-enc-u", true, { protect: false, removeDataOnDestroy: true })), "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings");
        assert.equal(unprotected.retainOnDelete, true, "even where stacks are destroyed with their data: deleting it turns encryption off for the account");
        assert.equal(unprotected.protect, false);
    });

    it("writes no database before catalog encryption is on", async () => {
        const resources = await resourcesUnder(build("gc-enc-order"));
        const encryption = single(resources, "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings");
        for (const database of ofType(resources, "aws:glue/catalogDatabase:CatalogDatabase")) assert.ok(database.dependencies.includes(encryption.urn), `${database.name} may be written unencrypted`);
    });

    it("protects catalog tables as the environment's protection setting says", async () => {
        const protectedTables = ofType(await resourcesUnder(build("gc-tab-p")), "aws:glue/catalogTable:CatalogTable");
        assert.ok(protectedTables.length > 0 && protectedTables.every((t) => t.protect));
        const unprotectedTables = ofType(await resourcesUnder(build("gc-tab-u", true, { protect: false, removeDataOnDestroy: true })), "aws:glue/catalogTable:CatalogTable");
        assert.ok(unprotectedTables.length > 0 && unprotectedTables.every((t) => !t.protect));
    });

    it("defines one security configuration encrypting S3, CloudWatch and bookmarks with KMS", async () => {
        const config = single(await resourcesUnder(build("gc-d")), "aws:glue/securityConfiguration:SecurityConfiguration").inputs as any;
        assert.deepEqual(config.encryptionConfiguration.s3Encryption, { s3EncryptionMode: "SSE-KMS", kmsKeyArn: LAKE_KEY });
        assert.deepEqual(config.encryptionConfiguration.cloudwatchEncryption, { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: OPS_KEY });
        assert.deepEqual(config.encryptionConfiguration.jobBookmarksEncryption, { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: LAKE_KEY });
    });

    it("runs crawlers in the VPC on a schedule with the security configuration, over the raw tables", async () => {
        const resources = await resourcesUnder(build("gc-e"));
        const connection = single(resources, "aws:glue/connection:Connection").inputs as any;
        assert.equal(connection.connectionType, "NETWORK");
        assert.equal(connection.physicalConnectionRequirements.subnetId, "subnet-a");
        const crawlers = ofType(resources, "aws:glue/crawler:Crawler");
        assert.equal(crawlers.length, 2);
        for (const crawler of crawlers) {
            assert.equal(crawler.inputs.securityConfiguration, "gc-e-glue");
            assert.equal(crawler.inputs.schedule, "cron(15 * * * ? *)");
            assert.equal((crawler.inputs.catalogTargets as any[])[0].connectionName, "gc-e-vpc");
        }
    });

    it("lets Glue ENIs talk only to each other and HTTPS inside the VPC, to S3 and to DynamoDB (run records)", async () => {
        const resources = await resourcesUnder(build("gc-f"));
        const egress = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        assert.ok(egress.every((r) => r.inputs.cidrIpv4 !== "0.0.0.0/0"));
        assert.deepEqual(egress.filter((r) => r.inputs.fromPort === 443).map((r) => r.inputs.cidrIpv4 ?? r.inputs.prefixListId).sort(), ["10.42.0.0/16", "pl-ddb", "pl-s3"]);
    });
});

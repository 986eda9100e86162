import { z } from "zod";
import apNortheast1 from "./list-prices/ap-northeast-1.json";
import apSoutheast2 from "./list-prices/ap-southeast-2.json";
import euCentral1 from "./list-prices/eu-central-1.json";
import euWest1 from "./list-prices/eu-west-1.json";
import usEast2 from "./list-prices/us-east-2.json";
import usWest2 from "./list-prices/us-west-2.json";

/**
 * The embedded price catalog: dated snapshots of AWS list prices (USD, on-demand) per Region.
 * us-east-1 is below, from the AWS Price List and pricing pages as recorded in the project's price
 * reference; the other Regions are data files, `list-prices/<region>.json`, from AWS's pricing-page
 * feed (their sources and what they lack: `list-prices/SOURCES.md`).
 * Every price keeps its source and a confidence mark:
 *   A = AWS Price List value published 2026 (Sep-Oct); B = AWS's own published price data: the
 *   pricing API (2024), the pricing-page feed (2025) or an AWS page; C = secondary source, to verify
 *   before relying on it.
 * A Region or item without a price is reported as a warning (or an error in strict mode); no
 * price is ever borrowed silently from another Region.
 */

/** Date of the us-east-1 prices (each Region's file carries its own: {@link priceDateOf}). */
export const PRICE_DATE = "2026-10-31";
export const CURRENCY = "USD";
/** Hours in a month, the convention of AWS's calculator and Infracost. */
export const HOURS_PER_MONTH = 730;
/** Days in that month (730 / 24). */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export type Confidence = "A" | "B" | "C";

/** One list price. */
export interface Price {
    usd: number;
    /** The unit the price is per, e.g. `shard-hour`, `GB-month`, `1M requests`. */
    unit: string;
    confidence: Confidence;
    source: string;
}

const LIST = "AWS list price";
/** AWS charges every public IPv4 address the same hourly rate in every commercial Region since 2024-02-01. */
const PUBLIC_IPV4 = "AWS VPC pricing, public IPv4 address (https://aws.amazon.com/vpc/pricing/)";
const GLACIER_IR_TRANSITION =
    "AWS pricing-page feed https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/s3/USD/current/s3.json (published 2025-12-02, as mirrored by v0rts/aws-price-watcher@c4a0470f63402104fb3793bb114a39e488eb04ec:raw/s3.json); region 'US East (N. Virginia)', rate 'Lifecycle Transition Requests into Glacier Instant Retrieval per Requests' = 0.00002 x1,000";
const ATHENA_QUERIES =
    "AWS pricing-page feed https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/athena/USD/current/athena.json (published 2025-06-27, ingested 2025-11-26, as mirrored by v0rts/aws-price-watcher@165927cfe3cb1007a9617cd5ceb2f698da5ad75d:raw/athena.json); region 'US East (N. Virginia)', rate 'Athena Queries' = 5.0000000000, per TB of data scanned as https://aws.amazon.com/athena/pricing/ states; rateCode B6WHE3FUNCDQVVX4.JRTCKXETXF.6YS6EN2CT7";
const p = (usd: number, unit: string, confidence: Confidence, source = LIST): Price => ({ usd, unit, confidence, source });

/** Prices by Region, then item key. */
export const PRICES: Record<string, Record<string, Price>> = {
    "us-east-1": {
        "kinesis.shard-hour": p(0.015, "shard-hour", "B"),
        "kinesis.put-payload-units": p(0.014, "1M PUT payload units", "B"),
        "kinesis.extended-retention": p(0.02, "shard-hour", "B"),
        "kinesis.long-term-retention": p(0.023, "GB-month", "B"),
        "kinesis.efo-consumer-shard-hour": p(0.015, "consumer-shard-hour", "B"),
        "kinesis.efo-data": p(0.013, "GB", "B"),
        "kinesis.on-demand.stream-hour": p(0.04, "stream-hour", "B"),
        "kinesis.on-demand.data-in": p(0.08, "GB", "B"),
        "kinesis.on-demand.data-out": p(0.04, "GB", "B"),
        "kinesis.on-demand.extended-retention": p(0.1, "GB-month", "B"),
        "firehose.ingestion": p(0.029, "GB", "C"),
        "firehose.format-conversion": p(0.018, "GB", "C"),
        "msk.broker.kafka.t3.small": p(0.0456, "broker-hour", "A"),
        "msk.broker.kafka.m5.large": p(0.21, "broker-hour", "C"),
        "msk.broker.kafka.m5.xlarge": p(0.42, "broker-hour", "C"),
        "msk.broker.kafka.m7g.large": p(0.204, "broker-hour", "A"),
        "msk.broker.kafka.m7g.xlarge": p(0.408, "broker-hour", "C"),
        "msk.storage": p(0.1, "GB-month", "A"),
        "msk.provisioned-throughput": p(0.08, "MiB/s-month", "A"),
        "msk-serverless.cluster-hour": p(0.75, "cluster-hour", "A"),
        "msk-serverless.partition-hour": p(0.0015, "partition-hour", "A"),
        "msk-serverless.storage": p(0.1, "GB-month", "A"),
        "msk-serverless.data-in": p(0.1, "GB", "A"),
        "msk-serverless.data-out": p(0.05, "GB", "A"),
        "glue.etl.standard": p(0.44, "DPU-hour", "B"),
        "glue.etl.flex": p(0.29, "DPU-hour", "B"),
        "glue.crawler": p(0.44, "DPU-hour", "B"),
        "redshift.node.ra3.large": p(0.543, "node-hour", "C"),
        "redshift.node.ra3.xlplus": p(1.086, "node-hour", "A"),
        "redshift.node.ra3.4xlarge": p(3.26, "node-hour", "A"),
        "redshift.node.ra3.16xlarge": p(13.04, "node-hour", "B"),
        "redshift.managed-storage": p(0.024, "GB-month", "A"),
        "redshift-serverless.rpu-hour": p(0.375, "RPU-hour", "A"),
        "s3.standard": p(0.023, "GB-month", "A"),
        "s3.intelligent-tiering.frequent": p(0.023, "GB-month", "A"),
        "s3.intelligent-tiering.infrequent": p(0.0125, "GB-month", "A"),
        "s3.intelligent-tiering.archive-instant": p(0.004, "GB-month", "A"),
        "s3.intelligent-tiering.monitoring": p(0.0025, "1,000 objects-month", "A"),
        "s3.standard-ia": p(0.0125, "GB-month", "B"),
        "s3.glacier-ir": p(0.004, "GB-month", "C"),
        "s3.glacier": p(0.0036, "GB-month", "B"),
        "s3.deep-archive": p(0.00099, "GB-month", "B"),
        "s3.put-requests": p(0.005, "1,000 requests", "A"),
        "s3.get-requests": p(0.0004, "1,000 requests", "A"),
        "s3.transition.standard-ia": p(0.01, "1,000 transitions", "B"),
        "s3.transition.intelligent-tiering": p(0.01, "1,000 transitions", "B"),
        // 0.02, not 0.01: AWS's feed has 0.00002 per transition here and in every Region the catalog has.
        "s3.transition.glacier-ir": p(0.02, "1,000 transitions", "B", GLACIER_IR_TRANSITION),
        "s3.transition.glacier": p(0.03, "1,000 transitions", "B"),
        "s3.transition.deep-archive": p(0.05, "1,000 transitions", "B"),
        "nat.hour": p(0.045, "gateway-hour", "A"),
        "nat.gb": p(0.045, "GB processed", "A"),
        "ec2.public-ipv4": p(0.005, "IP-hour", "B", PUBLIC_IPV4),
        "vpce.interface-az-hour": p(0.01, "endpoint-AZ-hour", "B"),
        "vpce.interface-gb": p(0.01, "GB processed", "B"),
        "vpce.gateway": p(0, "endpoint", "B"),
        "kms.key": p(1, "key-month", "B"),
        "kms.requests": p(0.03, "10,000 requests", "B"),
        "cloudwatch.alarm": p(0.1, "alarm-month", "B"),
        "cloudwatch.custom-metric": p(0.3, "metric-month", "C"),
        "cloudwatch.log-ingestion": p(0.5, "GB", "B"),
        "cloudwatch.log-storage": p(0.03, "GB-month", "B"),
        "cloudwatch.dashboard": p(3, "dashboard-month", "C"),
        "stepfunctions.transitions": p(0.025, "1,000 transitions", "B"),
        "secretsmanager.secret": p(0.4, "secret-month", "A"),
        "sqs.requests": p(0.4, "1M requests", "B"),
        "sns.publishes": p(0.5, "1M publishes", "B"),
        "cloudtrail.data-events": p(0.1, "100,000 events", "B"),
        "cloudtrail.management-events": p(0, "first copy", "B"),
        "scheduler.invocations": p(1, "1M invocations above 14M free", "C"),
        "lakeformation": p(0, "no charge", "B"),
        "lambda.requests": p(0.2, "1M requests", "C"),
        "lambda.arm.gb-second": p(0.0000133334, "GB-second", "C"),
        "dynamodb.on-demand.write": p(0.625, "1M write request units", "C"),
        "dynamodb.on-demand.read": p(0.125, "1M read request units", "C"),
        "dynamodb.storage": p(0.25, "GB-month", "C"),
        "dynamodb.pitr": p(0.2, "GB-month", "C"),
        // Athena bills the bytes a query scans, at least 10 MB a query, rounded up to the MB.
        "athena.tb-scanned": p(5, "TB scanned", "B", ATHENA_QUERIES),
    },
};

const regionalFile = z.strictObject({
    region: z.string(),
    priceDate: z.iso.date(),
    about: z.string(),
    prices: z.record(
        z.string(),
        z.strictObject({
            usd: z.number().nonnegative(),
            unit: z.string().min(1),
            confidence: z.enum(["A", "B", "C"]),
            source: z.string().min(1),
        }),
    ),
    /** Catalog keys the Region has no price for, with the reason. */
    missing: z.record(z.string(), z.string().min(1)),
});
/** A Region's data file (`list-prices/<region>.json`). */
export type RegionalPrices = z.infer<typeof regionalFile>;

/** Reads a Region's data file, checked when the module loads: a hand edit that breaks it fails naming the file and key. */
export function parseRegionalPrices(document: unknown): RegionalPrices {
    const parsed = regionalFile.safeParse(document);
    if (parsed.success) return parsed.data;
    const region = (document as { region?: unknown })?.region;
    const issue = parsed.error.issues[0];
    throw new Error(`cost/list-prices/${String(region)}.json: ${issue.path.join(".") || "(file)"}: ${issue.message}`);
}

/** The Regions priced from data files, in the order of `list-prices/`. */
const REGIONAL = [apNortheast1, apSoutheast2, euCentral1, euWest1, usEast2, usWest2].map(parseRegionalPrices);
for (const file of REGIONAL) PRICES[file.region] = file.prices;

/** The Regions whose prices come from a data file. */
export const REGIONAL_PRICE_REGIONS: readonly string[] = REGIONAL.map((f) => f.region);

/** Date of each Region's prices. */
const PRICE_DATES: Record<string, string> = { "us-east-1": PRICE_DATE, ...Object.fromEntries(REGIONAL.map((f) => [f.region, f.priceDate])) };
/** Why a Region's data file has no price for a catalog key. */
const MISSING: Record<string, Record<string, string>> = Object.fromEntries(REGIONAL.map((f) => [f.region, f.missing]));

/** The date of a Region's list prices (us-east-1's for a Region the catalog lacks). */
export function priceDateOf(region: string): string {
    return PRICE_DATES[region] ?? PRICE_DATE;
}

/** Why the catalog has no price for an item in a Region, when its source says (e.g. not in AWS's feed). */
export function missingPriceReason(region: string, key: string): string | undefined {
    return MISSING[region]?.[key];
}

/** Looks up a price; undefined when the catalog has none for that Region and item. */
export function priceOf(region: string, key: string): Price | undefined {
    return PRICES[region]?.[key];
}

/** The price that applies: a team's price file first, then the list-price catalog. */
export function effectivePrice(region: string, key: string, overlay: Record<string, Price> | undefined): Price | undefined {
    return overlay?.[key] ?? priceOf(region, key);
}

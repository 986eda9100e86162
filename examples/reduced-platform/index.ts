/**
 * A reduced lakehouse as another team's program writes it: `npm install lakehouse-blueprint` (with
 * its peers @pulumi/pulumi and @pulumi/aws), then the stack file says what the team needs and the
 * package builds all of it. Inside this repository the imports resolve to the package itself
 * (Node's self-reference through package.json `exports`), to its built `dist/`; `npm run
 * example:tarball` plans it against the package installed from `npm pack` output instead.
 *
 * Pulumi.ingest.yaml asks for one Kinesis domain, a Redshift Serverless warehouse, no MSK and no
 * NAT gateway. What is deployed still moves data end to end: the stream lands in the raw zone
 * through Firehose, a Glue Spark job curates it, and a Step Functions load copies it into the
 * warehouse, under Lake Formation governance, alarms and a cost estimate.
 */
import * as aws from "@pulumi/aws";
import { namePrefix, platform } from "lakehouse-blueprint/components";
import { loadPlatformConfig } from "lakehouse-blueprint/config";

// Validated before the first resource: every lakehouse: key (parseStackConfig's one-line errors
// name the key) and the stack's name, which must be its lakehouse:environment.
const config = loadPlatformConfig();
// An explicit provider honours the stack's aws: settings and carries the platform's tags.
const provider = new aws.Provider(`aws-${config.environment}`, platform.platformProviderArgs(config));
const lakehouse = new platform.LakehousePlatform(namePrefix(config.environment), { config, provider });

export const streams = lakehouse.outputs.streaming;
export const lakeBuckets = lakehouse.outputs.lakeBuckets;
export const warehouseEndpoint = lakehouse.outputs.warehouseEndpoint;
/** `pulumi stack output costEstimate --json`: the monthly estimate and the budget it is judged against. */
export const costEstimate = lakehouse.costEstimate;

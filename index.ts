/**
 * The lakehouse program: reads the stack's validated configuration and creates the platform.
 * Everything an environment wants is in `stacks/Pulumi.<stack>.yaml`; see components/platform.
 */
import * as aws from "@pulumi/aws";
import { LakehousePlatform, platformProviderArgs } from "./components/platform";
import { loadPlatformConfig, requirePolicyConfig } from "./config/loader";
import { namePrefix } from "./lib/naming";

// Validation happens here, before the first resource is registered: the configuration, the stack's
// name (its lakehouse:environment) and the guardrails the deploy steps attach (README).
const config = loadPlatformConfig();
requirePolicyConfig(config.environment, __dirname);
// The provider stays a top-level resource, as it was before the platform component existed, so
// existing stacks keep their provider reference (and no resource is replaced).
// It carries the stack's aws: settings (profile, roles to assume, allowed accounts), which an explicit
// provider would otherwise ignore.
const provider = new aws.Provider(`aws-${config.environment}`, platformProviderArgs(config));
const platform = new LakehousePlatform(namePrefix(config.environment), { config, provider });

export const environment = platform.outputs.environment;
export const region = platform.outputs.region;
export const network = platform.outputs.network;
export const kmsKeys = platform.outputs.kmsKeys;
export const lakeBuckets = platform.outputs.lakeBuckets;
export const streaming = platform.outputs.streaming;
export const glue = platform.outputs.glue;
export const warehouseEndpoint = platform.outputs.warehouseEndpoint;
export const orchestration = platform.outputs.orchestration;
export const monitoring = platform.outputs.monitoring;
export const sizing = platform.outputs.sizing;
export const lakeFormationGovernance = platform.outputs.lakeFormationGovernance;
/** Monthly cost estimate for cost review: `pulumi stack output costEstimate --json`. */
export const costEstimate = platform.costEstimate;

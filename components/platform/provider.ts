import type * as aws from "@pulumi/aws";
import type { PlatformConfig } from "../../config/loader";
import { platformTags } from "../shared/tags";

/**
 * The arguments of the platform's AWS provider: the environment's Region and tag set, and every
 * `aws:` setting of the stack (profile, roles to assume, allowed accounts, retries). An explicit
 * provider reads no stack configuration by itself, so these would otherwise be dropped and the
 * deployment would run with whatever ambient credentials it finds.
 */
export function platformProviderArgs(config: Pick<PlatformConfig, "environment" | "region" | "tags" | "awsProvider">): aws.ProviderArgs {
    return {
        ...config.awsProvider,
        region: config.region as aws.Region,
        defaultTags: { tags: platformTags(config.environment, config.tags) },
    };
}

import { type Cidr, formatCidr, subnetOf } from "./cidr";

/** The three subnet tiers of the platform VPC. */
export type SubnetTier = "private" | "isolated" | "public";

/** One planned subnet. */
export interface PlannedSubnet {
    readonly tier: SubnetTier;
    /** Index of the Availability Zone, 0-based. */
    readonly azIndex: number;
    readonly cidrBlock: string;
}

/** Largest supported number of AZs: the layout below has four slots per tier. */
export const MAX_AZ_COUNT = 4;
/** Smallest VPC (longest prefix) the layout accepts; see {@link planSubnets}. */
export const SMALLEST_VPC_PREFIX = 20;
/** Largest VPC AWS allows. */
export const LARGEST_VPC_PREFIX = 16;

/**
 * Carves the VPC into per-AZ subnets.
 *
 * Private subnets, where Glue workers, MSK brokers, Redshift and the endpoint ENIs live, get an
 * eighth of the VPC each (a /19 in a /16). Isolated subnets (no route to the internet, for the
 * warehouse) and public subnets (NAT gateways only) get a sixteenth each from the upper half. With
 * the smallest accepted VPC, a /20, private subnets are /23: about 500 addresses, enough for a
 * Glue job of 100 workers plus every interface endpoint.
 */
export function planSubnets(vpc: Cidr, azCount: number): PlannedSubnet[] {
    const subnets: PlannedSubnet[] = [];
    for (let az = 0; az < azCount; az++) {
        subnets.push({ tier: "private", azIndex: az, cidrBlock: formatCidr(subnetOf(vpc, 3, az)) });
        subnets.push({ tier: "isolated", azIndex: az, cidrBlock: formatCidr(subnetOf(vpc, 4, 8 + az)) });
        subnets.push({ tier: "public", azIndex: az, cidrBlock: formatCidr(subnetOf(vpc, 4, 12 + az)) });
    }
    return subnets;
}

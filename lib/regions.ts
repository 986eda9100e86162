/**
 * AWS Regions and their Availability Zone ids, so a stack's `aws:region` and `azCount` are checked
 * offline, before anything is planned. Zone ids (not names) are what stay the same across accounts;
 * where a Region has more zone ids than a new account can use (us-west-1), the table lists the
 * usable ones. Source: AWS "Regions and Zones" documentation and `aws ec2 describe-availability-zones`
 * per Region (standard Availability Zones only, no Local or Wavelength Zones), as of 2026-11.
 */

/** One Region: its code, partition and the ids of its Availability Zones. */
export interface RegionInfo {
    code: string;
    partition: "aws" | "aws-cn" | "aws-us-gov";
    azIds: readonly string[];
}

const zones = (prefix: string, ...numbers: number[]) => numbers.map((n) => `${prefix}-az${n}`);
const region = (code: string, azIds: string[], partition: RegionInfo["partition"] = "aws"): RegionInfo => ({ code, partition, azIds });

export const REGIONS: readonly RegionInfo[] = [
    region("us-east-1", zones("use1", 1, 2, 3, 4, 5, 6)),
    region("us-east-2", zones("use2", 1, 2, 3)),
    region("us-west-1", zones("usw1", 1, 3)),
    region("us-west-2", zones("usw2", 1, 2, 3, 4)),
    region("ca-central-1", zones("cac1", 1, 2, 4)),
    region("ca-west-1", zones("caw1", 1, 2, 3)),
    region("mx-central-1", zones("mxc1", 1, 2, 3)),
    region("sa-east-1", zones("sae1", 1, 2, 3)),
    region("eu-west-1", zones("euw1", 1, 2, 3)),
    region("eu-west-2", zones("euw2", 1, 2, 3)),
    region("eu-west-3", zones("euw3", 1, 2, 3)),
    region("eu-central-1", zones("euc1", 1, 2, 3)),
    region("eu-central-2", zones("euc2", 1, 2, 3)),
    region("eu-north-1", zones("eun1", 1, 2, 3)),
    region("eu-south-1", zones("eus1", 1, 2, 3)),
    region("eu-south-2", zones("eus2", 1, 2, 3)),
    region("il-central-1", zones("ilc1", 1, 2, 3)),
    region("me-south-1", zones("mes1", 1, 2, 3)),
    region("me-central-1", zones("mec1", 1, 2, 3)),
    region("af-south-1", zones("afs1", 1, 2, 3)),
    region("ap-south-1", zones("aps1", 1, 2, 3)),
    region("ap-south-2", zones("aps2", 1, 2, 3)),
    region("ap-east-1", zones("ape1", 1, 2, 3)),
    region("ap-southeast-1", zones("apse1", 1, 2, 3)),
    region("ap-southeast-2", zones("apse2", 1, 2, 3)),
    region("ap-southeast-3", zones("apse3", 1, 2, 3)),
    region("ap-southeast-4", zones("apse4", 1, 2, 3)),
    region("ap-southeast-5", zones("apse5", 1, 2, 3)),
    region("ap-southeast-7", zones("apse7", 1, 2, 3)),
    region("ap-northeast-1", zones("apne1", 1, 2, 4)),
    region("ap-northeast-2", zones("apne2", 1, 2, 3, 4)),
    region("ap-northeast-3", zones("apne3", 1, 2, 3)),
    region("us-gov-west-1", zones("usgw1", 1, 2, 3), "aws-us-gov"),
    region("us-gov-east-1", zones("usge1", 1, 2, 3), "aws-us-gov"),
    region("cn-north-1", zones("cnn1", 1, 2, 4), "aws-cn"),
    region("cn-northwest-1", zones("cnnw1", 1, 2, 3), "aws-cn"),
];

const byCode = new Map(REGIONS.map((r) => [r.code, r]));

/** The Region with this code, or undefined for an unknown one. */
export function regionInfo(code: string): RegionInfo | undefined {
    return byCode.get(code);
}

/** Known Regions whose code is closest to a mistyped one (same geography first), for messages. */
export function similarRegions(code: string, max = 3): string[] {
    const geography = code.split("-").slice(0, 2).join("-");
    const sameGeography = REGIONS.filter((r) => r.code.startsWith(`${geography}-`)).map((r) => r.code);
    const sameArea = REGIONS.filter((r) => r.code.startsWith(`${code.split("-")[0]}-`)).map((r) => r.code);
    return [...new Set([...sameGeography, ...sameArea])].slice(0, max);
}

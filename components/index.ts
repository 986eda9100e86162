export * as kms from "./kms";
export * as lake from "./lake";
export * as network from "./network";
export * from "./shared/naming";
export * from "./shared/protection";
export * from "./shared/tags";

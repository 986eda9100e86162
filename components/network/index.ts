export * from "./endpoints";
export * from "./flow-logs";
export * from "./vpc";

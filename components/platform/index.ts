export * from "./lakehouse-platform";
export * from "./outputs";
export * from "./provider";

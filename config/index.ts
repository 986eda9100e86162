export * from "./governance";
export * from "./loader";
export * from "./schema";
export * from "./sizes";
export * from "./environments";

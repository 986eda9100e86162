export * from "./key-policy";
export * from "./platform-keys";

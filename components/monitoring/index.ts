export * from "./alert-topic";
export * from "./audit-trail";
export * from "./platform-alarms";
export * from "./reconciliation-alarms";
export * from "./runbooks";

export * from "./alert-topic";
export * from "./audit-trail";
export * from "./platform-alarms";
export * from "./runbooks";

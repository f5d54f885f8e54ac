export { AlertEvaluator } from './AlertEvaluator';
export type {
  AlertEvaluatorOptions,
  MetricsObservation,
  ObservedInstance,
} from './AlertEvaluator';
export {
  ALERTS_NOTIFICATION_TOPIC,
  BackstageAlertNotifier,
  alertNotification,
  alertsTabLink,
} from './AlertNotifier';
export type {
  AlertNotifier,
  BackstageAlertNotifierOptions,
} from './AlertNotifier';
export { AlertService } from './AlertService';
export type { AlertServiceOptions } from './AlertService';
export { AlertStore } from './AlertStore';
export type { InstanceHealthStatus } from './conditions';
export {
  AlertRuleSet,
  DEFAULT_ALERT_RULES,
  readAlertRules,
} from './readAlertRules';
export type { EntityAlertRules } from './readAlertRules';

import { compileConditions, type CompiledConditions } from './conditions';
import type { ReminderRule } from './domain';

export interface CompiledRule {
  rule: ReminderRule;
  conditions: CompiledConditions;
}

/**
 * Each rule's conditions compiled once, keyed by the rule object: published rules are immutable
 * values (a change is a new version, loaded as a new object), so the cache never goes stale.
 */
const compiled = new WeakMap<ReminderRule, CompiledRule>();

export function compileRule(rule: ReminderRule): CompiledRule {
  let entry = compiled.get(rule);
  if (!entry) {
    entry = { rule, conditions: compileConditions(rule.conditions) };
    compiled.set(rule, entry);
  }
  return entry;
}

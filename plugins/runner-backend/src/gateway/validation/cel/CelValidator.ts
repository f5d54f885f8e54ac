import { Optional } from '@marcbachmann/cel-js';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { CrdSchema } from '../CrdRegistry';
import { fieldError } from '../fieldErrors';
import { childPath, indexPath, keyPath } from '../fieldPath';
import { isPlainObject } from '../schemaWalk';
import { toCelValue } from './celValues';
import {
  RuleCompiler,
  type CompiledExpression,
  type ValidationRule,
} from './RuleCompiler';

/*
 * Evaluates `x-kubernetes-validations` the way the API server does
 * (apiextensions-apiserver schema/cel/validation.go): each rule runs with
 * `self` bound to the field it is declared on, only where that field is
 * present; transition rules (those using `oldSelf`) only run on updates where
 * the old value can be correlated; failures render as
 * `<path>: Invalid value: "<type>": <message>`.
 */

export interface CelValidateOptions {
  /** The stored object, for transition rules on update. Absent on create. */
  oldObject?: Record<string, unknown>;
  /**
   * How long the rules of one object may take, in milliseconds. The API
   * server bounds rules by an estimated cost; this bounds them by time, so a
   * crafted object cannot hold a request. Default CEL_TIME_BUDGET_MS.
   */
  budgetMs?: number;
  /** Told when rules were left unchecked (the budget ran out), with why. */
  onUnverified?: (reason: string) => void;
}

export const CEL_TIME_BUDGET_MS = 2000;

interface Budget {
  deadline: number;
  exhausted: boolean;
}

function ruleText(rule: ValidationRule): string {
  return rule.message?.trim() || rule.rule.trim();
}

function defaultMessage(rule: ValidationRule): string {
  return rule.message?.trim() || `failed rule: ${rule.rule.trim()}`;
}

/** `.spec.foo['bar']` relative to `base`, as the API server resolves a rule's fieldPath. */
function resolveFieldPath(base: string, fieldPath: string | undefined): string {
  if (!fieldPath) return base;
  let path = base;
  const token = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]/g;
  for (const match of fieldPath.matchAll(token)) {
    path =
      match[1] !== undefined
        ? childPath(path, match[1])
        : keyPath(path, match[2]);
  }
  return path;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export class CelValidator {
  readonly #compiler: RuleCompiler;

  constructor(compiler: RuleCompiler = new RuleCompiler()) {
    this.#compiler = compiler;
  }

  validate(
    schema: CrdSchema,
    object: Record<string, unknown>,
    options: CelValidateOptions = {},
  ): GatewayFinding[] {
    const findings: GatewayFinding[] = [];
    const budgetMs = options.budgetMs ?? CEL_TIME_BUDGET_MS;
    const budget: Budget = {
      deadline: Date.now() + budgetMs,
      exhausted: false,
    };
    this.#walk(schema, object, options.oldObject, '', true, findings, budget);
    if (budget.exhausted) {
      const reason = `its CEL rules took longer than ${budgetMs} ms and were not all checked`;
      findings.push({
        path: '',
        message: `Not checked: ${reason}; the API server's dry run checks them on apply`,
        severity: 'warning',
        source: 'cel',
      });
      options.onUnverified?.(reason);
    }
    return findings;
  }

  #walk(
    schema: CrdSchema,
    value: unknown,
    oldValue: unknown,
    path: string,
    isRoot: boolean,
    findings: GatewayFinding[],
    budget: Budget,
  ) {
    if (value === undefined || budget.exhausted) return;
    const rules: ValidationRule[] = schema['x-kubernetes-validations'] ?? [];
    if (rules.length > 0) {
      if (Date.now() > budget.deadline) {
        budget.exhausted = true;
        return;
      }
      const self = toCelValue(schema, value, isRoot);
      const oldSelf =
        oldValue === undefined
          ? undefined
          : toCelValue(schema, oldValue, isRoot);
      for (const rule of rules) {
        const finding = this.#evaluate(rule, schema, self, oldSelf, path);
        if (finding) findings.push(finding);
      }
    }

    if (Array.isArray(value)) {
      if (!schema.items) return;
      value.forEach((item, i) =>
        this.#walk(
          schema.items,
          item,
          correlateListItem(schema, item, oldValue),
          indexPath(path, i),
          false,
          findings,
          budget,
        ),
      );
      return;
    }
    if (!isPlainObject(value)) return;
    const old = isPlainObject(oldValue) ? oldValue : undefined;
    const embedded =
      isRoot || schema['x-kubernetes-embedded-resource'] === true;
    for (const [name, child] of Object.entries(value)) {
      if (embedded && name === 'metadata') continue;
      const property = schema.properties?.[name];
      if (property) {
        this.#walk(
          property,
          child,
          old?.[name],
          childPath(path, name),
          false,
          findings,
          budget,
        );
      } else if (isPlainObject(schema.additionalProperties)) {
        this.#walk(
          schema.additionalProperties,
          child,
          old?.[name],
          keyPath(path, name),
          false,
          findings,
          budget,
        );
      }
    }
  }

  #evaluate(
    rule: ValidationRule,
    schema: CrdSchema,
    self: unknown,
    oldSelf: unknown,
    path: string,
  ): GatewayFinding | undefined {
    const compiled = this.#compiler.compile(rule);
    const { expression } = compiled;
    const typeName = schema.type ?? '';
    if (
      expression.isTransition &&
      oldSelf === undefined &&
      !rule.optionalOldSelf
    ) {
      return undefined;
    }
    if (!expression.program) {
      return fieldError.internal(
        path,
        `rule cannot be checked (${expression.error}): ${rule.rule.trim()}`,
        'cel',
      );
    }
    let oldSelfValue: unknown = oldSelf;
    if (rule.optionalOldSelf) {
      oldSelfValue =
        oldSelf === undefined ? Optional.none() : Optional.of(oldSelf);
    }
    const activation = { self, oldSelf: oldSelfValue };
    let result: unknown;
    try {
      result = expression.program(activation);
    } catch (error) {
      const reason = lowerFirst((error as Error).message.split('\n')[0]);
      const detail = reason.startsWith('no such overload')
        ? `'${reason}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText(
            rule,
          )}`
        : `${reason} evaluating rule: ${ruleText(rule)}`;
      return fieldError.invalid(path, typeName, detail, 'cel');
    }
    if (result === true) return undefined;

    const target = resolveFieldPath(path, rule.fieldPath);
    const message =
      this.#message(compiled.message, activation) ?? defaultMessage(rule);
    switch (rule.reason) {
      case 'FieldValueForbidden':
        return fieldError.forbidden(target, 'cel', message);
      case 'FieldValueRequired':
        return fieldError.required(target, 'cel', message);
      case 'FieldValueDuplicate':
        return fieldError.duplicate(target, typeName, 'cel');
      default:
        return fieldError.invalid(target, typeName, message, 'cel');
    }
  }

  /** messageExpression's result; undefined (use `message`) when it fails or is blank, as the API server does. */
  #message(
    expression: CompiledExpression | undefined,
    activation: Record<string, unknown>,
  ): string | undefined {
    if (!expression?.program) return undefined;
    try {
      const value = expression.program(activation);
      return typeof value === 'string' && value.trim() !== ''
        ? value.trim()
        : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The old element a new list element corresponds to, for list-type map or set. */
function correlateListItem(
  schema: CrdSchema,
  item: unknown,
  oldList: unknown,
): unknown {
  if (!Array.isArray(oldList)) return undefined;
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'map' && isPlainObject(item)) {
    const keys: string[] = schema['x-kubernetes-list-map-keys'] ?? [];
    return oldList.find(
      old => isPlainObject(old) && keys.every(k => old[k] === item[k]),
    );
  }
  if (listType === 'set') {
    const id = JSON.stringify(item);
    return oldList.find(old => JSON.stringify(old) === id);
  }
  return undefined;
}

// Which requests get which fault: a list of rules, first match wins.
import type { AwsCall, Service } from './classify.js';
import type { Fault } from './fault.js';
import type { Random } from './random.js';

/**
 * A fault for the requests it matches. `operation` is the API name (`GetObject`,
 * `GenerateDataKey`, `SendMessage`...). `skip` lets that many matches through first; `times`
 * faults that many (default: every match); `probability` faults a seeded share of them.
 */
export type FaultRule = {
  service?: Service;
  operation?: string | RegExp | readonly string[];
  /** Only requests whose body or path contains this text (for example one object key). */
  contains?: string;
  fault: Fault;
  skip?: number;
  times?: number;
  probability?: number;
};

type RuleState = { rule: FaultRule; seen: number; fired: number };

function matchesOperation(rule: FaultRule, operation: string): boolean {
  const wanted = rule.operation;
  if (wanted === undefined) return true;
  if (typeof wanted === 'string') return wanted === operation;
  if (wanted instanceof RegExp) return wanted.test(operation);
  return (wanted).includes(operation);
}

/** The ordered rules of one proxy and how often each has matched and fired. */
export type RuleBook = {
  add(rule: FaultRule): void;
  clear(): void;
  pick(call: AwsCall, text: string, random: Random): Fault | undefined;
};

/** A new, empty rule book. */
export function ruleBook(): RuleBook {
  let rules: RuleState[] = [];
  return {
    add: (rule) => rules.push({ rule, seen: 0, fired: 0 }),
    clear: () => {
      rules = [];
    },
    pick(call, text, random) {
      for (const state of rules) {
        const { rule } = state;
        if (rule.service !== undefined && rule.service !== call.service) continue;
        if (!matchesOperation(rule, call.operation)) continue;
        if (rule.contains !== undefined && !text.includes(rule.contains)) continue;
        state.seen++;
        if (state.seen <= (rule.skip ?? 0)) continue;
        if (rule.times !== undefined && state.fired >= rule.times) continue;
        if (rule.probability !== undefined && random() >= rule.probability) continue;
        state.fired++;
        return rule.fault;
      }
      return undefined;
    },
  };
}

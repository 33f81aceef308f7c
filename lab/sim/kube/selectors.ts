// Label and field selectors as the API server parses them from the query string.
import { errors } from './status';
import type { KubeObject } from './types';

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type Selector = (obj: KubeObject) => boolean;

/** Splits on commas that are not inside a parenthesised value list. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function parseRequirement(term: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (setMatch) {
    const values = (setMatch[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    return { key: setMatch[1] ?? '', op: setMatch[2] as 'in' | 'notin', values };
  }
  const eqMatch = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eqMatch) return { key: eqMatch[1] ?? '', op: eqMatch[2] === '!=' ? 'neq' : 'eq', value: eqMatch[3] ?? '' };
  if (/^![^\s!=()]+$/.test(term)) return { key: term.slice(1), op: 'notexists' };
  if (/^[^\s!=()]+$/.test(term)) return { key: term, op: 'exists' };
  throw errors.badRequest(`unable to parse requirement: ${term}`);
}

function matches(req: Requirement, values: Record<string, string | undefined>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, req.key) && values[req.key] !== undefined;
  const value = values[req.key];
  switch (req.op) {
    case 'eq': return has && value === req.value;
    case 'neq': return !has || value !== req.value;
    case 'in': return has && req.values.includes(value ?? '');
    case 'notin': return !has || !req.values.includes(value ?? '');
    case 'exists': return has;
    case 'notexists': return !has;
  }
}

export function parseLabelSelector(text: string | null | undefined): Selector {
  if (!text) return () => true;
  const reqs = splitTerms(text).map(parseRequirement);
  return (obj) => reqs.every((r) => matches(r, obj.metadata.labels ?? {}));
}

/** Fields a list may be filtered on, per resource (the common ones plus pod phase and node). */
function fieldValues(resource: string, obj: KubeObject): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {
    'metadata.name': obj.metadata.name,
    'metadata.namespace': obj.metadata.namespace ?? '',
  };
  if (resource === 'pods') {
    values['status.phase'] = obj.status?.phase ?? '';
    values['spec.nodeName'] = obj.spec?.nodeName ?? '';
    values['spec.restartPolicy'] = obj.spec?.restartPolicy ?? '';
    values['status.podIP'] = obj.status?.podIP ?? '';
  }
  if (resource === 'events') {
    for (const f of ['kind', 'name', 'namespace', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) values[`involvedObject.${f}`] = (obj.involvedObject as Record<string, string> | undefined)?.[f] ?? '';
    values.reason = String(obj.reason ?? '');
    values.type = String(obj.type ?? '');
    values.reportingComponent = String(obj.reportingComponent ?? '');
    values.source = String((obj.source as { component?: string } | undefined)?.component ?? '');
  }
  return values;
}

export function parseFieldSelector(resource: string, text: string | null | undefined): Selector {
  if (!text) return () => true;
  const reqs = splitTerms(text).map(parseRequirement);
  for (const req of reqs) {
    if (req.op !== 'eq' && req.op !== 'neq') throw errors.badRequest(`invalid field selector: operator not supported: ${text}`);
  }
  return (obj) => {
    const values = fieldValues(resource, obj);
    for (const req of reqs) {
      if (!(req.key in values)) return false;
      if (!matches(req, values)) return false;
    }
    return true;
  };
}

export function validateFieldSelector(resource: string, text: string | null | undefined): void {
  if (!text) return;
  const known = Object.keys(fieldValues(resource, { apiVersion: 'v1', kind: '', metadata: {} }));
  for (const req of splitTerms(text).map(parseRequirement)) {
    if (!known.includes(req.key)) {
      throw errors.badRequest(`field label not supported: ${req.key}`);
    }
  }
}

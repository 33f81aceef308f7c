// The API server's validation of names, labels, ranges and ConfigMap keys for
// the kinds the lab serves (apimachinery's validation and pkg/apis/*/validation),
// with the same field paths and messages, so a bad object is a 422 Invalid
// before it is stored.
import type { StatusCause } from './status';
import type { KubeObject } from './types';

type Loose = Record<string, any>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const invalid = (field: string, value: unknown, detail: string): StatusCause => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}: ${detail}` });

const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** metadata.name as each kind requires it: namespaces are DNS-1123 labels, services DNS-1035 labels, the rest subdomains. */
export function checkName(resource: string, name: string, field = 'metadata.name'): StatusCause[] {
  if (resource === 'namespaces') {
    if (name.length > 63) return [invalid(field, name, 'must be no more than 63 characters')];
    return DNS1123_LABEL.test(name) ? [] : [invalid(field, name, LABEL_MSG)];
  }
  if (resource === 'services') {
    if (name.length > 63) return [invalid(field, name, 'must be no more than 63 characters')];
    return DNS1035_LABEL.test(name) ? [] : [invalid(field, name, DNS1035_MSG)];
  }
  if (name.length > 253) return [invalid(field, name, 'must be no more than 253 characters')];
  return DNS1123_SUBDOMAIN.test(name) ? [] : [invalid(field, name, SUBDOMAIN_MSG)];
}

/** A label key: an optional DNS subdomain prefix and a qualified name of at most 63 characters. */
function checkLabelKey(key: string, field: string): StatusCause[] {
  const parts = key.split('/');
  if (parts.length > 2) return [invalid(field, key, "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")];
  const [prefix, name] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : [undefined, parts[0] ?? ''];
  const out: StatusCause[] = [];
  if (prefix !== undefined) {
    if (prefix === '') out.push(invalid(field, key, 'prefix part must be non-empty'));
    else if (!DNS1123_SUBDOMAIN.test(prefix) || prefix.length > 253) out.push(invalid(field, key, `prefix part ${SUBDOMAIN_MSG}`));
  }
  if (name === '') out.push(invalid(field, key, 'name part must be non-empty'));
  else if (name.length > 63) out.push(invalid(field, key, 'name part must be no more than 63 characters'));
  else if (!QUALIFIED_NAME.test(name)) out.push(invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
  return out;
}

export function checkLabels(labels: unknown, field: string): StatusCause[] {
  if (!labels || typeof labels !== 'object') return [];
  const out: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    out.push(...checkLabelKey(key, field));
    const v = String(value);
    if (v.length > 63) out.push(invalid(field, v, 'must be no more than 63 characters'));
    else if (!LABEL_VALUE.test(v)) out.push(invalid(field, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
  }
  return out;
}

function checkConfigKeys(data: unknown, field: string): StatusCause[] {
  if (!data || typeof data !== 'object') return [];
  return Object.keys(data).flatMap((key) => {
    const path = `${field}[${key}]`;
    if (key === '.' || key === '..') return [invalid(path, key, `must not be '${key}'`)];
    if (key.length > 253) return [invalid(path, key, 'must be no more than 253 characters')];
    return CONFIG_KEY.test(key) ? [] : [invalid(path, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")];
  });
}

const nonNegative = (value: unknown, field: string): StatusCause[] => (typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : []);

/** Causes for what the real validation refuses beyond required fields (defaults.ts checks those). */
export function validateObject(resource: string, obj: KubeObject): StatusCause[] {
  const causes = [...checkLabels(obj.metadata.labels, 'metadata.labels')];
  const spec = (obj.spec ?? {}) as Loose;
  switch (resource) {
    case 'deployments':
    case 'replicasets':
      causes.push(...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
      causes.push(...checkLabels(spec.template?.metadata?.labels, 'spec.template.metadata.labels'));
      if (resource === 'deployments' && typeof spec.progressDeadlineSeconds === 'number' && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
        causes.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
      }
      break;
    case 'configmaps':
    case 'secrets':
      causes.push(...checkConfigKeys(obj.data, 'data'));
      if (resource === 'configmaps') causes.push(...checkConfigKeys(obj.binaryData, 'binaryData'));
      break;
    case 'services':
      ((spec.ports ?? []) as Loose[]).forEach((p, i) => {
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) causes.push(invalid(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
      });
      break;
    default:
      break;
  }
  return causes;
}

// Reading agent descriptions: attribute values as text and the handful of names the lab keys on.
import type { AgentDescription, AnyValue, KeyValue } from './types';

export function anyValueText(v: AnyValue | undefined): string {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.bytesValue !== undefined) return `0x${[...v.bytesValue].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (v.arrayValue) return `[${(v.arrayValue.values ?? []).map(anyValueText).join(', ')}]`;
  if (v.kvlistValue) return `{${(v.kvlistValue.values ?? []).map((kv) => `${kv.key ?? ''}: ${anyValueText(kv.value)}`).join(', ')}}`;
  return '';
}

export function attributeText(list: KeyValue[] | undefined, key: string): string | undefined {
  const kv = list?.find((a) => a.key === key);
  return kv ? anyValueText(kv.value) : undefined;
}

export function describeAgent(d: AgentDescription | undefined): { serviceName?: string; serviceVersion?: string; hostName?: string } {
  const all = [...(d?.identifyingAttributes ?? []), ...(d?.nonIdentifyingAttributes ?? [])];
  return {
    serviceName: attributeText(all, 'service.name'),
    serviceVersion: attributeText(all, 'service.version'),
    hostName: attributeText(all, 'host.name'),
  };
}

// The stable group an agent belongs to, so an overlay survives the new instance_uid a restarted pod gets
// (its emptyDir, holding persistent_state.yaml, is wiped). Pod names are <deployment>-<template hash>-<5>
// (or <daemonset>-<5>); stripping those suffixes names the workload, which stays the same.
import { describeAgent, type AgentDescription } from '../../shared/opamp/index';

const DEPLOYMENT_POD = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/;
const DAEMONSET_POD = /^(.+)-[a-z0-9]{5}$/;

export function workloadOfHost(hostName: string): string {
  const deployment = DEPLOYMENT_POD.exec(hostName);
  if (deployment) return deployment[1]!;
  const daemonset = DAEMONSET_POD.exec(hostName);
  // Only strip a 5-character suffix that looks random (has a digit), not a word such as "agent".
  if (daemonset && /\d/.test(hostName.slice(-5))) return daemonset[1]!;
  return hostName;
}

export function agentGroup(description: AgentDescription | undefined, instanceUid: string): string {
  const { hostName, serviceName } = describeAgent(description);
  if (hostName) return `host:${workloadOfHost(hostName)}`;
  if (serviceName) return `service:${serviceName}`;
  return `uid:${instanceUid}`;
}

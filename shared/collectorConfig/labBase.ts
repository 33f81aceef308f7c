// The configuration an overlay lands on in this lab: the agent's collector.yaml (lab/agent, kept in
// step by labBase.test.ts) plus what the supervisor adds before the remote config (the opamp
// extension). The editor validates an overlay merged onto it, as the collector will load it.
import { parseYaml } from '../yamlSafe';
import { mergeConfig, type ConfigMap } from './merge';

export const LAB_COLLECTOR_YAML = `# Base collector config: OTLP in, debug out. The supervisor merges the
# server's overlay on top of this and writes the result to /storage/effective.yaml.
receivers:
  otlp:
    protocols:
      grpc:
      http:

exporters:
  debug:
    verbosity: detailed

service:
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      exporters: [debug]
    traces:
      receivers: [otlp]
      exporters: [debug]
`;

const SUPERVISOR_ADDS: ConfigMap = { extensions: { opamp: {} }, service: { extensions: ['opamp'] } };

/** The merged base without a remote config. */
export function labBaseConfig(collectorYaml = LAB_COLLECTOR_YAML): ConfigMap {
  return mergeConfig(parseYaml(collectorYaml) as ConfigMap, SUPERVISOR_ADDS);
}

// The lab guide's verification commands (Steps 6, 7, 8 and 10) as an attendee runs them one after the
// other, output discarded: what `opamp-lab verify` and the engine's sweep are compared against.
export const GUIDE_VERIFICATION_SCRIPT = `set -e
POD=$(kubectl -n opamp get pod -l app=opamp-agent -o jsonpath='{.items[0].metadata.name}')
kubectl -n opamp exec $POD -c agent -- sh -c 'ps -ef | egrep "opampsupervisor|otelcol-contrib"' >/dev/null || true
kubectl -n opamp logs deploy/opamp-agent -c agent --since=5m | grep "Connected to the server." >/dev/null
kubectl -n opamp exec $POD -c agent -- sh -c 'ls -l /storage/effective.yaml && head -n 40 /storage/effective.yaml' >/dev/null
kubectl -n opamp exec $POD -c agent -- sh -c 'grep -R "test_opamp" -n /storage/effective.yaml' >/dev/null || true
`;

// Ages as kubectl and the API server print them (the formatter lives in shared/ for the dashboard too).
import { humanDuration } from '../../../shared/humanDuration';

export { humanDuration };

export function ageOf(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}

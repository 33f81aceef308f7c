// Kubernetes object names in the order the API server and kubectl list them: Go compares strings
// byte by byte, which for the ASCII of names and timestamps is JavaScript's < on code units.
// Not localeCompare: its first call builds an ICU collator, a noticeable part of a one-shot
// `opamp-lab verify`, and a locale could reorder names.
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

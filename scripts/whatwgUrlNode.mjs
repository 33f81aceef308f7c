// node-fetch 2 (under the Kubernetes client) loads whatwg-url only as a fallback for Node's own URL
// (`Url.URL || whatwgUrl.URL`), which every Node this runs on has. In the CLI bundle the package resolves
// here, so a command does not build whatwg-url's Unicode tables at start-up (about 0.1 s of CPU).
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export default { URL, URLSearchParams };

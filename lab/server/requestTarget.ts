// The request target of an HTTP request (`req.url`) as every listener of the project reads it.
// It is untrusted text: `new URL` throws on some of it and `decodeURIComponent` on a broken
// percent-escape (`/%E0%A4%A`), and an uncaught throw in a request handler ends the process.
// Go's server answers such paths 400 before any handler runs; so do ours (the lab server and the
// web shell), through this one parser.

export interface RequestTarget {
  url: URL;
  /** The path, percent-decoded. */
  path: string;
}

/** The parsed target, or undefined when it is malformed (answer 400). Never throws. */
export function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  try {
    const url = new URL(raw ?? '/', 'http://request.invalid');
    return { url, path: decodeURIComponent(url.pathname) };
  } catch {
    return undefined;
  }
}

import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from './requestTarget';

describe('parseRequestTarget', () => {
  it('decodes a well-formed path and keeps the query', () => {
    const t = parseRequestTarget('/assets/a%20b.js?token=x%2By');
    expect(t?.path).toBe('/assets/a b.js');
    expect(t?.url.searchParams.get('token')).toBe('x+y');
  });

  it('refuses broken percent-escapes and unparsable targets instead of throwing', () => {
    for (const raw of ['/%E0%A4%A', '/%', '/%zz', '/%C0%AF', 'http://[', 'http://a:99999/']) {
      expect(parseRequestTarget(raw), raw).toBeUndefined();
    }
  });
});

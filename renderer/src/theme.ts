// The colour theme: the user's pick, kept across reloads (localStorage), else
// the system's preference.
export type Theme = 'dark' | 'light';

const KEY = 'opamp-lab.theme';

export function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // Storage refused (privacy mode): fall back to the system preference.
  }
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function saveTheme(theme: Theme): void {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Not kept; the theme still applies for this session.
  }
}

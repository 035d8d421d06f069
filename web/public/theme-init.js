// Applies the theme a person picked (light or dark) before the console paints; without a
// choice the stylesheet follows the system's prefers-color-scheme.
try {
  const theme = localStorage.getItem('triad-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage blocked: the system theme applies.
}

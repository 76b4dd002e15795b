/**
 * Light/dark theme that follows the system unless the user picked one (persisted in localStorage).
 * A tiny inline script in the root layout's <head> applies it before first paint (no flash); the
 * toggle changes it afterwards. Hand-written rather than next-themes: next-themes renders its script
 * from a client component, which React 19.2+ reports as an error on every client render.
 */
export type ThemePreference = "system" | "light" | "dark";
export type ResolvedTheme = "light" | "dark";

export const themeStorageKey = "corex-theme";
export const themePreferences: readonly ThemePreference[] = ["system", "light", "dark"];

export function parsePreference(value: string | null | undefined): ThemePreference {
  return value === "light" || value === "dark" ? value : "system";
}

export function resolveTheme(preference: ThemePreference, systemPrefersDark: boolean): ResolvedTheme {
  return preference === "system" ? (systemPrefersDark ? "dark" : "light") : preference;
}

/** The next preference of the toggle: system → light → dark → system. */
export function nextPreference(current: ThemePreference): ThemePreference {
  return themePreferences[(themePreferences.indexOf(current) + 1) % themePreferences.length];
}

/**
 * Source of the boot script. Self-contained (it runs before any bundle): keep it in sync with
 * parsePreference/resolveTheme, which the unit test checks by running it.
 */
export const themeBootScript = `(function(){try{var p=localStorage.getItem(${JSON.stringify(themeStorageKey)});if(p!=="light"&&p!=="dark")p="system";var d=p==="dark"||(p==="system"&&matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light";e.dataset.themePreference=p}catch(_){}})()`;

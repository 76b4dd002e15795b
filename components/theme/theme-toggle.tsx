"use client";

import { useEffect, useSyncExternalStore } from "react";
import { nextPreference, parsePreference, resolveTheme, themeStorageKey, type ResolvedTheme, type ThemePreference } from "./theme";

const listeners = new Set<() => void>();
const darkQuery = () => window.matchMedia("(prefers-color-scheme: dark)");

function currentPreference(): ThemePreference {
  return parsePreference(document.documentElement.dataset.themePreference);
}

function apply(preference: ThemePreference) {
  const resolved = resolveTheme(preference, darkQuery().matches);
  const root = document.documentElement;
  root.classList.toggle("dark", resolved === "dark");
  root.style.colorScheme = resolved;
  root.dataset.themePreference = preference;
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The theme in force ("light" | "dark"), re-rendering when the toggle or the system changes it. */
export function useResolvedTheme(): ResolvedTheme {
  return useSyncExternalStore(
    subscribe,
    () => (document.documentElement.classList.contains("dark") ? "dark" : "light"),
    () => "dark",
  );
}

const labels: Record<ThemePreference, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

/** Header button cycling system → light → dark; the choice is kept in localStorage. */
export function ThemeToggle() {
  const preference = useSyncExternalStore(subscribe, currentPreference, () => "system" as ThemePreference);
  useEffect(() => {
    // While following the system, follow its changes live.
    const q = darkQuery();
    const onChange = () => currentPreference() === "system" && apply("system");
    q.addEventListener("change", onChange);
    return () => q.removeEventListener("change", onChange);
  }, []);
  const next = nextPreference(preference);
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      data-preference={preference}
      aria-label={`${labels[preference]} (switch to ${labels[next].toLowerCase()})`}
      title={`${labels[preference]} — click for ${labels[next].toLowerCase()}`}
      className="inline-flex h-9 w-9 shrink-0 items-center justify-center rounded border border-line text-muted hover:text-fg"
      onClick={() => {
        try {
          if (next === "system") localStorage.removeItem(themeStorageKey);
          else localStorage.setItem(themeStorageKey, next);
        } catch {
          // storage blocked (private mode): the choice lasts for this page only
        }
        apply(next);
      }}
    >
      <ThemeIcon preference={preference} />
    </button>
  );
}

function ThemeIcon({ preference }: { preference: ThemePreference }) {
  const common = { width: 18, height: 18, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 2, "aria-hidden": true } as const;
  if (preference === "light")
    return (
      <svg {...common}>
        <circle cx="12" cy="12" r="4" />
        <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
      </svg>
    );
  if (preference === "dark")
    return (
      <svg {...common}>
        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
      </svg>
    );
  return (
    <svg {...common}>
      <rect x="3" y="4" width="18" height="12" rx="2" />
      <path d="M8 20h8M12 16v4" />
    </svg>
  );
}

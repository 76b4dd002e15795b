import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { nextPreference, parsePreference, resolveTheme, themeBootScript, themeStorageKey } from "./theme";

/** Runs the boot script against a minimal document/localStorage/matchMedia and reports what it set. */
function boot(stored: string | null, systemDark: boolean) {
  const classes = new Set<string>();
  const root = {
    classList: { toggle: (c: string, on: boolean) => (on ? classes.add(c) : classes.delete(c)) },
    style: { colorScheme: "" },
    dataset: {} as Record<string, string>,
  };
  runInNewContext(themeBootScript, {
    localStorage: { getItem: (k: string) => (k === themeStorageKey ? stored : null) },
    matchMedia: (q: string) => ({ matches: q === "(prefers-color-scheme: dark)" && systemDark }),
    document: { documentElement: root },
  });
  return { dark: classes.has("dark"), colorScheme: root.style.colorScheme, preference: root.dataset.themePreference };
}

describe("theme", () => {
  it("follows the system until the user picks a theme", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(parsePreference("bogus")).toBe("system");
    expect(nextPreference("system")).toBe("light");
    expect(nextPreference("light")).toBe("dark");
    expect(nextPreference("dark")).toBe("system");
  });

  it("boot script applies the same rule before first paint", () => {
    for (const stored of [null, "system", "light", "dark", "junk"]) {
      for (const systemDark of [true, false]) {
        const expected = resolveTheme(parsePreference(stored), systemDark);
        const got = boot(stored, systemDark);
        expect(got).toEqual({ dark: expected === "dark", colorScheme: expected, preference: parsePreference(stored) });
      }
    }
  });
});

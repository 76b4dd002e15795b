"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { ThemeToggle } from "./theme/theme-toggle";
import { WalletButton } from "./wallet/lazy-wallet";
import { sections } from "./sections";

export function SiteNav() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [closedFor, setClosedFor] = useState(pathname);
  // A link followed from the phone menu closes it (React's "adjust state on prop change" pattern).
  if (closedFor !== pathname) {
    setClosedFor(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  const isActive = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  return (
    <header className="border-b border-line bg-bg/90 backdrop-blur">
      <nav aria-label="Main" className="mx-auto max-w-6xl px-4">
        <div className="flex h-14 items-center gap-3 sm:gap-6">
          <Link href="/" className="shrink-0 font-semibold tracking-tight text-accent">
            Corex<span className="hidden sm:inline"> Network</span>
          </Link>
          <ul className="hidden flex-1 gap-4 text-sm md:flex">
            {sections.map((s) => (
              <li key={s.href}>
                <Link
                  href={s.href}
                  aria-current={isActive(s.href) ? "page" : undefined}
                  className={isActive(s.href) ? "font-medium text-fg" : "text-muted hover:text-fg"}
                >
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="ml-auto flex items-center gap-2 md:ml-0">
            <ThemeToggle />
            {/* The personal view: the signed-in wallet's CXT, nodes, stake, claims and jobs. */}
            <Link
              href="/me"
              aria-label="My account"
              title="My account"
              aria-current={isActive("/me") ? "page" : undefined}
              className="inline-flex h-9 w-9 shrink-0 items-center justify-center rounded border border-line text-muted hover:text-fg"
            >
              <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
                <circle cx="12" cy="8" r="4" />
                <path d="M4 21c0-4 4-6 8-6s8 2 8 6" />
              </svg>
            </Link>
            <WalletButton />
            <button
              type="button"
              className="inline-flex h-9 w-9 shrink-0 items-center justify-center rounded border border-line text-muted hover:text-fg md:hidden"
              aria-expanded={open}
              aria-controls="mobile-menu"
              aria-label={open ? "Close menu" : "Open menu"}
              onClick={() => setOpen((o) => !o)}
            >
              <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
                {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
              </svg>
            </button>
          </div>
        </div>
        {open ? (
          <ul id="mobile-menu" className="border-t border-line py-2 md:hidden">
            {sections.map((s) => (
              <li key={s.href}>
                <Link
                  href={s.href}
                  aria-current={isActive(s.href) ? "page" : undefined}
                  className={`block rounded px-2 py-2.5 ${isActive(s.href) ? "bg-surface font-medium text-fg" : "text-muted hover:text-fg"}`}
                >
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
      </nav>
    </header>
  );
}

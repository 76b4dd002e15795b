import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/providers";
import { SiteNav } from "@/components/site-nav";
import { themeBootScript } from "@/components/theme/theme";
import { LazyNetworkGuard } from "@/components/wallet/lazy-wallet";
import { publicConfig } from "@/lib/env";

// Chain settings come from the server's environment at request time, so the layout is dynamic.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Corex Network", template: "%s · Corex Network" },
  description: "An open network where AI training is split into verified fragments and paid in CXT.",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: { url: "/apple-touch-icon.png", sizes: "180x180" },
  },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The boot script sets class/style on <html> before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Applies the stored or system theme before first paint (components/theme/theme.ts). */}
        <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      </head>
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only rounded bg-accent-solid px-3 py-2 text-on-accent focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50"
        >
          Skip to content
        </a>
        <Providers config={publicConfig()}>
          <SiteNav />
          <LazyNetworkGuard />
          <main id="main" className="mx-auto max-w-6xl px-4 py-8">
            {children}
          </main>
          <footer className="mx-auto max-w-6xl border-t border-line px-4 py-6 text-sm text-muted">
            <Link href="/about" className="prose-link">
              About &amp; status
            </Link>{" "}
            · service health, the deployed contracts and a map of the app
          </footer>
        </Providers>
      </body>
    </html>
  );
}

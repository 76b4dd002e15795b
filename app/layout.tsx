import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/providers";
import { SiteNav } from "@/components/site-nav";
import { NetworkGuard } from "@/components/network-guard";
import { publicConfig } from "@/lib/env";

// Chain settings come from the server's environment at request time, so the layout is dynamic.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Corex Network", template: "%s · Corex Network" },
  description: "An open network where AI training is split into verified fragments and paid in CXT.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers config={publicConfig()}>
          <SiteNav />
          <NetworkGuard />
          <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
        </Providers>
      </body>
    </html>
  );
}

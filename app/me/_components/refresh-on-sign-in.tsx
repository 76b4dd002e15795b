"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { fetchSession } from "@/lib/auth/client";

/**
 * The page is rendered for the session cookie it was asked with; connecting (which signs in) happens
 * in the header's wallet island. Until a session appears, check for it and re-render when it does.
 */
export function RefreshOnSignIn() {
  const router = useRouter();
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      fetchSession()
        .then((s) => {
          if (s) router.refresh();
        })
        .catch(() => {});
    }, 2_000);
    return () => window.clearInterval(id);
  }, [router]);
  return null;
}

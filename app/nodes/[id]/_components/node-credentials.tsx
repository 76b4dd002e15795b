import { CredentialsTable, type CredentialRow } from "@/components/credentials-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Section } from "@/components/ui/section";

/** The node's latest contribution credentials, each linked to its Merkle proof. */
export function NodeCredentials({ credentials }: { credentials: CredentialRow[] }) {
  return (
    <Section id="credentials" title="Credentials">
      <div className="mt-2">
        {credentials.length === 0 ? (
          <EmptyState title="No credential yet">Accepted results, verifications and passed Compute-PoCs of this node show here.</EmptyState>
        ) : (
          <CredentialsTable label="Credentials" credentials={credentials} />
        )}
      </div>
    </Section>
  );
}

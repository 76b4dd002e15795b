import { Table, TableScroll, Td, Th, THead, Tr } from "@/components/ui/table";
import { explorerAddressUrl } from "@/lib/chain";
import type { DeploymentAddresses } from "@/lib/chain";
import type { Chain } from "viem";

/** The deployed contracts of this chain, linked to the block explorer where one is configured. */
export function ContractsSection({ deployment, chain, chainId }: { deployment?: DeploymentAddresses; chain: Chain; chainId: number }) {
  return (
    <section>
      <h2 className="text-lg font-semibold">Contracts</h2>
      {deployment ? (
        <TableScroll label="Contracts" className="mt-3">
          <Table>
            <THead>
              <tr>
                <Th>Contract</Th>
                <Th>Address</Th>
                <Th>Deploy block</Th>
              </tr>
            </THead>
            <tbody>
              {Object.entries(deployment.contracts).map(([name, c]) => {
                const href = explorerAddressUrl(chain, c.address);
                return (
                  <Tr key={name}>
                    <Td>{name}</Td>
                    <Td mono>
                      {href ? (
                        <a className="prose-link" href={href}>
                          {c.address}
                        </a>
                      ) : (
                        c.address
                      )}
                    </Td>
                    <Td>{c.blockNumber}</Td>
                  </Tr>
                );
              })}
            </tbody>
          </Table>
        </TableScroll>
      ) : (
        <p className="mt-2 text-sm text-muted">
          No deployment recorded for chain {chainId}. Deploy the contracts with <code>npm run contracts:deploy</code> (or start everything with{" "}
          <code>npm run dev</code>), then reload.
        </p>
      )}
    </section>
  );
}

/** The governor's voting period on the e2e chain (scripts/e2e-server.ts sets DEV_VOTING_PERIOD_SECONDS to it). */
export const E2E_VOTING_PERIOD_SECONDS = 3600;

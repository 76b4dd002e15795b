// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Node tiers: the one place where thresholds and multipliers live.
/// @notice A node's tier is the highest tier whose stake AND cumulative verified work thresholds it meets.
/// Work units are floating-point operations of accepted fragments (recorded by the ledger at claim time).
/// Multipliers are in basis points (10_000 = 1.0x) and weight both rewards (off-chain, by the coordinator)
/// and governance (`Staking.votingWeight`).
library Tiers {
    uint8 internal constant BRONZE = 0;
    uint8 internal constant SILVER = 1;
    uint8 internal constant GOLD = 2;
    uint8 internal constant PLATINUM = 3;
    uint8 internal constant COUNT = 4;

    uint256 internal constant BPS = 10_000;

    function stakeThreshold(uint8 tier) internal pure returns (uint256) {
        if (tier == SILVER) return 1_000 ether;
        if (tier == GOLD) return 10_000 ether;
        if (tier == PLATINUM) return 100_000 ether;
        return 0;
    }

    function workThreshold(uint8 tier) internal pure returns (uint256) {
        if (tier == SILVER) return 1e11; // ~500 MNIST-MLP fragments
        if (tier == GOLD) return 1e13;
        if (tier == PLATINUM) return 1e15;
        return 0;
    }

    function multiplierBps(uint8 tier) internal pure returns (uint256) {
        if (tier == SILVER) return 12_500;
        if (tier == GOLD) return 15_000;
        if (tier == PLATINUM) return 20_000;
        return BPS;
    }

    function tierOf(uint256 stake, uint256 workUnits) internal pure returns (uint8) {
        for (uint8 t = PLATINUM; t > BRONZE; t--) {
            if (stake >= stakeThreshold(t) && workUnits >= workThreshold(t)) return t;
        }
        return BRONZE;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev TEST ONLY. Stands in for ContributionLedger.latestFinalRoot where a test deploys a TaskManager
/// over another token (HookToken, for re-entrancy): the root is whatever the test sets.
contract EpochRootStub {
    uint256 public epoch;
    bytes32 public root;
    uint64 public postedAt;

    function set(uint256 epoch_, bytes32 root_, uint64 postedAt_) external {
        (epoch, root, postedAt) = (epoch_, root_, postedAt_);
    }

    function latestFinalRoot() external view returns (uint256, bytes32, uint64) {
        return (epoch, root, postedAt);
    }
}

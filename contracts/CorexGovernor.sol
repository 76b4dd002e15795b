// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

interface IUnbonding {
    function unbondingPeriod() external view returns (uint64);
}

/// @title Corex governor: proposals voted with Staking's weight (stake × tier multiplier)
/// @notice Stock OpenZeppelin Governor. Votes come from `Staking` (checkpointed per owner, delegable,
/// timestamp clock), quorum is the larger of a fraction of the total weight at the proposal's snapshot
/// and a fixed `bootstrapQuorum` (so while little is staked one early staker cannot pass proposals
/// alone), and passed proposals run through the TimelockController, which holds the contracts' admin
/// roles on real chains. Voting delay and period are in SECONDS (Staking's clock), so a chain's block
/// time cannot shrink them. Outside the dev chain (31337) the timelock's delay must be at least
/// Staking's unbonding period: a staker cannot vote, see the outcome and leave before it runs.
contract CorexGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    uint256 public constant DEV_CHAIN_ID = 31337;
    /// @notice The least quorum, in governance weight, whatever the total weight.
    uint256 public immutable bootstrapQuorum;

    error TimelockShorterThanUnbonding(uint256 delay, uint256 unbonding);

    /// @param weight Staking (its governance weight)
    /// @param timelock the TimelockController this governor proposes to and executes through
    /// @param votingDelay_ seconds between proposing and the vote's start (the weight snapshot)
    /// @param votingPeriod_ seconds the vote lasts
    /// @param proposalThreshold_ weight needed to propose
    /// @param quorumPercent percent of the total weight that must vote For or Abstain
    constructor(
        IVotes weight,
        TimelockController timelock,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumPercent,
        uint256 bootstrapQuorum_
    )
        Governor("Corex Governor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(weight)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock)
    {
        uint256 unbonding = IUnbonding(address(weight)).unbondingPeriod();
        if (block.chainid != DEV_CHAIN_ID && timelock.getMinDelay() < unbonding) {
            revert TimelockShorterThanUnbonding(timelock.getMinDelay(), unbonding);
        }
        bootstrapQuorum = bootstrapQuorum_;
    }

    /// @notice max(quorumPercent of the total weight at `timepoint`, bootstrapQuorum).
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        uint256 q = super.quorum(timepoint);
        return q > bootstrapQuorum ? q : bootstrapQuorum;
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}

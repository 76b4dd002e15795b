// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Tiers} from "./Tiers.sol";

interface IBurnableToken is IERC20 {
    function burn(uint256 value) external;
}

/// @title Node registry and staking
/// @notice Operators register nodes, stake CXT on them and unstake through an unbonding delay.
/// The slasher burns a fraction of a node's stake, unbonding stake included. A node's tier follows
/// from its active stake and its cumulative verified work (recorded by the ContributionLedger).
/// Every state change emits an event carrying the resulting values, so a mirror can be rebuilt from logs.
/// @dev Accounting invariant: token.balanceOf(this) == totalStaked + totalUnbonding.
contract Staking is AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IBurnableToken;
    using SafeCast for uint256;

    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    bytes32 public constant WORK_RECORDER_ROLE = keccak256("WORK_RECORDER_ROLE");

    uint256 public constant MAX_BPS = 10_000;

    enum NodeKind {
        Gpu,
        Cpu,
        Edge,
        Browser
    }

    struct Node {
        address owner;
        NodeKind kind;
        bool active;
        uint8 tier;
        uint64 registeredAt;
        uint128 stake; // active stake, counts for tier and voting weight
        uint128 unbonding; // requested for withdrawal, still slashable
        uint64 unbondingReleaseAt;
        uint32 slashCount;
        uint128 workUnits; // cumulative verified work
        string metadataURI;
    }

    IBurnableToken public immutable token;
    /// @notice Seconds between `requestUnstake` and the earliest `withdraw`.
    uint64 public immutable unbondingPeriod;

    uint256 public nodeCount;
    uint256 public totalStaked;
    uint256 public totalUnbonding;
    mapping(uint256 nodeId => Node) private _nodes;

    event NodeRegistered(uint256 indexed nodeId, address indexed owner, NodeKind kind, string metadataURI);
    event NodeUpdated(uint256 indexed nodeId, NodeKind kind, string metadataURI);
    event NodeDeactivated(uint256 indexed nodeId);
    event Staked(uint256 indexed nodeId, address indexed from, uint256 amount, uint256 newStake);
    event UnstakeRequested(
        uint256 indexed nodeId, uint256 amount, uint256 newStake, uint256 newUnbonding, uint64 releaseAt
    );
    event Withdrawn(uint256 indexed nodeId, address indexed to, uint256 amount);
    event Slashed(
        uint256 indexed nodeId,
        address indexed slasher,
        uint16 bps,
        uint256 fromStake,
        uint256 fromUnbonding,
        uint256 newStake,
        uint256 newUnbonding,
        bytes32 evidenceHash
    );
    event WorkRecorded(uint256 indexed nodeId, uint256 units, uint256 totalWorkUnits);
    event TierChanged(uint256 indexed nodeId, uint8 oldTier, uint8 newTier);

    error UnknownNode(uint256 nodeId);
    error NotNodeOwner(uint256 nodeId, address caller);
    error NodeInactive(uint256 nodeId);
    error ZeroAmount();
    error InsufficientStake(uint256 requested, uint256 available);
    error NothingUnbonding(uint256 nodeId);
    error StillUnbonding(uint256 nodeId, uint64 releaseAt);
    error InvalidBps(uint256 bps);

    /// @param token_ the CXT token (must support `burn`)
    /// @param admin receives DEFAULT_ADMIN_ROLE (grants SLASHER_ROLE and WORK_RECORDER_ROLE)
    /// @param unbondingPeriod_ seconds an unstake waits before it can be withdrawn
    constructor(IBurnableToken token_, address admin, uint64 unbondingPeriod_) {
        token = token_;
        unbondingPeriod = unbondingPeriod_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    modifier onlyNodeOwner(uint256 nodeId) {
        address owner = _nodes[nodeId].owner;
        if (owner == address(0)) revert UnknownNode(nodeId);
        if (owner != msg.sender) revert NotNodeOwner(nodeId, msg.sender);
        _;
    }

    // ---------------------------------------------------------------- registry

    /// @notice Registers a node owned by the caller. Ids start at 1.
    /// @param kind 0 gpu, 1 cpu, 2 edge, 3 browser
    /// @param metadataURI off-chain description (hardware, endpoint), free-form
    /// @return nodeId the new node's id
    function registerNode(NodeKind kind, string calldata metadataURI) external returns (uint256 nodeId) {
        nodeId = ++nodeCount;
        Node storage n = _nodes[nodeId];
        n.owner = msg.sender;
        n.kind = kind;
        n.active = true;
        n.registeredAt = uint64(block.timestamp);
        n.metadataURI = metadataURI;
        emit NodeRegistered(nodeId, msg.sender, kind, metadataURI);
    }

    /// @notice Updates an active node's kind and metadata. Node owner only.
    function updateNode(uint256 nodeId, NodeKind kind, string calldata metadataURI) external onlyNodeOwner(nodeId) {
        Node storage n = _nodes[nodeId];
        if (!n.active) revert NodeInactive(nodeId);
        n.kind = kind;
        n.metadataURI = metadataURI;
        emit NodeUpdated(nodeId, kind, metadataURI);
    }

    /// @notice Deactivates a node for good: no more stake or work on it. Its stake can still be unstaked.
    function deactivateNode(uint256 nodeId) external onlyNodeOwner(nodeId) {
        Node storage n = _nodes[nodeId];
        if (!n.active) revert NodeInactive(nodeId);
        n.active = false;
        emit NodeDeactivated(nodeId);
    }

    // ----------------------------------------------------------------- staking

    /// @notice Stakes `amount` CXT on an active node the caller owns (approve or permit first).
    function stake(uint256 nodeId, uint256 amount) external nonReentrant onlyNodeOwner(nodeId) {
        if (amount == 0) revert ZeroAmount();
        Node storage n = _nodes[nodeId];
        if (!n.active) revert NodeInactive(nodeId);
        uint8 oldTier = n.tier;
        uint256 newStake = uint256(n.stake) + amount;
        n.stake = newStake.toUint128();
        totalStaked += amount;
        emit Staked(nodeId, msg.sender, amount, newStake);
        _updateTier(nodeId, n, oldTier);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Moves `amount` of active stake to unbonding. It stays slashable and can be withdrawn
    /// `unbondingPeriod` seconds later; a new request restarts the delay for everything unbonding.
    function requestUnstake(uint256 nodeId, uint256 amount) external onlyNodeOwner(nodeId) {
        if (amount == 0) revert ZeroAmount();
        Node storage n = _nodes[nodeId];
        if (amount > n.stake) revert InsufficientStake(amount, n.stake);
        uint8 oldTier = n.tier;
        uint128 newStake = n.stake - uint128(amount);
        uint128 newUnbonding = n.unbonding + uint128(amount);
        uint64 releaseAt = uint64(block.timestamp) + unbondingPeriod;
        n.stake = newStake;
        n.unbonding = newUnbonding;
        n.unbondingReleaseAt = releaseAt;
        totalStaked -= amount;
        totalUnbonding += amount;
        emit UnstakeRequested(nodeId, amount, newStake, newUnbonding, releaseAt);
        _updateTier(nodeId, n, oldTier);
    }

    /// @notice Withdraws everything unbonding once the delay has passed, to the node owner.
    function withdraw(uint256 nodeId) external nonReentrant onlyNodeOwner(nodeId) {
        Node storage n = _nodes[nodeId];
        uint256 amount = n.unbonding;
        if (amount == 0) revert NothingUnbonding(nodeId);
        if (block.timestamp < n.unbondingReleaseAt) revert StillUnbonding(nodeId, n.unbondingReleaseAt);
        n.unbonding = 0;
        n.unbondingReleaseAt = 0;
        totalUnbonding -= amount;
        emit Withdrawn(nodeId, msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- slashing

    /// @notice Burns `bps`/10000 of the node's stake AND of its unbonding stake (so unstaking cannot
    /// dodge a slash). Never more than what the node has. SLASHER_ROLE only.
    /// @param evidenceHash hash of the off-chain evidence (e.g. the disagreeing result records)
    function slash(uint256 nodeId, uint16 bps, bytes32 evidenceHash) external nonReentrant onlyRole(SLASHER_ROLE) {
        if (bps == 0 || bps > MAX_BPS) revert InvalidBps(bps);
        Node storage n = _nodes[nodeId];
        if (n.owner == address(0)) revert UnknownNode(nodeId);
        uint8 oldTier = n.tier;
        uint128 fromStake = uint128((uint256(n.stake) * bps) / MAX_BPS);
        uint128 fromUnbonding = uint128((uint256(n.unbonding) * bps) / MAX_BPS);
        n.stake -= fromStake;
        n.unbonding -= fromUnbonding;
        n.slashCount += 1;
        totalStaked -= fromStake;
        totalUnbonding -= fromUnbonding;
        emit Slashed(nodeId, msg.sender, bps, fromStake, fromUnbonding, n.stake, n.unbonding, evidenceHash);
        _updateTier(nodeId, n, oldTier);
        uint256 burned = uint256(fromStake) + fromUnbonding;
        if (burned > 0) token.burn(burned);
    }

    // -------------------------------------------------------------------- work

    /// @notice Adds verified work units to a node (called by the ledger when a reward is claimed).
    function recordWork(uint256 nodeId, uint256 units) external onlyRole(WORK_RECORDER_ROLE) {
        Node storage n = _nodes[nodeId];
        if (n.owner == address(0)) revert UnknownNode(nodeId);
        if (units == 0) return;
        uint8 oldTier = n.tier;
        uint128 total = n.workUnits + units.toUint128();
        n.workUnits = total;
        emit WorkRecorded(nodeId, units, total);
        _updateTier(nodeId, n, oldTier);
    }

    function _updateTier(uint256 nodeId, Node storage n, uint8 oldTier) private {
        uint8 newTier = Tiers.tierOf(n.stake, n.workUnits);
        if (newTier != oldTier) {
            n.tier = newTier;
            emit TierChanged(nodeId, oldTier, newTier);
        }
    }

    // ------------------------------------------------------------------- views

    /// @notice Full node record.
    function getNode(uint256 nodeId) external view returns (Node memory) {
        return _nodes[nodeId];
    }

    /// @notice Owner of a node (zero address if unknown).
    function nodeOwner(uint256 nodeId) external view returns (address) {
        return _nodes[nodeId].owner;
    }

    /// @notice Active stake of a node (unbonding stake excluded).
    function stakeOf(uint256 nodeId) external view returns (uint256) {
        return _nodes[nodeId].stake;
    }

    /// @notice Current tier (0 bronze .. 3 platinum).
    function tierOf(uint256 nodeId) external view returns (uint8) {
        return _nodes[nodeId].tier;
    }

    /// @notice Governance weight: active stake × tier multiplier.
    function votingWeight(uint256 nodeId) external view returns (uint256) {
        Node storage n = _nodes[nodeId];
        return (uint256(n.stake) * Tiers.multiplierBps(n.tier)) / Tiers.BPS;
    }

    /// @notice The tier table: stake threshold, work threshold and multiplier (bps) of each tier.
    function tierTable()
        external
        pure
        returns (uint256[4] memory stakeThresholds, uint256[4] memory workThresholds, uint256[4] memory multipliersBps)
    {
        for (uint8 t = 0; t < Tiers.COUNT; t++) {
            stakeThresholds[t] = Tiers.stakeThreshold(t);
            workThresholds[t] = Tiers.workThreshold(t);
            multipliersBps[t] = Tiers.multiplierBps(t);
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Tiers} from "./Tiers.sol";

interface IBurnableToken is IERC20 {
    function burn(uint256 value) external;
}

/// @dev What Staking reads from the ContributionLedger: the epoch clock (one slash per node per epoch)
/// and the oracle role (the slasher must be another key).
interface ILedgerForStaking {
    function lastEpoch() external view returns (uint256);
    function hasRole(bytes32 role, address account) external view returns (bool);
}

/// @title Node registry, staking and governance weight
/// @notice Operators register nodes, stake CXT on them and unstake through unbonding tranches (each
/// with its own release time). The slasher takes a fraction (at most MAX_SLASH_BPS) of a node's stake,
/// unbonding tranches included, at most once per node per ledger epoch and never while the node's own
/// dispute is pending (only the resolver's verdict settles that node then). Slashed CXT waits in an
/// appealable escrow for `slashAppealPeriod` (governance, DEFAULT_ADMIN_ROLE, can return it to the
/// node's owner) and only then can anyone burn it. The slasher can never be the ledger's oracle. A node's tier follows from its active stake and its cumulative verified work (recorded
/// by the ContributionLedger at claim time, only on the claimant's own active node).
///
/// Governance weight: each owner's voting units = Σ over their ACTIVE nodes of stake × tier multiplier
/// (OpenZeppelin `Votes`, checkpointed). Units count for their owner until the owner delegates them
/// elsewhere (delegating to the zero address means "back to myself"). Clock: timestamps (ERC-6372
/// `CLOCK_MODE` = "mode=timestamp"), so CorexGovernor's voting delay and period are seconds on every
/// chain whatever its block time.
/// Every state change emits an event carrying the resulting values, so a mirror can be rebuilt from logs.
/// @dev Accounting invariant: token.balanceOf(this) == totalStaked + totalUnbonding + totalEscrowed.
contract Staking is AccessControlDefaultAdminRules, Votes, ReentrancyGuardTransient {
    using SafeERC20 for IBurnableToken;
    using SafeCast for uint256;

    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @notice The ContributionLedger: records verified work and locks a disputer's stake.
    bytes32 public constant LEDGER_ROLE = keccak256("LEDGER_ROLE");

    uint256 public constant MAX_BPS = 10_000;
    /// @notice The most one slash may take (10 %): a stolen or buggy slasher key needs ten epochs to
    /// take most of a stake, time enough for governance to revoke it and return the escrow.
    uint256 public constant MAX_SLASH_BPS = 1_000;
    /// @notice Most unbonding tranches a node may have pending (bounds the slash and withdraw loops).
    uint256 public constant MAX_PENDING_TRANCHES = 16;

    enum NodeKind {
        Gpu,
        Cpu,
        Edge,
        Browser
    }

    /// @dev Packed so a work record reads two slots and writes one: (owner, workUnits), (stake, flags).
    struct Node {
        address owner;
        uint96 workUnits; // cumulative verified work
        uint128 stake; // active stake, counts for tier and voting weight
        NodeKind kind;
        bool active;
        uint8 tier;
        bool locked; // a dispute by this node is pending: no unstake or withdraw
        uint32 slashCount;
        uint40 registeredAt;
        uint128 unbonding; // Σ pending tranches, still slashable
        uint32 trancheHead; // first pending tranche
        uint32 trancheCount; // tranches ever requested
        string metadataURI;
    }

    struct Tranche {
        uint128 amount;
        uint64 releaseAt;
    }

    /// @notice Slashed CXT waiting for its appeal period to end (returned by governance or burned).
    struct SlashEscrow {
        uint96 nodeId;
        uint64 burnableAt;
        bool settled;
        uint128 amount;
    }

    IBurnableToken public immutable token;
    /// @notice Seconds between `requestUnstake` and the earliest `withdraw` of that tranche.
    uint64 public immutable unbondingPeriod;
    /// @notice The ContributionLedger (its epochs pace slashes; its oracle may not slash).
    ILedgerForStaking public immutable ledger;
    /// @notice Seconds slashed CXT stays in escrow, returnable by governance, before it can be burned.
    uint64 public immutable slashAppealPeriod;

    uint256 public nodeCount;
    uint256 public totalStaked;
    uint256 public totalUnbonding;
    mapping(uint256 nodeId => Node) private _nodes;
    mapping(uint256 nodeId => mapping(uint256 index => Tranche)) private _tranches;
    mapping(address owner => uint256) private _ownerWeight;
    /// @notice CXT slashed and not yet returned or burned.
    uint256 public totalEscrowed;
    /// @notice Number of slashes ever (escrow ids start at 1).
    uint256 public slashEscrowCount;
    mapping(uint256 slashId => SlashEscrow) private _escrows;
    /// @notice The ledger epoch (lastEpoch + 1 at the time) of the node's latest slash.
    mapping(uint256 nodeId => uint256) public lastSlashEpoch;

    event NodeRegistered(uint256 indexed nodeId, address indexed owner, NodeKind kind, string metadataURI);
    event NodeUpdated(uint256 indexed nodeId, NodeKind kind, string metadataURI);
    event NodeDeactivated(uint256 indexed nodeId);
    event Staked(uint256 indexed nodeId, address indexed from, uint256 amount, uint256 newStake);
    /// @param releaseAt when THIS tranche (`amount`) can be withdrawn; earlier tranches keep theirs
    event UnstakeRequested(
        uint256 indexed nodeId, uint256 amount, uint256 newStake, uint256 newUnbonding, uint64 releaseAt
    );
    /// @param amount the released tranches paid out; `newUnbonding` is what is still pending
    /// @param nextReleaseAt when the next pending tranche can be withdrawn (0: none pending)
    event Withdrawn(uint256 indexed nodeId, address indexed to, uint256 amount, uint256 newUnbonding, uint64 nextReleaseAt);
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
    /// @notice A slash's CXT went into escrow `slashId`; burnable by anyone from `burnableAt`.
    event SlashEscrowed(uint256 indexed slashId, uint256 indexed nodeId, uint256 amount, uint64 burnableAt);
    /// @notice Governance upheld an appeal: the escrowed CXT went back to the node's owner.
    event SlashReturned(uint256 indexed slashId, uint256 indexed nodeId, address indexed to, uint256 amount);
    event SlashBurned(uint256 indexed slashId, uint256 indexed nodeId, uint256 amount);
    event WorkRecorded(uint256 indexed nodeId, uint256 units, uint256 totalWorkUnits);
    event TierChanged(uint256 indexed nodeId, uint8 oldTier, uint8 newTier);
    /// @notice The node's stake was locked (it disputed an epoch) or unlocked (the dispute was resolved).
    event StakeLockChanged(uint256 indexed nodeId, bool locked);

    error UnknownNode(uint256 nodeId);
    error NotNodeOwner(uint256 nodeId, address caller);
    error NodeInactive(uint256 nodeId);
    error ZeroAmount();
    error InsufficientStake(uint256 requested, uint256 available);
    error NothingUnbonding(uint256 nodeId);
    error StillUnbonding(uint256 nodeId, uint64 releaseAt);
    error InvalidBps(uint256 bps);
    error StakeLocked(uint256 nodeId);
    error TooManyTranches(uint256 nodeId);
    error AlreadySlashedThisEpoch(uint256 nodeId, uint256 epoch);
    error SlasherIsOracle(address account);
    error UnknownSlash(uint256 slashId);
    error SlashSettled(uint256 slashId);
    error AppealOpen(uint256 slashId, uint64 burnableAt);
    error AppealClosed(uint256 slashId, uint64 burnableAt);

    /// @param token_ the CXT token (must support `burn`)
    /// @param unbondingPeriod_ seconds an unstake tranche waits before it can be withdrawn
    /// @param admin receives DEFAULT_ADMIN_ROLE (the timelock on real chains)
    /// @param adminDelay seconds a DEFAULT_ADMIN_ROLE transfer must wait (AccessControlDefaultAdminRules)
    /// @param slasher receives SLASHER_ROLE (zero: nobody yet)
    /// @param ledger_ receives LEDGER_ROLE (the ContributionLedger, usually its precomputed address)
    /// @param slashAppealPeriod_ seconds slashed CXT waits in escrow before it can be burned
    constructor(
        IBurnableToken token_,
        uint64 unbondingPeriod_,
        address admin,
        uint48 adminDelay,
        address slasher,
        ILedgerForStaking ledger_,
        uint64 slashAppealPeriod_
    ) AccessControlDefaultAdminRules(adminDelay, admin) EIP712("Corex Staking", "1") {
        token = token_;
        unbondingPeriod = unbondingPeriod_;
        ledger = ledger_;
        slashAppealPeriod = slashAppealPeriod_;
        if (slasher != address(0)) _grantRole(SLASHER_ROLE, slasher);
        if (address(ledger_) != address(0)) _grantRole(LEDGER_ROLE, address(ledger_));
    }

    /// @dev The key that posts roots never slashes: the ledger (once it exists) refuses the overlap
    /// from its side too, so whichever role is granted second reverts.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == SLASHER_ROLE && address(ledger).code.length > 0 && ledger.hasRole(keccak256("ORACLE_ROLE"), account)) {
            revert SlasherIsOracle(account);
        }
        return super._grantRole(role, account);
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
        n.registeredAt = uint40(block.timestamp);
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

    /// @notice Deactivates a node for good: its tier drops to bronze, its governance weight to zero, and
    /// it can no longer be staked on, dispute or receive work. Its stake can still be unstaked.
    function deactivateNode(uint256 nodeId) external onlyNodeOwner(nodeId) {
        Node storage n = _nodes[nodeId];
        if (!n.active) revert NodeInactive(nodeId);
        uint256 oldWeight = _weight(n);
        uint8 oldTier = n.tier;
        n.active = false;
        emit NodeDeactivated(nodeId);
        _afterChange(nodeId, n, oldTier, oldWeight);
    }

    // ----------------------------------------------------------------- staking

    /// @notice Stakes `amount` CXT on an active node the caller owns (approve or permit first).
    function stake(uint256 nodeId, uint256 amount) external nonReentrant onlyNodeOwner(nodeId) {
        if (amount == 0) revert ZeroAmount();
        Node storage n = _nodes[nodeId];
        if (!n.active) revert NodeInactive(nodeId);
        uint256 oldWeight = _weight(n);
        uint8 oldTier = n.tier;
        uint256 newStake = uint256(n.stake) + amount;
        n.stake = newStake.toUint128();
        totalStaked += amount;
        emit Staked(nodeId, msg.sender, amount, newStake);
        _afterChange(nodeId, n, oldTier, oldWeight);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Moves `amount` of active stake into a new unbonding tranche. It stays slashable and can
    /// be withdrawn `unbondingPeriod` seconds later; earlier tranches keep their own release times.
    function requestUnstake(uint256 nodeId, uint256 amount) external onlyNodeOwner(nodeId) {
        if (amount == 0) revert ZeroAmount();
        Node storage n = _nodes[nodeId];
        if (n.locked) revert StakeLocked(nodeId);
        if (amount > n.stake) revert InsufficientStake(amount, n.stake);
        if (n.trancheCount - n.trancheHead >= MAX_PENDING_TRANCHES) revert TooManyTranches(nodeId);
        uint256 oldWeight = _weight(n);
        uint8 oldTier = n.tier;
        uint128 newStake = n.stake - uint128(amount);
        uint128 newUnbonding = n.unbonding + uint128(amount);
        uint64 releaseAt = uint64(block.timestamp) + unbondingPeriod;
        n.stake = newStake;
        n.unbonding = newUnbonding;
        _tranches[nodeId][n.trancheCount++] = Tranche(uint128(amount), releaseAt);
        totalStaked -= amount;
        totalUnbonding += amount;
        emit UnstakeRequested(nodeId, amount, newStake, newUnbonding, releaseAt);
        _afterChange(nodeId, n, oldTier, oldWeight);
    }

    /// @notice Withdraws every released tranche to the node owner; later tranches keep waiting.
    function withdraw(uint256 nodeId) external nonReentrant onlyNodeOwner(nodeId) {
        Node storage n = _nodes[nodeId];
        if (n.locked) revert StakeLocked(nodeId);
        uint32 head = n.trancheHead;
        uint32 count = n.trancheCount;
        if (head == count) revert NothingUnbonding(nodeId);
        mapping(uint256 => Tranche) storage ts = _tranches[nodeId];
        uint256 amount;
        // Release times never decrease (same period for every tranche), so released ones are a prefix.
        while (head < count && ts[head].releaseAt <= block.timestamp) {
            amount += ts[head].amount;
            delete ts[head];
            ++head;
        }
        if (head == n.trancheHead) revert StillUnbonding(nodeId, ts[head].releaseAt);
        n.trancheHead = head;
        uint128 newUnbonding = n.unbonding - uint128(amount);
        n.unbonding = newUnbonding;
        totalUnbonding -= amount;
        emit Withdrawn(nodeId, msg.sender, amount, newUnbonding, head < count ? ts[head].releaseAt : 0);
        if (amount > 0) token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- slashing

    /// @notice Takes `bps`/10000 (at most MAX_SLASH_BPS) of the node's stake AND of each unbonding
    /// tranche (so unstaking cannot dodge a slash) into an appealable escrow. At most once per node per
    /// ledger epoch; never while the node's own dispute is pending (its stake is locked: the resolver's
    /// verdict, which burns or returns its bond, decides then). SLASHER_ROLE only.
    /// @param evidenceHash hash of the off-chain evidence (e.g. the disagreeing result records)
    function slash(uint256 nodeId, uint16 bps, bytes32 evidenceHash) external nonReentrant onlyRole(SLASHER_ROLE) {
        if (bps == 0 || bps > MAX_SLASH_BPS) revert InvalidBps(bps);
        Node storage n = _nodes[nodeId];
        if (n.owner == address(0)) revert UnknownNode(nodeId);
        if (n.locked) revert StakeLocked(nodeId);
        _paceSlash(nodeId);
        uint256 oldWeight = _weight(n);
        uint8 oldTier = n.tier;
        uint128 fromStake = uint128((uint256(n.stake) * bps) / MAX_BPS);
        uint128 fromUnbonding;
        mapping(uint256 => Tranche) storage ts = _tranches[nodeId];
        for (uint256 i = n.trancheHead; i < n.trancheCount; ++i) {
            uint128 cut = uint128((uint256(ts[i].amount) * bps) / MAX_BPS);
            ts[i].amount -= cut;
            fromUnbonding += cut;
        }
        n.stake -= fromStake;
        n.unbonding -= fromUnbonding;
        if (n.unbonding == 0) n.trancheHead = n.trancheCount; // nothing left to wait for
        n.slashCount += 1;
        totalStaked -= fromStake;
        totalUnbonding -= fromUnbonding;
        emit Slashed(nodeId, msg.sender, bps, fromStake, fromUnbonding, n.stake, n.unbonding, evidenceHash);
        _afterChange(nodeId, n, oldTier, oldWeight);
        _escrow(nodeId, fromStake + fromUnbonding);
    }

    /// @dev One slash per node per ledger epoch (the epoch being accumulated: lastEpoch + 1).
    function _paceSlash(uint256 nodeId) private {
        // Without a ledger (a bare test deployment) every slash falls in "epoch 1": one per node.
        uint256 epoch = address(ledger).code.length == 0 ? 1 : ledger.lastEpoch() + 1;
        if (lastSlashEpoch[nodeId] == epoch) revert AlreadySlashedThisEpoch(nodeId, epoch);
        lastSlashEpoch[nodeId] = epoch;
    }

    function _escrow(uint256 nodeId, uint128 taken) private {
        uint256 slashId = ++slashEscrowCount;
        uint64 burnableAt = uint64(block.timestamp) + slashAppealPeriod;
        _escrows[slashId] = SlashEscrow(uint96(nodeId), burnableAt, false, taken);
        totalEscrowed += taken;
        emit SlashEscrowed(slashId, nodeId, taken, burnableAt);
    }

    /// @notice Upholds an appeal during the escrow period: the slashed CXT goes back to the node's
    /// owner (as liquid CXT; it does not restore stake, tier or weight). DEFAULT_ADMIN_ROLE only (the
    /// timelock: a governance vote).
    function returnSlash(uint256 slashId) external nonReentrant onlyRole(DEFAULT_ADMIN_ROLE) {
        SlashEscrow storage s = _openEscrow(slashId);
        if (block.timestamp >= s.burnableAt) revert AppealClosed(slashId, s.burnableAt);
        s.settled = true;
        totalEscrowed -= s.amount;
        address to = _nodes[s.nodeId].owner;
        emit SlashReturned(slashId, s.nodeId, to, s.amount);
        if (s.amount > 0) token.safeTransfer(to, s.amount);
    }

    /// @notice Burns an escrowed slash once its appeal period is over. Anyone may call it.
    function burnSlash(uint256 slashId) external nonReentrant {
        SlashEscrow storage s = _openEscrow(slashId);
        if (block.timestamp < s.burnableAt) revert AppealOpen(slashId, s.burnableAt);
        s.settled = true;
        totalEscrowed -= s.amount;
        emit SlashBurned(slashId, s.nodeId, s.amount);
        if (s.amount > 0) token.burn(s.amount);
    }

    function _openEscrow(uint256 slashId) private view returns (SlashEscrow storage s) {
        s = _escrows[slashId];
        if (s.nodeId == 0) revert UnknownSlash(slashId);
        if (s.settled) revert SlashSettled(slashId);
    }

    /// @notice An escrowed slash (zero values when unknown).
    function getSlashEscrow(uint256 slashId) external view returns (SlashEscrow memory) {
        return _escrows[slashId];
    }

    // ------------------------------------------------------------ ledger hooks

    /// @notice Adds verified work units to `account`'s node (the ledger calls it when a reward is
    /// claimed). Reverts unless `account` owns the node: a leaf cannot lift someone else's tier.
    /// A deactivated node gets no work (nothing recorded, no revert, so its owner can still claim CXT).
    /// @return recorded the units actually added (0 for an inactive node)
    function recordWork(uint256 nodeId, address account, uint256 units)
        external
        onlyRole(LEDGER_ROLE)
        returns (uint256 recorded)
    {
        Node storage n = _nodes[nodeId];
        address owner = n.owner;
        if (owner == address(0)) revert UnknownNode(nodeId);
        if (owner != account) revert NotNodeOwner(nodeId, account);
        if (units == 0 || !n.active) return 0;
        recorded = units;
        uint8 oldTier = n.tier;
        uint96 total = (uint256(n.workUnits) + units).toUint96();
        n.workUnits = total;
        emit WorkRecorded(nodeId, units, total);
        uint8 newTier = Tiers.tierOf(n.stake, total);
        if (newTier != oldTier) {
            uint256 oldWeight = _weight(n);
            _afterChange(nodeId, n, oldTier, oldWeight);
        }
    }

    /// @notice Locks the stake of `account`'s node while it disputes an epoch: no unstake or withdraw
    /// until `unlockStake`, so a disputer cannot leave before the resolution. Checks the node is
    /// active, owned by `account`, has at least `minStake` (and > 0) active stake and is not locked.
    function lockStake(uint256 nodeId, address account, uint256 minStake) external onlyRole(LEDGER_ROLE) {
        Node storage n = _nodes[nodeId];
        if (n.owner == address(0)) revert UnknownNode(nodeId);
        if (n.owner != account) revert NotNodeOwner(nodeId, account);
        if (!n.active) revert NodeInactive(nodeId);
        if (n.locked) revert StakeLocked(nodeId);
        if (n.stake == 0 || n.stake < minStake) revert InsufficientStake(minStake, n.stake);
        n.locked = true;
        emit StakeLockChanged(nodeId, true);
    }

    /// @notice Releases a lock taken by `lockStake`.
    function unlockStake(uint256 nodeId) external onlyRole(LEDGER_ROLE) {
        Node storage n = _nodes[nodeId];
        if (!n.locked) return;
        n.locked = false;
        emit StakeLockChanged(nodeId, false);
    }

    // ------------------------------------------------------------- weight/tier

    function _weight(Node storage n) private view returns (uint256) {
        return n.active ? (uint256(n.stake) * Tiers.multiplierBps(n.tier)) / Tiers.BPS : 0;
    }

    /// @dev Re-derives the tier (bronze once inactive), then moves the owner's voting units by the
    /// change in this node's weight.
    function _afterChange(uint256 nodeId, Node storage n, uint8 oldTier, uint256 oldWeight) private {
        uint8 newTier = n.active ? Tiers.tierOf(n.stake, n.workUnits) : 0;
        if (newTier != oldTier) {
            n.tier = newTier;
            emit TierChanged(nodeId, oldTier, newTier);
        }
        uint256 newWeight = _weight(n);
        if (newWeight == oldWeight) return;
        address owner = n.owner;
        if (newWeight > oldWeight) {
            _ownerWeight[owner] += newWeight - oldWeight;
            _transferVotingUnits(address(0), owner, newWeight - oldWeight);
        } else {
            _ownerWeight[owner] -= oldWeight - newWeight;
            _transferVotingUnits(owner, address(0), oldWeight - newWeight);
        }
    }

    /// @notice ERC-6372 clock: seconds, so governance periods do not shrink on fast-block chains.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock mode: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _getVotingUnits(address owner) internal view override returns (uint256) {
        return _ownerWeight[owner];
    }

    /// @notice Where `account`'s weight counts: itself unless it delegated elsewhere.
    function delegates(address account) public view override returns (address) {
        address d = super.delegates(account);
        return d == address(0) ? account : d;
    }

    /// @dev Delegating to the zero address means "back to myself" (weight never disappears).
    function _delegate(address account, address delegatee) internal override {
        super._delegate(account, delegatee == address(0) ? account : delegatee);
    }

    // ------------------------------------------------------------------- views

    /// @notice Full node record.
    function getNode(uint256 nodeId) external view returns (Node memory) {
        return _nodes[nodeId];
    }

    /// @notice Pending unbonding tranches of a node, oldest first.
    function tranchesOf(uint256 nodeId) external view returns (Tranche[] memory list) {
        Node storage n = _nodes[nodeId];
        list = new Tranche[](n.trancheCount - n.trancheHead);
        for (uint256 i; i < list.length; ++i) list[i] = _tranches[nodeId][n.trancheHead + i];
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

    /// @notice Governance weight of one node: active stake × tier multiplier (0 once deactivated).
    function votingWeight(uint256 nodeId) external view returns (uint256) {
        return _weight(_nodes[nodeId]);
    }

    /// @notice Σ votingWeight over `owner`'s nodes (its own voting units, before delegation).
    function ownerWeight(address owner) external view returns (uint256) {
        return _ownerWeight[owner];
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

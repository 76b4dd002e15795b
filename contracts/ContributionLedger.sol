// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

interface ICXTMinter {
    function mint(address to, uint256 amount) external;
    function MAX_SUPPLY() external view returns (uint256);
}

interface IStakingForLedger {
    function nodeOwner(uint256 nodeId) external view returns (address);
    function stakeOf(uint256 nodeId) external view returns (uint256);
    function recordWork(uint256 nodeId, uint256 units) external;
}

/// @title Contribution ledger: epoch roots, disputes, reward claims, emission schedule
/// @notice Per epoch the oracle (coordinator) posts two Merkle roots: the credentials of all verified
/// work, and the CUMULATIVE rewards per (account, node). After a challenge window an epoch is final and
/// anyone can claim for an account with a Merkle proof: the claim mints (cumulative − already claimed)
/// CXT to the account and records the node's new verified work units in Staking (for tiers).
///
/// Emission schedule, enforced here whatever the roots say:
/// - epochs are numbered 1, 2, 3…, posted in order, one at a time: an epoch can only be posted once
///   the previous one is final or invalid, so at most one epoch is ever open to disputes;
/// - `total` of epoch e (what it newly makes claimable) ≤ epochCap(e) = initialEpochCap >> ((e − 1) / halvingEpochs);
/// - the running sum of totals ≤ maxEmission ≤ the token's MAX_SUPPLY;
/// - a claim against epoch e can never take totalMinted above the running sum of totals through e.
///   So all CXT ever minted ≤ Σ epochCap over posted epochs, no matter what the roots contain.
/// An invalidated epoch's allowance stays in the running sum: a later root may pay the corrected rewards.
///
/// Leaf format (compatible with StandardMerkleTree of the npm package openzeppelin merkle-tree):
/// `StandardMerkleTree.of(values, ["address", "uint256", "uint256", "uint256"])` with values
/// `[account, nodeId, cumulativeAmount, cumulativeWorkUnits]`; nodeId 0 = no node (no work recorded).
contract ContributionLedger is AccessControl, ReentrancyGuardTransient {
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    bytes32 public constant RESOLVER_ROLE = keccak256("RESOLVER_ROLE");

    enum EpochStatus {
        None,
        Posted, // final once the challenge window is over
        Disputed, // frozen until resolved
        Confirmed, // dispute rejected: final
        Invalid // dispute upheld: never claimable
    }

    /// @dev Laid out so a claim reads two slots: the rewards root and (allowanceThrough, postedAt, status).
    struct Epoch {
        bytes32 rewardsRoot;
        uint128 allowanceThrough; // Σ total of epochs 1..this
        uint64 postedAt;
        EpochStatus status;
        uint32 credentialCount;
        uint128 total; // newly claimable CXT in this epoch
        uint128 workUnits; // verified work in this epoch (informational)
        bytes32 credentialsRoot;
    }

    struct Config {
        uint64 challengeWindow; // seconds
        uint64 halvingEpochs; // epochs between halvings of the per-epoch cap (> 0)
        uint256 initialEpochCap; // CXT (wei) per epoch before the first halving
        uint256 maxEmission; // CXT (wei) ever mintable through this ledger, ≤ token.MAX_SUPPLY
        uint256 minDisputeStake; // active stake a verifier's node needs to dispute
    }

    struct ClaimRecord {
        uint128 amount;
        uint128 workUnits;
    }

    ICXTMinter public immutable token;
    IStakingForLedger public immutable staking;
    uint64 public immutable challengeWindow;
    uint64 public immutable halvingEpochs;
    uint256 public immutable initialEpochCap;
    uint256 public immutable maxEmission;
    uint256 public immutable minDisputeStake;

    /// @notice Number of the last posted epoch (0 = none yet).
    uint256 public lastEpoch;
    /// @notice CXT minted by claims so far.
    uint256 public totalMinted;
    mapping(uint256 epoch => Epoch) private _epochs;
    mapping(address account => mapping(uint256 nodeId => ClaimRecord)) private _claimed;

    event EpochPosted(
        uint256 indexed epoch,
        bytes32 credentialsRoot,
        bytes32 rewardsRoot,
        uint256 total,
        uint256 workUnits,
        uint32 credentialCount,
        uint64 disputeDeadline
    );
    event EpochDisputed(uint256 indexed epoch, address indexed disputer, uint256 indexed nodeId, bytes32 reasonHash);
    event DisputeResolved(uint256 indexed epoch, bool upheld, address resolver);
    event Claimed(
        uint256 indexed epoch,
        address indexed account,
        uint256 indexed nodeId,
        uint256 amount,
        uint256 cumulativeAmount,
        uint256 workUnits,
        uint256 cumulativeWorkUnits
    );

    error InvalidConfig();
    error UnexpectedEpoch(uint256 expected, uint256 got);
    error PreviousEpochNotFinal(uint256 epoch);
    error EpochCapExceeded(uint256 epoch, uint256 total, uint256 cap);
    error MaxEmissionExceeded(uint256 allowance, uint256 maxEmission);
    error ZeroRoot();
    error NotDisputable(uint256 epoch);
    error NotNodeOwner(uint256 nodeId, address caller);
    error InsufficientDisputerStake(uint256 nodeId, uint256 stake, uint256 required);
    error NotDisputed(uint256 epoch);
    error EpochNotClaimable(uint256 epoch);
    error InvalidProof();
    error NothingToClaim();
    error EmissionExceeded(uint256 requested, uint256 available);

    /// @param token_ the CXT token; this ledger must be set as its minter
    /// @param staking_ Staking; this ledger needs its WORK_RECORDER_ROLE
    /// @param admin receives DEFAULT_ADMIN_ROLE (grants ORACLE_ROLE and RESOLVER_ROLE)
    /// @param config challenge window, emission schedule and dispute stake (see Config)
    constructor(ICXTMinter token_, IStakingForLedger staking_, address admin, Config memory config) {
        if (config.halvingEpochs == 0 || config.maxEmission > token_.MAX_SUPPLY()) revert InvalidConfig();
        token = token_;
        staking = staking_;
        challengeWindow = config.challengeWindow;
        halvingEpochs = config.halvingEpochs;
        initialEpochCap = config.initialEpochCap;
        maxEmission = config.maxEmission;
        minDisputeStake = config.minDisputeStake;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------ epochs

    /// @notice Posts the roots of epoch `epoch` (must be lastEpoch + 1). ORACLE_ROLE only.
    /// @param credentialsRoot Merkle root of the epoch's contribution credentials
    /// @param rewardsRoot Merkle root of cumulative rewards (leaf format in the contract doc)
    /// @param total CXT this epoch newly makes claimable (Σ cumulative now − Σ cumulative before), ≤ epochCap(epoch)
    /// @param workUnits verified work units in this epoch (informational)
    /// @param credentialCount number of credentials in the credentials tree (informational)
    function postEpoch(
        uint256 epoch,
        bytes32 credentialsRoot,
        bytes32 rewardsRoot,
        uint128 total,
        uint128 workUnits,
        uint32 credentialCount
    ) external onlyRole(ORACLE_ROLE) {
        uint256 prev = lastEpoch;
        if (epoch != prev + 1) revert UnexpectedEpoch(prev + 1, epoch);
        if (credentialsRoot == bytes32(0) || rewardsRoot == bytes32(0)) revert ZeroRoot();
        uint256 prevAllowance;
        if (prev != 0) {
            Epoch storage p = _epochs[prev];
            if (!_isFinal(p) && p.status != EpochStatus.Invalid) revert PreviousEpochNotFinal(prev);
            prevAllowance = p.allowanceThrough;
        }
        uint256 cap = epochCap(epoch);
        if (total > cap) revert EpochCapExceeded(epoch, total, cap);
        uint256 allowance = prevAllowance + total;
        if (allowance > maxEmission) revert MaxEmissionExceeded(allowance, maxEmission);

        lastEpoch = epoch;
        _epochs[epoch] = Epoch({
            rewardsRoot: rewardsRoot,
            allowanceThrough: uint128(allowance),
            postedAt: uint64(block.timestamp),
            status: EpochStatus.Posted,
            credentialCount: credentialCount,
            total: total,
            workUnits: workUnits,
            credentialsRoot: credentialsRoot
        });
        emit EpochPosted(
            epoch, credentialsRoot, rewardsRoot, total, workUnits, credentialCount, uint64(block.timestamp) + challengeWindow
        );
    }

    /// @notice Disputes a posted epoch during its challenge window; the epoch is frozen until resolved.
    /// The caller must own `nodeId` and that node must have at least `minDisputeStake` active stake.
    /// @param reasonHash hash of the off-chain evidence (e.g. a credential that does not re-verify)
    function dispute(uint256 epoch, uint256 nodeId, bytes32 reasonHash) external {
        Epoch storage e = _epochs[epoch];
        if (e.status != EpochStatus.Posted || block.timestamp >= uint256(e.postedAt) + challengeWindow) {
            revert NotDisputable(epoch);
        }
        if (staking.nodeOwner(nodeId) != msg.sender) revert NotNodeOwner(nodeId, msg.sender);
        uint256 s = staking.stakeOf(nodeId);
        if (s == 0 || s < minDisputeStake) revert InsufficientDisputerStake(nodeId, s, minDisputeStake);
        e.status = EpochStatus.Disputed;
        emit EpochDisputed(epoch, msg.sender, nodeId, reasonHash);
    }

    /// @notice Resolves a dispute. Upheld: the epoch becomes invalid (never claimable). Rejected: the
    /// epoch becomes final at once. RESOLVER_ROLE only.
    function resolveDispute(uint256 epoch, bool upheld) external onlyRole(RESOLVER_ROLE) {
        Epoch storage e = _epochs[epoch];
        if (e.status != EpochStatus.Disputed) revert NotDisputed(epoch);
        e.status = upheld ? EpochStatus.Invalid : EpochStatus.Confirmed;
        emit DisputeResolved(epoch, upheld, msg.sender);
    }

    // ------------------------------------------------------------------ claims

    /// @notice Claims an account's rewards against a final epoch: mints (cumulativeAmount − already
    /// claimed) CXT to `account` and records (cumulativeWorkUnits − already recorded) work for `nodeId`.
    /// Anyone may submit it; the tokens always go to `account`.
    /// @param proof Merkle proof of the leaf [account, nodeId, cumulativeAmount, cumulativeWorkUnits]
    /// @return amount CXT minted
    function claim(
        uint256 epoch,
        address account,
        uint256 nodeId,
        uint128 cumulativeAmount,
        uint128 cumulativeWorkUnits,
        bytes32[] calldata proof
    ) external nonReentrant returns (uint256 amount) {
        amount = _claim(epoch, account, nodeId, cumulativeAmount, cumulativeWorkUnits, proof, false);
    }

    struct ClaimInput {
        uint256 epoch;
        address account;
        uint256 nodeId;
        uint128 cumulativeAmount;
        uint128 cumulativeWorkUnits;
        bytes32[] proof;
    }

    /// @notice Claims for many (account, node) pairs in one transaction, e.g. a relayer or the
    /// coordinator pushing an epoch's rewards. Entries with nothing left to claim are skipped (so a
    /// batch does not fail because someone claimed themselves); any invalid entry reverts the batch.
    /// @return total CXT minted
    function claimMany(ClaimInput[] calldata claims) external nonReentrant returns (uint256 total) {
        for (uint256 i; i < claims.length; ++i) {
            ClaimInput calldata c = claims[i];
            total += _claim(c.epoch, c.account, c.nodeId, c.cumulativeAmount, c.cumulativeWorkUnits, c.proof, true);
        }
    }

    function _claim(
        uint256 epoch,
        address account,
        uint256 nodeId,
        uint128 cumulativeAmount,
        uint128 cumulativeWorkUnits,
        bytes32[] calldata proof,
        bool skipEmpty
    ) private returns (uint256 amount) {
        Epoch storage e = _epochs[epoch];
        if (!_isFinal(e)) revert EpochNotClaimable(epoch);
        bytes32 leaf =
            keccak256(bytes.concat(keccak256(abi.encode(account, nodeId, cumulativeAmount, cumulativeWorkUnits))));
        if (!MerkleProof.verifyCalldata(proof, e.rewardsRoot, leaf)) revert InvalidProof();
        uint256 work;
        (amount, work) = _record(e.allowanceThrough, account, nodeId, cumulativeAmount, cumulativeWorkUnits, skipEmpty);
        if (amount == 0 && work == 0) return 0;
        emit Claimed(epoch, account, nodeId, amount, cumulativeAmount, work, cumulativeWorkUnits);

        if (amount > 0) token.mint(account, amount);
        if (work > 0 && nodeId != 0) staking.recordWork(nodeId, work);
    }

    /// @dev Checks and books a claim: the amount can never take totalMinted above `allowanceThrough`.
    function _record(
        uint256 allowanceThrough,
        address account,
        uint256 nodeId,
        uint128 cumulativeAmount,
        uint128 cumulativeWorkUnits,
        bool skipEmpty
    ) private returns (uint256 amount, uint256 work) {
        ClaimRecord storage c = _claimed[account][nodeId];
        ClaimRecord memory before = c;
        amount = cumulativeAmount > before.amount ? cumulativeAmount - before.amount : 0;
        work = cumulativeWorkUnits > before.workUnits ? cumulativeWorkUnits - before.workUnits : 0;
        if (amount == 0 && work == 0) {
            if (skipEmpty) return (0, 0);
            revert NothingToClaim();
        }
        if (amount > 0) {
            uint256 minted = totalMinted;
            // Claims against an older epoch may find its allowance already used by later claims.
            uint256 available = allowanceThrough > minted ? allowanceThrough - minted : 0;
            if (amount > available) revert EmissionExceeded(amount, available);
            totalMinted = minted + amount;
        }
        c.amount = before.amount > cumulativeAmount ? before.amount : cumulativeAmount;
        c.workUnits = before.workUnits > cumulativeWorkUnits ? before.workUnits : cumulativeWorkUnits;
    }

    // ------------------------------------------------------------------- views

    /// @notice The most CXT epoch `epoch` may make claimable (0 for epoch 0).
    function epochCap(uint256 epoch) public view returns (uint256) {
        if (epoch == 0) return 0;
        uint256 halvings = (epoch - 1) / halvingEpochs;
        return halvings >= 256 ? 0 : initialEpochCap >> halvings;
    }

    /// @notice Upper bound of everything the schedule lets epochs 1..`epochs` emit (ignoring maxEmission).
    function scheduledThrough(uint256 epochs) external view returns (uint256 sum) {
        uint256 h = halvingEpochs;
        for (uint256 start = 1; start <= epochs; start += h) {
            uint256 n = epochs - start + 1 < h ? epochs - start + 1 : h;
            uint256 cap = epochCap(start);
            if (cap == 0) break;
            sum += cap * n;
        }
        if (sum > maxEmission) sum = maxEmission;
    }

    /// @notice Full epoch record.
    function getEpoch(uint256 epoch) external view returns (Epoch memory) {
        return _epochs[epoch];
    }

    /// @notice Whether claims against `epoch` are accepted now.
    function isClaimable(uint256 epoch) external view returns (bool) {
        return _isFinal(_epochs[epoch]);
    }

    /// @notice What has been claimed (cumulative amount, cumulative work units) for (account, nodeId).
    function claimedOf(address account, uint256 nodeId) external view returns (ClaimRecord memory) {
        return _claimed[account][nodeId];
    }

    function _isFinal(Epoch storage e) private view returns (bool) {
        EpochStatus s = e.status;
        return s == EpochStatus.Confirmed
            || (s == EpochStatus.Posted && block.timestamp >= uint256(e.postedAt) + challengeWindow);
    }
}

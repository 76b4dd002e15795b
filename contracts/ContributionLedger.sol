// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

interface ICXTMinter {
    function mint(address to, uint256 amount) external;
    function burn(uint256 amount) external;
    function MAX_SUPPLY() external view returns (uint256);
}

interface IStakingForLedger {
    function recordWork(uint256 nodeId, address account, uint256 units) external returns (uint256 recorded);
    function lockStake(uint256 nodeId, address account, uint256 minStake) external;
    function unlockStake(uint256 nodeId) external;
    function hasRole(bytes32 role, address account) external view returns (bool);
}

/// @title Contribution ledger: epoch roots, disputes, reward claims, emission schedule
/// @notice Per epoch the oracle (coordinator) posts two Merkle roots: the credentials of all verified
/// work, and the CUMULATIVE rewards per (account, node). After a challenge window an epoch is final and
/// anyone can claim for an account with a Merkle proof against the LATEST final epoch: the claim mints
/// (cumulative − already claimed) CXT to the account and records the node's new verified work units in
/// Staking (for tiers; only on the account's own active node).
///
/// What the contract guarantees, whatever the roots say (the emission schedule):
/// - epochs are numbered 1, 2, 3…, posted in order, one at a time, at least `minEpochInterval`
///   seconds apart: an epoch can only be posted once the previous one is final or invalid, so at most
///   one epoch is ever open to disputes, and the schedule holds per unit of time, not per post;
/// - `total` of epoch e ≤ epochCap(e) = initialEpochCap >> ((e − 1) / halvingEpochs), plus the total
///   of an invalidated predecessor (its allowance flows to the next root, which must declare it);
/// - the running allowance (`allowanceThrough`) is the sum of the totals of VALID epochs only: an
///   invalidated epoch's total is never slack a later root could pay out without declaring it;
/// - the running allowance ≤ maxEmission ≤ the token's MAX_SUPPLY;
/// - totalMinted never exceeds the running allowance through the latest final epoch.
///   So all CXT ever minted ≤ Σ epochCap over posted epochs.
/// Disputes: any number per epoch during its challenge window, each with a deadline (`resolveBy`).
/// The resolver upholds (epoch invalid) or rejects (bond burned; once no dispute is left open the epoch
/// is back to Posted and final at its ORIGINAL deadline, so a decoy dispute cannot shorten the window
/// for an honest one). Past `resolveBy` anyone settles the dispute as upheld: a silent resolver cannot
/// freeze emission.
/// What it does NOT guarantee: it cannot sum a tree's leaves, so a root whose leaves exceed its `total`
/// can pay its leaves out of the allowance others are owed. That is guarded procedurally: trees are
/// published, anyone recomputes them, a staked verifier disputes (with a bond) during the challenge
/// window, and the resolver (never the oracle) invalidates the epoch. See contracts/README.md.
/// An invalidated epoch's total may be re-declared by the next root (on top of its own cap).
///
/// Leaf format (compatible with StandardMerkleTree of the npm package openzeppelin merkle-tree):
/// `StandardMerkleTree.of(values, ["address", "uint256", "uint256", "uint256"])` with values
/// `[account, nodeId, cumulativeAmount, cumulativeWorkUnits]`; nodeId 0 = no node (no work recorded).
contract ContributionLedger is AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    bytes32 public constant RESOLVER_ROLE = keccak256("RESOLVER_ROLE");

    enum EpochStatus {
        None,
        Posted, // final once the challenge window is over
        Disputed, // frozen until resolved
        Confirmed, // unused since v3 (a rejected dispute returns the epoch to Posted); kept for numbering
        Invalid // dispute upheld: never claimable
    }

    /// @dev Laid out so a claim reads two slots: the rewards root and (allowanceThrough, postedAt, status).
    struct Epoch {
        bytes32 rewardsRoot;
        uint128 allowanceThrough; // Σ total of the valid epochs 1..this
        uint64 postedAt;
        EpochStatus status;
        uint32 credentialCount;
        uint128 total; // newly claimable CXT in this epoch
        uint128 workUnits; // verified work in this epoch (informational)
        bytes32 credentialsRoot;
    }

    struct Config {
        uint64 challengeWindow; // seconds, > 0
        uint64 halvingEpochs; // epochs between halvings of the per-epoch cap (> 0)
        uint256 initialEpochCap; // CXT (wei) per epoch before the first halving
        uint256 maxEmission; // CXT (wei) ever mintable through this ledger, ≤ token.MAX_SUPPLY
        uint256 minDisputeStake; // active stake a verifier's node needs to dispute (governance may change it)
        uint256 disputeBond; // CXT a disputer escrows: returned if upheld, burned if rejected (governance may change it)
        uint64 minEpochInterval; // seconds between two postEpoch (≥ 1 hour outside chain 31337)
        uint64 resolutionPeriod; // seconds the resolver has to judge a dispute (> 0)
    }

    struct Roles {
        address admin; // DEFAULT_ADMIN_ROLE (the timelock on real chains)
        uint48 adminDelay; // AccessControlDefaultAdminRules transfer delay
        address oracle; // ORACLE_ROLE: posts epochs
        address resolver; // RESOLVER_ROLE: resolves disputes; never the oracle
    }

    struct ClaimRecord {
        uint128 amount;
        uint128 workUnits;
    }

    enum DisputeState {
        None,
        Open,
        Upheld,
        Rejected
    }

    struct Dispute {
        address disputer;
        uint96 nodeId;
        uint128 bond; // what this disputer escrowed (the bond in force when it disputed)
        uint64 resolveBy; // past it anyone may settle the dispute as upheld
        DisputeState state;
    }

    ICXTMinter public immutable token;
    IStakingForLedger public immutable staking;
    uint64 public immutable challengeWindow;
    uint64 public immutable halvingEpochs;
    uint256 public immutable initialEpochCap;
    uint256 public immutable maxEmission;
    uint64 public immutable minEpochInterval;
    uint64 public immutable resolutionPeriod;
    /// @notice The least `minEpochInterval` outside the dev chain (31337).
    uint64 public constant MIN_EPOCH_INTERVAL_FLOOR = 1 hours;
    uint256 public constant DEV_CHAIN_ID = 31337;
    uint256 public minDisputeStake;
    uint256 public disputeBond;

    /// @dev One slot read by every claim: last posted epoch, latest final epoch before it, CXT minted.
    uint64 private _lastEpoch;
    uint64 private _finalBefore;
    uint128 private _totalMinted;
    mapping(uint256 epoch => Epoch) private _epochs;
    mapping(uint256 epoch => Dispute[]) private _disputes;
    mapping(uint256 epoch => uint256) private _openDisputes;
    mapping(address account => mapping(uint256 nodeId => ClaimRecord)) private _claimed;

    event EpochPosted(
        uint256 indexed epoch,
        bytes32 credentialsRoot,
        bytes32 rewardsRoot,
        uint256 total,
        uint256 workUnits,
        uint32 credentialCount,
        uint64 disputeDeadline,
        uint256 allowanceThrough
    );
    /// @param bond CXT escrowed by the disputer (returned if upheld, burned if rejected)
    /// @param index the dispute's index within the epoch (epochs take several disputes)
    /// @param resolveBy past it anyone may settle the dispute as upheld
    event EpochDisputed(
        uint256 indexed epoch,
        address indexed disputer,
        uint256 indexed nodeId,
        bytes32 reasonHash,
        uint256 bond,
        uint256 index,
        uint64 resolveBy
    );
    /// @param resolver who settled it: the resolver, or anyone past `resolveBy` (then `upheld`)
    event DisputeResolved(uint256 indexed epoch, bool upheld, address resolver, uint256 index);
    event DisputeParamsChanged(uint256 disputeBond, uint256 minDisputeStake);
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
    error OracleIsResolver(address account);
    error OracleIsSlasher(address account);
    error EpochTooSoon(uint256 epoch, uint256 postableAt);
    error UnknownDispute(uint256 epoch, uint256 index);
    error DisputeClosed(uint256 epoch, uint256 index);
    error DisputeExpired(uint256 epoch, uint256 index, uint64 resolveBy);
    error DisputePending(uint256 epoch, uint256 index, uint64 resolveBy);
    error UnexpectedEpoch(uint256 expected, uint256 got);
    error PreviousEpochNotFinal(uint256 epoch);
    error EpochCapExceeded(uint256 epoch, uint256 total, uint256 cap);
    error MaxEmissionExceeded(uint256 allowance, uint256 maxEmission);
    error ZeroRoot();
    error NotDisputable(uint256 epoch);
    error NotDisputed(uint256 epoch);
    error NotLatestFinalEpoch(uint256 epoch, uint256 latestFinal);
    error InvalidProof();
    error NothingToClaim();
    error EmissionExceeded(uint256 requested, uint256 available);

    /// @param token_ the CXT token; its minter must be this ledger
    /// @param staking_ Staking; this ledger needs its LEDGER_ROLE
    /// @param roles admin (with its transfer delay), oracle and resolver (distinct addresses)
    /// @param config challenge window, emission schedule, dispute stake and bond (see Config)
    constructor(ICXTMinter token_, IStakingForLedger staking_, Roles memory roles, Config memory config)
        AccessControlDefaultAdminRules(roles.adminDelay, roles.admin)
    {
        if (
            config.challengeWindow == 0 || config.halvingEpochs == 0 || config.maxEmission > token_.MAX_SUPPLY()
                || config.resolutionPeriod == 0
                || (block.chainid != DEV_CHAIN_ID && config.minEpochInterval < MIN_EPOCH_INTERVAL_FLOOR)
        ) revert InvalidConfig();
        token = token_;
        staking = staking_;
        challengeWindow = config.challengeWindow;
        halvingEpochs = config.halvingEpochs;
        initialEpochCap = config.initialEpochCap;
        maxEmission = config.maxEmission;
        minDisputeStake = config.minDisputeStake;
        disputeBond = config.disputeBond;
        minEpochInterval = config.minEpochInterval;
        resolutionPeriod = config.resolutionPeriod;
        if (roles.oracle != address(0)) _grantRole(ORACLE_ROLE, roles.oracle);
        if (roles.resolver != address(0)) _grantRole(RESOLVER_ROLE, roles.resolver);
    }

    /// @dev Whoever posts roots never judges disputes about them: one address cannot hold both roles.
    /// Nor does it slash: Staking refuses a slasher that is the oracle, and this refuses an oracle that
    /// is Staking's slasher, so whichever role comes second reverts.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (
            (role == RESOLVER_ROLE && hasRole(ORACLE_ROLE, account))
                || (role == ORACLE_ROLE && hasRole(RESOLVER_ROLE, account))
        ) revert OracleIsResolver(account);
        if (
            role == ORACLE_ROLE && address(staking).code.length > 0
                && staking.hasRole(keccak256("SLASHER_ROLE"), account)
        ) revert OracleIsSlasher(account);
        return super._grantRole(role, account);
    }

    /// @notice Sets the dispute bond and the stake a disputer's node needs (open disputes keep the
    /// bond they escrowed). DEFAULT_ADMIN_ROLE only (the timelock: a governance vote).
    function setDisputeParams(uint256 disputeBond_, uint256 minDisputeStake_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (disputeBond_ > type(uint128).max) revert InvalidConfig();
        disputeBond = disputeBond_;
        minDisputeStake = minDisputeStake_;
        emit DisputeParamsChanged(disputeBond_, minDisputeStake_);
    }

    // ------------------------------------------------------------------ epochs

    /// @notice Posts the roots of epoch `epoch` (must be lastEpoch + 1, at least `minEpochInterval`
    /// seconds after the previous post). ORACLE_ROLE only.
    /// @param credentialsRoot Merkle root of the epoch's contribution credentials
    /// @param rewardsRoot Merkle root of cumulative rewards (leaf format in the contract doc)
    /// @param total CXT this epoch newly makes claimable (Σ cumulative now − Σ cumulative of the latest
    /// VALID epoch), ≤ epochCap(epoch) + the total of an invalidated previous epoch
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
        uint256 prev = _lastEpoch;
        if (epoch != prev + 1) revert UnexpectedEpoch(prev + 1, epoch);
        if (credentialsRoot == bytes32(0) || rewardsRoot == bytes32(0)) revert ZeroRoot();
        uint256 prevAllowance;
        uint256 cap = epochCap(epoch);
        if (prev != 0) {
            Epoch storage p = _epochs[prev];
            uint256 postableAt = uint256(p.postedAt) + minEpochInterval;
            if (block.timestamp < postableAt) revert EpochTooSoon(epoch, postableAt);
            if (_isFinal(p)) {
                _finalBefore = uint64(prev);
                prevAllowance = p.allowanceThrough;
            } else if (p.status == EpochStatus.Invalid) {
                // Not slack: the running allowance drops back to what valid epochs granted, and the
                // invalid total may only come back declared in this root's `total` (watched like any).
                prevAllowance = p.allowanceThrough - p.total;
                cap += p.total;
            } else {
                revert PreviousEpochNotFinal(prev);
            }
        }
        if (total > cap) revert EpochCapExceeded(epoch, total, cap);
        uint256 allowance = prevAllowance + total;
        if (allowance > maxEmission) revert MaxEmissionExceeded(allowance, maxEmission);

        _lastEpoch = uint64(epoch);
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
            epoch,
            credentialsRoot,
            rewardsRoot,
            total,
            workUnits,
            credentialCount,
            uint64(block.timestamp) + challengeWindow,
            allowance
        );
    }

    /// @notice Disputes a posted epoch during its challenge window; the epoch is frozen until every
    /// dispute on it is settled. Several disputes (by different nodes) may stand on one epoch. The
    /// caller must own `nodeId`, an active node with at least `minDisputeStake` active stake; that stake
    /// is locked (no unstake, no withdraw, no slash) until the dispute is settled, and `disputeBond` CXT
    /// is escrowed here (approve first): returned if upheld, burned if rejected.
    /// @param reasonHash hash of the off-chain evidence (e.g. a leaf that does not recompute)
    /// @return index the dispute's index within the epoch
    function dispute(uint256 epoch, uint256 nodeId, bytes32 reasonHash) external nonReentrant returns (uint256 index) {
        Epoch storage e = _epochs[epoch];
        if (
            (e.status != EpochStatus.Posted && e.status != EpochStatus.Disputed)
                || block.timestamp >= uint256(e.postedAt) + challengeWindow
        ) revert NotDisputable(epoch);
        staking.lockStake(nodeId, msg.sender, minDisputeStake);
        e.status = EpochStatus.Disputed;
        uint128 bond = uint128(disputeBond);
        uint64 resolveBy = uint64(block.timestamp) + resolutionPeriod;
        index = _disputes[epoch].length;
        _disputes[epoch].push(Dispute(msg.sender, uint96(nodeId), bond, resolveBy, DisputeState.Open));
        _openDisputes[epoch] += 1;
        emit EpochDisputed(epoch, msg.sender, nodeId, reasonHash, bond, index, resolveBy);
        if (bond > 0) IERC20(address(token)).safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @notice Judges dispute `index` of `epoch` before its `resolveBy`. Upheld: the epoch becomes
    /// invalid (never claimable) and the bond goes back. Rejected: the bond is burned and, once no
    /// dispute is left open, the epoch is back to Posted (final at its original deadline, so other
    /// watchtowers keep the rest of the window). Either way the disputer's stake is unlocked.
    /// RESOLVER_ROLE only (never the oracle).
    function resolveDispute(uint256 epoch, uint256 index, bool upheld) external nonReentrant onlyRole(RESOLVER_ROLE) {
        Dispute storage d = _openDispute(epoch, index);
        if (block.timestamp > d.resolveBy) revert DisputeExpired(epoch, index, d.resolveBy);
        _settle(epoch, index, d, upheld);
    }

    /// @notice Settles dispute `index` of `epoch` as upheld once its `resolveBy` has passed (a silent
    /// resolver cannot freeze emission), or at once when the epoch is already invalid (another dispute
    /// was upheld: this one was right too). Anyone may call it.
    function settleDispute(uint256 epoch, uint256 index) external nonReentrant {
        Dispute storage d = _openDispute(epoch, index);
        if (block.timestamp <= d.resolveBy && _epochs[epoch].status != EpochStatus.Invalid) {
            revert DisputePending(epoch, index, d.resolveBy);
        }
        _settle(epoch, index, d, true);
    }

    function _openDispute(uint256 epoch, uint256 index) private view returns (Dispute storage d) {
        if (index >= _disputes[epoch].length) revert UnknownDispute(epoch, index);
        d = _disputes[epoch][index];
        if (d.state != DisputeState.Open) revert DisputeClosed(epoch, index);
    }

    function _settle(uint256 epoch, uint256 index, Dispute storage d, bool upheld) private {
        d.state = upheld ? DisputeState.Upheld : DisputeState.Rejected;
        uint256 open = --_openDisputes[epoch];
        Epoch storage e = _epochs[epoch];
        if (upheld) e.status = EpochStatus.Invalid;
        else if (open == 0 && e.status == EpochStatus.Disputed) e.status = EpochStatus.Posted;
        emit DisputeResolved(epoch, upheld, msg.sender, index);
        staking.unlockStake(d.nodeId);
        uint256 bond = d.bond;
        if (bond > 0) {
            if (upheld) IERC20(address(token)).safeTransfer(d.disputer, bond);
            else token.burn(bond);
        }
    }

    // ------------------------------------------------------------------ claims

    /// @notice Claims an account's rewards against the latest final epoch (`latestFinalEpoch()`; the
    /// amounts are cumulative, so older epochs are never needed): mints (cumulativeAmount − already
    /// claimed) CXT to `account` and records (cumulativeWorkUnits − already recorded) work on `nodeId`,
    /// which must be `account`'s node. Anyone may submit it; the tokens always go to `account`.
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
        uint256 latest = latestFinalEpoch();
        if (epoch != latest || latest == 0) revert NotLatestFinalEpoch(epoch, latest);
        Epoch storage e = _epochs[epoch];
        bytes32 leaf =
            keccak256(bytes.concat(keccak256(abi.encode(account, nodeId, cumulativeAmount, cumulativeWorkUnits))));
        if (!MerkleProof.verifyCalldata(proof, e.rewardsRoot, leaf)) revert InvalidProof();

        uint256 work;
        (amount, work) = _record(e.allowanceThrough, account, nodeId, cumulativeAmount, cumulativeWorkUnits, skipEmpty);
        if (amount == 0 && work == 0) return 0;
        // Staking records nothing for node 0 or an inactive node: the event reports what it recorded.
        work = nodeId != 0 && work > 0 ? staking.recordWork(nodeId, account, work) : 0;
        emit Claimed(epoch, account, nodeId, amount, cumulativeAmount, work, cumulativeWorkUnits);
        if (amount > 0) token.mint(account, amount);
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
            uint256 minted = _totalMinted;
            uint256 available = allowanceThrough > minted ? allowanceThrough - minted : 0;
            if (amount > available) revert EmissionExceeded(amount, available);
            _totalMinted = uint128(minted + amount);
        }
        // Both only grow: a leaf below what was claimed never lowers the record.
        c.amount = before.amount > cumulativeAmount ? before.amount : cumulativeAmount;
        c.workUnits = before.workUnits > cumulativeWorkUnits ? before.workUnits : cumulativeWorkUnits;
    }

    // ------------------------------------------------------------------- views

    /// @notice Number of the last posted epoch (0 = none yet).
    function lastEpoch() external view returns (uint256) {
        return _lastEpoch;
    }

    /// @notice CXT minted by claims so far.
    function totalMinted() external view returns (uint256) {
        return _totalMinted;
    }

    /// @notice The only epoch claims are accepted against now (0 = none): the last posted epoch once it
    /// is final, otherwise the latest final epoch before it.
    function latestFinalEpoch() public view returns (uint256) {
        uint256 last = _lastEpoch;
        if (last != 0 && _isFinal(_epochs[last])) return last;
        return _finalBefore;
    }

    /// @notice The latest final epoch, its rewards root and when it was posted (zeros when none): what
    /// TaskManager settles fee and refund leaves against (the same root, window and disputes as emission).
    function latestFinalRoot() external view returns (uint256 epoch, bytes32 rewardsRoot, uint64 postedAt) {
        epoch = latestFinalEpoch();
        if (epoch != 0) {
            Epoch storage e = _epochs[epoch];
            (rewardsRoot, postedAt) = (e.rewardsRoot, e.postedAt);
        }
    }

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

    /// @notice Dispute `index` of an epoch (zero values when none).
    function getDispute(uint256 epoch, uint256 index) external view returns (Dispute memory d) {
        if (index < _disputes[epoch].length) d = _disputes[epoch][index];
    }

    /// @notice How many disputes were raised on an epoch, and how many are still open.
    function disputeCount(uint256 epoch) external view returns (uint256 raised, uint256 open) {
        return (_disputes[epoch].length, _openDisputes[epoch]);
    }

    /// @notice Whether claims against `epoch` are accepted now (only the latest final epoch's are).
    function isClaimable(uint256 epoch) external view returns (bool) {
        return epoch != 0 && epoch == latestFinalEpoch();
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

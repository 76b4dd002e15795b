// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

interface IEpochRoots {
    function latestFinalRoot() external view returns (uint256 epoch, bytes32 rewardsRoot, uint64 postedAt);
}

/// @title Training tasks and their fee escrow
/// @notice A task initiator creates a task (spec hash, fragment count, min tier, optionally the dataset
/// provider and its share) and escrows an optional CXT fee. Nobody pushes fees out of the escrow: the
/// amounts each account earned come from accepted work and are settled through the ContributionLedger's
/// epoch root, exactly like emission (finding F10). Each epoch's rewards root also commits fee leaves
/// `["fee", taskId, account, cumulativeFee]` (the task's fee split pro rata to accepted work, the provider's
/// share being one more leaf) and, once the task is closed, `["refund", taskId, creator, refund]`; anyone
/// claims them with a proof against the ledger's LATEST FINAL epoch (`claimFee`, `claimRefund`), after the
/// same challenge window, watchtower and disputes that guard emission. The coordinator only closes tasks
/// (`complete`, `settleCancel`): no function pays an address the root does not name.
/// Cancelling: a creator's `cancelTask` on a task with escrow left only REQUESTS cancellation; the
/// coordinator settles it (`settleCancel` or `complete`), and only if the coordinator stays silent for
/// `cancelGracePeriod` can the creator close it alone, within `cancelGracePeriod` after that: a request
/// left unused expires, and `complete` clears a pending request. Either way the accepted work keeps its
/// pay: the refund is what the fee leaves leave, and it needs an epoch posted after the close.
/// `cancelGracePeriod` is at least MIN_CANCEL_GRACE outside the dev chain (31337).
/// @dev Every function that moves tokens is nonReentrant and updates state before the transfer.
/// Invariant: for every task, paid + refunded ≤ fee, so token.balanceOf(this) ≥ Σ (fee − paid − refunded).
/// Fee-tree leaves are `keccak256(bytes.concat(keccak256(abi.encode(kind, taskId, account, amount))))`
/// (OpenZeppelin StandardMerkleTree, encoding ["string","uint256","address","uint256"]); a reward leaf is
/// 4 static words, a fee leaf 6 (the string's offset, length and data), so neither verifies as the other.
contract TaskManager is AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant COORDINATOR_ROLE = keccak256("COORDINATOR_ROLE");
    /// @notice The least `cancelGracePeriod` outside the dev chain: the coordinator must have time to close.
    uint64 public constant MIN_CANCEL_GRACE = 1 hours;
    /// @notice The largest dataset provider share of what accepted work is paid (30 %).
    uint16 public constant MAX_PROVIDER_FEE_BPS = 3_000;
    uint256 public constant DEV_CHAIN_ID = 31337;

    enum Status {
        None,
        Open,
        Completed,
        Cancelled
    }

    struct Task {
        address creator;
        uint32 fragmentCount;
        uint8 minTier;
        Status status;
        uint64 createdAt;
        uint128 fee;
        uint128 paid; // Σ fee claims
        bytes32 specHash;
        bytes32 resultHash;
        uint64 cancelRequestedAt; // 0 = no cancellation requested
        uint64 closedAt; // 0 = open; when complete / cancel closed it
        uint128 refunded; // the creator's refund claimed
        address provider; // dataset provider (0 = none)
        uint16 providerFeeBps; // its share of what accepted work is paid
    }

    IERC20 public immutable token;
    /// @notice The ContributionLedger whose latest final epoch root settles fees.
    IEpochRoots public immutable ledger;
    /// @notice Seconds the coordinator has to settle a requested cancellation before the creator may.
    uint64 public immutable cancelGracePeriod;
    uint256 public taskCount;
    mapping(uint256 taskId => Task) private _tasks;
    mapping(uint256 taskId => mapping(address account => uint256)) private _feePaid;

    event TaskCreated(
        uint256 indexed taskId,
        address indexed creator,
        bytes32 specHash,
        uint32 fragmentCount,
        uint256 fee,
        uint8 minTier,
        address provider,
        uint16 providerFeeBps
    );
    /// @param cumulativeFee what the leaf names (all `account` has been paid for this task after the claim)
    /// @param taskPaid everything that has left the task's escrow (fees + refund) after the claim
    event FeeClaimed(
        uint256 indexed taskId,
        address indexed account,
        uint256 indexed epoch,
        uint256 amount,
        uint256 cumulativeFee,
        uint256 taskPaid
    );
    event RefundClaimed(uint256 indexed taskId, address indexed creator, uint256 indexed epoch, uint256 amount, uint256 taskPaid);
    event TaskCompleted(uint256 indexed taskId, bytes32 resultHash);
    event TaskCancelled(uint256 indexed taskId);
    /// @notice The creator asked to cancel; the coordinator settles, or the creator may after `reclaimableAt`.
    event CancelRequested(uint256 indexed taskId, uint64 reclaimableAt);
    /// @notice A pending cancellation request was dropped (the task completed).
    event CancelCleared(uint256 indexed taskId);

    error UnknownTask(uint256 taskId);
    error TaskNotOpen(uint256 taskId, Status status);
    error TaskNotClosed(uint256 taskId);
    error NotCreator(uint256 taskId, address caller);
    error InvalidFragmentCount();
    error InvalidMinTier(uint8 minTier);
    error InvalidProviderFee(address provider, uint16 feeBps);
    error FeeExceeded(uint256 taskId, uint256 requested, uint256 remaining);
    error CancelPending(uint256 taskId, uint64 reclaimableAt);
    error CancelNotRequested(uint256 taskId);
    error GraceTooShort(uint64 cancelGracePeriod, uint64 floor);
    error NotLatestFinalEpoch(uint256 epoch, uint256 latestFinal);
    error RefundNotCovered(uint256 taskId, uint256 epoch);
    error InvalidProof();
    error NothingToClaim();

    /// @param token_ fee token (CXT)
    /// @param ledger_ the ContributionLedger (its latest final epoch root settles fees)
    /// @param admin receives DEFAULT_ADMIN_ROLE (the timelock on real chains)
    /// @param adminDelay seconds a DEFAULT_ADMIN_ROLE transfer must wait
    /// @param coordinator receives COORDINATOR_ROLE (zero: nobody yet): closes tasks, moves no money
    /// @param cancelGracePeriod_ seconds the coordinator has to settle a requested cancellation
    constructor(
        IERC20 token_,
        IEpochRoots ledger_,
        address admin,
        uint48 adminDelay,
        address coordinator,
        uint64 cancelGracePeriod_
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (block.chainid != DEV_CHAIN_ID && cancelGracePeriod_ < MIN_CANCEL_GRACE) {
            revert GraceTooShort(cancelGracePeriod_, MIN_CANCEL_GRACE);
        }
        if (cancelGracePeriod_ == 0) revert GraceTooShort(0, 1);
        token = token_;
        ledger = ledger_;
        cancelGracePeriod = cancelGracePeriod_;
        if (coordinator != address(0)) _grantRole(COORDINATOR_ROLE, coordinator);
    }

    /// @notice Creates a task and escrows `fee` CXT from the caller (approve or permit first; may be 0).
    /// @param specHash hash of the job spec (dataset, model, hyper-parameters; it names the provider too)
    /// @param fragmentCount number of fragments (rounds × shards), > 0
    /// @param fee CXT escrowed for the contributors
    /// @param minTier lowest node tier allowed to work on it (0..3)
    /// @param provider the dataset's provider (address(0): none)
    /// @param providerFeeBps the provider's share of what accepted work is paid (≤ MAX_PROVIDER_FEE_BPS; 0 without a provider)
    /// @return taskId the new task's id (ids start at 1)
    function createTask(
        bytes32 specHash,
        uint32 fragmentCount,
        uint128 fee,
        uint8 minTier,
        address provider,
        uint16 providerFeeBps
    ) external nonReentrant returns (uint256 taskId) {
        if (fragmentCount == 0) revert InvalidFragmentCount();
        if (minTier > 3) revert InvalidMinTier(minTier);
        if (providerFeeBps > MAX_PROVIDER_FEE_BPS || (provider == address(0) && providerFeeBps != 0)) {
            revert InvalidProviderFee(provider, providerFeeBps);
        }
        taskId = ++taskCount;
        Task storage t = _tasks[taskId];
        t.creator = msg.sender;
        t.fragmentCount = fragmentCount;
        t.minTier = minTier;
        t.status = Status.Open;
        t.createdAt = uint64(block.timestamp);
        t.fee = fee;
        t.specHash = specHash;
        if (provider != address(0)) {
            t.provider = provider;
            t.providerFeeBps = providerFeeBps;
        }
        emit TaskCreated(taskId, msg.sender, specHash, fragmentCount, fee, minTier, provider, providerFeeBps);
        if (fee > 0) token.safeTransferFrom(msg.sender, address(this), fee);
    }

    /// @notice Marks an open task completed (clearing a pending cancellation). Moves no money: the
    /// contributors claim their fee leaves, the creator its refund leaf. COORDINATOR_ROLE only.
    /// @param resultHash hash of the final model / proof-of-training record
    function complete(uint256 taskId, bytes32 resultHash) external onlyRole(COORDINATOR_ROLE) {
        Task storage t = _openTask(taskId);
        t.status = Status.Completed;
        t.closedAt = uint64(block.timestamp);
        t.resultHash = resultHash;
        if (t.cancelRequestedAt != 0) {
            t.cancelRequestedAt = 0;
            emit CancelCleared(taskId);
        }
        emit TaskCompleted(taskId, resultHash);
    }

    /// @notice Cancels an open task. Creator only. With no escrow left it cancels at once. Otherwise the
    /// first call only requests the cancellation (the coordinator settles it); once `cancelGracePeriod`
    /// has passed without a settlement, a second call within the next `cancelGracePeriod` cancels; later,
    /// the request has expired and the call makes a new one. The refund is claimed with `claimRefund`.
    function cancelTask(uint256 taskId) external {
        Task storage t = _openTask(taskId);
        if (t.creator != msg.sender) revert NotCreator(taskId, msg.sender);
        if (t.fee > t.paid) {
            uint64 requested = t.cancelRequestedAt;
            if (requested == 0 || block.timestamp >= uint256(requested) + 2 * uint256(cancelGracePeriod)) {
                t.cancelRequestedAt = uint64(block.timestamp);
                emit CancelRequested(taskId, uint64(block.timestamp) + cancelGracePeriod);
                return;
            }
            uint64 reclaimableAt = requested + cancelGracePeriod;
            if (block.timestamp < reclaimableAt) revert CancelPending(taskId, reclaimableAt);
        }
        _cancel(taskId, t);
    }

    /// @notice Settles a requested cancellation: the task is cancelled (its accepted work is paid by
    /// fee leaves, the rest refunded by the refund leaf). COORDINATOR_ROLE only.
    function settleCancel(uint256 taskId) external onlyRole(COORDINATOR_ROLE) {
        Task storage t = _openTask(taskId);
        if (!_cancelPending(t)) revert CancelNotRequested(taskId);
        _cancel(taskId, t);
    }

    function _cancel(uint256 taskId, Task storage t) private {
        t.status = Status.Cancelled;
        t.closedAt = uint64(block.timestamp);
        emit TaskCancelled(taskId);
    }

    // ------------------------------------------------------------------ claims

    /// @notice Pays `account` its fee leaf `["fee", taskId, account, cumulativeFee]` of the ledger's latest
    /// final epoch: cumulativeFee − what it was already paid for this task, never more than the task's
    /// escrow left. Anyone may send it; the CXT always goes to `account`.
    /// @return amount CXT paid
    function claimFee(uint256 epoch, uint256 taskId, address account, uint256 cumulativeFee, bytes32[] calldata proof)
        external
        nonReentrant
        returns (uint256 amount)
    {
        Task storage t = _tasks[taskId];
        if (t.status == Status.None) revert UnknownTask(taskId);
        (bytes32 root,) = _finalRoot(epoch);
        _verify(proof, root, "fee", taskId, account, cumulativeFee);
        uint256 before = _feePaid[taskId][account];
        if (cumulativeFee <= before) revert NothingToClaim();
        amount = cumulativeFee - before;
        uint256 paid = t.paid;
        uint256 out = paid + t.refunded;
        if (amount > t.fee - out) revert FeeExceeded(taskId, amount, t.fee - out);
        _feePaid[taskId][account] = cumulativeFee;
        t.paid = uint128(paid + amount);
        emit FeeClaimed(taskId, account, epoch, amount, cumulativeFee, out + amount);
        token.safeTransfer(account, amount);
    }

    /// @notice Pays the creator of a closed task its refund leaf `["refund", taskId, creator, refund]` (the
    /// fee less every fee leaf of the task) of the latest final epoch, which must have been posted after the
    /// task closed (in the same second or later). Anyone may send it; the CXT always goes to the creator.
    /// @return amount CXT refunded
    function claimRefund(uint256 epoch, uint256 taskId, uint256 refund, bytes32[] calldata proof)
        external
        nonReentrant
        returns (uint256 amount)
    {
        Task storage t = _tasks[taskId];
        if (t.status == Status.None) revert UnknownTask(taskId);
        if (t.status == Status.Open) revert TaskNotClosed(taskId);
        (bytes32 root, uint64 postedAt) = _finalRoot(epoch);
        // Same second allowed: blocks may share a timestamp (anvil, some L2s); the closer reads the close
        // from the chain at its close block, before it posts.
        if (postedAt < t.closedAt) revert RefundNotCovered(taskId, epoch);
        _verify(proof, root, "refund", taskId, t.creator, refund);
        uint256 before = t.refunded;
        if (refund <= before) revert NothingToClaim();
        amount = refund - before;
        uint256 out = t.paid + before;
        if (amount > t.fee - out) revert FeeExceeded(taskId, amount, t.fee - out);
        t.refunded = uint128(refund);
        emit RefundClaimed(taskId, t.creator, epoch, amount, out + amount);
        token.safeTransfer(t.creator, amount);
    }

    function _finalRoot(uint256 epoch) private view returns (bytes32 root, uint64 postedAt) {
        uint256 latest;
        (latest, root, postedAt) = ledger.latestFinalRoot();
        if (epoch != latest || latest == 0) revert NotLatestFinalEpoch(epoch, latest);
    }

    function _verify(
        bytes32[] calldata proof,
        bytes32 root,
        string memory kind,
        uint256 taskId,
        address account,
        uint256 amount
    ) private pure {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(kind, taskId, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof();
    }

    // ------------------------------------------------------------------- views

    /// @dev A request counts until the end of the creator's own window (grace + grace).
    function _cancelPending(Task storage t) private view returns (bool) {
        uint256 requested = t.cancelRequestedAt;
        return requested != 0 && block.timestamp < requested + 2 * uint256(cancelGracePeriod);
    }

    /// @notice Whether a cancellation request is pending (made and not expired).
    function cancelPending(uint256 taskId) external view returns (bool) {
        return _cancelPending(_tasks[taskId]);
    }

    /// @notice What `account` has been paid of task `taskId`'s fee (its cumulative fee claimed).
    function feePaidTo(uint256 taskId, address account) external view returns (uint256) {
        return _feePaid[taskId][account];
    }

    /// @notice Full task record.
    function getTask(uint256 taskId) external view returns (Task memory) {
        return _tasks[taskId];
    }

    function _openTask(uint256 taskId) private view returns (Task storage t) {
        t = _tasks[taskId];
        if (t.status == Status.None) revert UnknownTask(taskId);
        if (t.status != Status.Open) revert TaskNotOpen(taskId, t.status);
    }
}

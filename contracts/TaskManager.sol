// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Training tasks and their fee escrow
/// @notice A task initiator creates a task (spec hash, fragment count, min tier) and escrows an
/// optional CXT fee. The coordinator pays the fee out to the nodes whose results were accepted
/// (push payments, in batches with `pay`, the last batch with `complete`); whatever is unspent goes
/// back to the creator on completion or cancellation.
/// Cancelling never takes accepted work's pay: a creator's `cancelTask` on a task with escrow left only
/// REQUESTS cancellation; the coordinator then settles it (`settleCancel` or `complete`, paying the
/// accepted results), and only if the coordinator stays silent for `cancelGracePeriod` can the creator
/// finish the cancellation alone and take the unspent fee back, within `cancelGracePeriod` after that:
/// a request left unused expires (a creator cannot keep a stale request to cancel at an instant of
/// its choosing, e.g. front-running a payout), and `complete` clears a pending request.
/// `cancelGracePeriod` is at least MIN_CANCEL_GRACE outside the dev chain (31337).
/// @dev Payouts are an explicit (recipient, amount) list rather than a Merkle root: a task has a
/// bounded number of contributors (at most a few hundred), one coordinator transaction pays them
/// all, and recipients need no claim transaction. Every function that moves tokens is nonReentrant
/// and updates state before the transfer, so a token with hooks cannot re-enter to pay twice.
/// Invariant: token.balanceOf(this) >= sum over open tasks of (fee - paid).
contract TaskManager is AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant COORDINATOR_ROLE = keccak256("COORDINATOR_ROLE");
    uint256 public constant MAX_PAYOUTS_PER_CALL = 256;
    /// @notice The least `cancelGracePeriod` outside the dev chain: the coordinator must have time to pay.
    uint64 public constant MIN_CANCEL_GRACE = 1 hours;
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
        uint128 paid;
        bytes32 specHash;
        bytes32 resultHash;
        uint64 cancelRequestedAt; // 0 = no cancellation requested
    }

    IERC20 public immutable token;
    /// @notice Seconds the coordinator has to settle a requested cancellation before the creator may.
    uint64 public immutable cancelGracePeriod;
    uint256 public taskCount;
    mapping(uint256 taskId => Task) private _tasks;

    event TaskCreated(
        uint256 indexed taskId,
        address indexed creator,
        bytes32 specHash,
        uint32 fragmentCount,
        uint256 fee,
        uint8 minTier
    );
    event FeePaid(uint256 indexed taskId, address indexed recipient, uint256 amount);
    event FeeRefunded(uint256 indexed taskId, address indexed creator, uint256 amount);
    event TaskCompleted(uint256 indexed taskId, bytes32 resultHash, uint256 totalPaid, uint256 refunded);
    event TaskCancelled(uint256 indexed taskId, uint256 totalPaid, uint256 refunded);
    /// @notice The creator asked to cancel; the coordinator settles, or the creator may after `reclaimableAt`.
    event CancelRequested(uint256 indexed taskId, uint64 reclaimableAt);
    /// @notice A pending cancellation request was dropped (the task completed).
    event CancelCleared(uint256 indexed taskId);

    error UnknownTask(uint256 taskId);
    error TaskNotOpen(uint256 taskId, Status status);
    error NotCreator(uint256 taskId, address caller);
    error InvalidFragmentCount();
    error InvalidMinTier(uint8 minTier);
    error LengthMismatch();
    error TooManyPayouts(uint256 count);
    error ZeroAddress();
    error FeeExceeded(uint256 taskId, uint256 requested, uint256 remaining);
    error CancelPending(uint256 taskId, uint64 reclaimableAt);
    error CancelNotRequested(uint256 taskId);
    error GraceTooShort(uint64 cancelGracePeriod, uint64 floor);

    /// @param token_ fee token (CXT)
    /// @param admin receives DEFAULT_ADMIN_ROLE (the timelock on real chains)
    /// @param adminDelay seconds a DEFAULT_ADMIN_ROLE transfer must wait
    /// @param coordinator receives COORDINATOR_ROLE (zero: nobody yet)
    /// @param cancelGracePeriod_ seconds the coordinator has to settle a requested cancellation
    constructor(IERC20 token_, address admin, uint48 adminDelay, address coordinator, uint64 cancelGracePeriod_)
        AccessControlDefaultAdminRules(adminDelay, admin)
    {
        if (block.chainid != DEV_CHAIN_ID && cancelGracePeriod_ < MIN_CANCEL_GRACE) {
            revert GraceTooShort(cancelGracePeriod_, MIN_CANCEL_GRACE);
        }
        if (cancelGracePeriod_ == 0) revert GraceTooShort(0, 1);
        token = token_;
        cancelGracePeriod = cancelGracePeriod_;
        if (coordinator != address(0)) _grantRole(COORDINATOR_ROLE, coordinator);
    }

    /// @notice Creates a task and escrows `fee` CXT from the caller (approve or permit first; may be 0).
    /// @param specHash hash of the job spec (dataset, model, hyper-parameters)
    /// @param fragmentCount number of fragments (rounds × shards), > 0
    /// @param fee CXT escrowed for the contributors
    /// @param minTier lowest node tier allowed to work on it (0..3)
    /// @return taskId the new task's id (ids start at 1)
    function createTask(bytes32 specHash, uint32 fragmentCount, uint128 fee, uint8 minTier)
        external
        nonReentrant
        returns (uint256 taskId)
    {
        if (fragmentCount == 0) revert InvalidFragmentCount();
        if (minTier > 3) revert InvalidMinTier(minTier);
        taskId = ++taskCount;
        _tasks[taskId] = Task({
            creator: msg.sender,
            fragmentCount: fragmentCount,
            minTier: minTier,
            status: Status.Open,
            createdAt: uint64(block.timestamp),
            fee: fee,
            paid: 0,
            specHash: specHash,
            resultHash: bytes32(0),
            cancelRequestedAt: 0
        });
        emit TaskCreated(taskId, msg.sender, specHash, fragmentCount, fee, minTier);
        if (fee > 0) token.safeTransferFrom(msg.sender, address(this), fee);
    }

    /// @notice Pays part of an open task's fee to accepted contributors. COORDINATOR_ROLE only.
    function pay(uint256 taskId, address[] calldata recipients, uint256[] calldata amounts)
        external
        nonReentrant
        onlyRole(COORDINATOR_ROLE)
    {
        Task storage t = _openTask(taskId);
        _pay(taskId, t, recipients, amounts);
    }

    /// @notice Pays the last contributors, marks the task completed and refunds the unspent fee to
    /// the creator. COORDINATOR_ROLE only.
    /// @param resultHash hash of the final model / proof-of-training record
    function complete(uint256 taskId, bytes32 resultHash, address[] calldata recipients, uint256[] calldata amounts)
        external
        nonReentrant
        onlyRole(COORDINATOR_ROLE)
    {
        Task storage t = _openTask(taskId);
        t.status = Status.Completed;
        t.resultHash = resultHash;
        if (t.cancelRequestedAt != 0) {
            t.cancelRequestedAt = 0;
            emit CancelCleared(taskId);
        }
        _pay(taskId, t, recipients, amounts);
        uint256 refund = t.fee - t.paid;
        emit TaskCompleted(taskId, resultHash, t.paid, refund);
        _refund(taskId, t.creator, refund);
    }

    /// @notice Cancels an open task. Creator only. With no escrow left it cancels at once. Otherwise the
    /// first call only requests the cancellation (the coordinator settles it, paying accepted work);
    /// once `cancelGracePeriod` has passed without a settlement, a second call within the next
    /// `cancelGracePeriod` cancels and refunds the unspent fee; later, the request has expired and the
    /// call makes a new one.
    function cancelTask(uint256 taskId) external nonReentrant {
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

    /// @notice Settles a requested cancellation: pays the accepted contributors, then cancels and
    /// refunds the rest to the creator. COORDINATOR_ROLE only.
    function settleCancel(uint256 taskId, address[] calldata recipients, uint256[] calldata amounts)
        external
        nonReentrant
        onlyRole(COORDINATOR_ROLE)
    {
        Task storage t = _openTask(taskId);
        if (!_cancelPending(t)) revert CancelNotRequested(taskId);
        t.status = Status.Cancelled;
        _pay(taskId, t, recipients, amounts);
        uint256 refund = t.fee - t.paid;
        emit TaskCancelled(taskId, t.paid, refund);
        _refund(taskId, t.creator, refund);
    }

    function _cancel(uint256 taskId, Task storage t) private {
        t.status = Status.Cancelled;
        uint256 refund = t.fee - t.paid;
        emit TaskCancelled(taskId, t.paid, refund);
        _refund(taskId, t.creator, refund);
    }

    /// @dev A request counts until the end of the creator's own window (grace + grace).
    function _cancelPending(Task storage t) private view returns (bool) {
        uint256 requested = t.cancelRequestedAt;
        return requested != 0 && block.timestamp < requested + 2 * uint256(cancelGracePeriod);
    }

    /// @notice Whether a cancellation request is pending (made and not expired).
    function cancelPending(uint256 taskId) external view returns (bool) {
        return _cancelPending(_tasks[taskId]);
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

    function _pay(uint256 taskId, Task storage t, address[] calldata recipients, uint256[] calldata amounts) private {
        uint256 n = recipients.length;
        if (n != amounts.length) revert LengthMismatch();
        if (n > MAX_PAYOUTS_PER_CALL) revert TooManyPayouts(n);
        uint256 total;
        for (uint256 i; i < n; ++i) total += amounts[i];
        uint256 remaining = t.fee - t.paid;
        if (total > remaining) revert FeeExceeded(taskId, total, remaining);
        t.paid += uint128(total);
        for (uint256 i; i < n; ++i) {
            address to = recipients[i];
            if (to == address(0)) revert ZeroAddress();
            emit FeePaid(taskId, to, amounts[i]);
            if (amounts[i] > 0) token.safeTransfer(to, amounts[i]);
        }
    }

    function _refund(uint256 taskId, address creator, uint256 amount) private {
        if (amount == 0) return;
        emit FeeRefunded(taskId, creator, amount);
        token.safeTransfer(creator, amount);
    }
}

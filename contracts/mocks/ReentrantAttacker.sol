// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

interface ITaskManagerLike {
    function createTask(
        bytes32 specHash,
        uint32 fragmentCount,
        uint128 fee,
        uint8 minTier,
        address provider,
        uint16 providerFeeBps
    ) external returns (uint256);
    function cancelTask(uint256 taskId) external;
    function claimFee(uint256 epoch, uint256 taskId, address account, uint256 cumulativeFee, bytes32[] calldata proof)
        external
        returns (uint256);
    function claimRefund(uint256 epoch, uint256 taskId, uint256 refund, bytes32[] calldata proof) external returns (uint256);
}

interface IStakingLike {
    function registerNode(uint8 kind, string calldata metadataURI) external returns (uint256);
    function stake(uint256 nodeId, uint256 amount) external;
    function requestUnstake(uint256 nodeId, uint256 amount) external;
    function withdraw(uint256 nodeId) external;
}

/// @dev TEST ONLY. Receives HookToken transfers and, from the hook, calls back into the contract that
/// is paying it (claim a fee or refund again, cancel a task, or withdraw again during a payout).
/// Re-entry failures are caught so the outer call completes and the test can check balances.
contract ReentrantAttacker {
    enum Mode {
        None,
        CancelAgain,
        CancelOther,
        WithdrawAgain,
        ClaimFeeAgain,
        ClaimRefundAgain
    }

    IERC20 public immutable token;
    ITaskManagerLike public immutable tasks;
    IStakingLike public immutable staking;
    Mode public mode;
    uint256 public target;
    uint256 public attempts;
    uint256 public successes;
    uint256 private _epoch;
    uint256 private _amount;
    bytes32[] private _proof;

    constructor(IERC20 token_, ITaskManagerLike tasks_, IStakingLike staking_) {
        token = token_;
        tasks = tasks_;
        staking = staking_;
    }

    function setAttack(Mode mode_, uint256 target_) external {
        mode = mode_;
        target = target_;
    }

    function createTask(uint128 fee) external returns (uint256 id) {
        token.approve(address(tasks), fee);
        id = tasks.createTask(keccak256("attack"), 1, fee, 0, address(0), 0);
    }

    /// @notice The leaf a ClaimFeeAgain / ClaimRefundAgain re-entry replays (task = `target`).
    function setClaim(uint256 epoch, uint256 amount, bytes32[] calldata proof) external {
        _epoch = epoch;
        _amount = amount;
        _proof = proof;
    }

    function claimFee() external {
        tasks.claimFee(_epoch, target, address(this), _amount, _proof);
    }

    function claimRefund() external {
        tasks.claimRefund(_epoch, target, _amount, _proof);
    }

    function cancelTask(uint256 taskId) external {
        tasks.cancelTask(taskId);
    }

    function registerAndStake(uint256 amount) external returns (uint256 nodeId) {
        nodeId = staking.registerNode(0, "attacker");
        token.approve(address(staking), amount);
        staking.stake(nodeId, amount);
    }

    function requestUnstake(uint256 nodeId, uint256 amount) external {
        staking.requestUnstake(nodeId, amount);
    }

    function withdraw(uint256 nodeId) external {
        staking.withdraw(nodeId);
    }

    function onTokenReceived(address, uint256) external {
        Mode m = mode;
        if (m == Mode.None) return;
        mode = Mode.None; // one re-entry per hook is enough to show it fails
        attempts++;
        bool ok;
        if (m == Mode.CancelAgain || m == Mode.CancelOther) {
            (ok,) = address(tasks).call(abi.encodeCall(ITaskManagerLike.cancelTask, (target)));
        } else if (m == Mode.ClaimFeeAgain) {
            (ok,) =
                address(tasks).call(abi.encodeCall(ITaskManagerLike.claimFee, (_epoch, target, address(this), _amount, _proof)));
        } else if (m == Mode.ClaimRefundAgain) {
            (ok,) = address(tasks).call(abi.encodeCall(ITaskManagerLike.claimRefund, (_epoch, target, _amount, _proof)));
        } else if (m == Mode.WithdrawAgain) {
            (ok,) = address(staking).call(abi.encodeCall(IStakingLike.withdraw, (target)));
        }
        if (ok) successes++;
        mode = m;
    }
}

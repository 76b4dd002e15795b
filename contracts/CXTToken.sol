// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title Corex Network token (CXT)
/// @notice ERC-20 with EIP-2612 permit. Supply starts at zero: the only way to create CXT is a reward
/// claim through the ContributionLedger, fixed as the sole minter at construction. There is no premint,
/// no team reserve and no admin. Anyone may burn their own tokens (slashing and forfeited dispute bonds
/// burn this way).
/// @dev No ERC20Votes: governance weight is stake × tier multiplier, checkpointed by Staking. Token
/// vote checkpoints cost about half of every claim's gas and counted nothing that was staked.
contract CXTToken is ERC20, ERC20Burnable, ERC20Permit {
    /// @notice Hard cap on the total supply (1 billion CXT). The ledger's emission schedule stays below it.
    uint256 public constant MAX_SUPPLY = 1_000_000_000 ether;

    /// @notice The only address allowed to mint (the ContributionLedger).
    /// @dev Immutable: the deploy script passes the ledger's precomputed CREATE address, so no setter,
    /// no admin and no storage read per mint.
    address public immutable minter;

    /// @notice The minter (emitted once, at construction).
    event MinterSet(address indexed minter);

    error NotMinter(address caller);
    error ZeroAddress();
    error MaxSupplyExceeded(uint256 requested, uint256 available);

    constructor(address minter_) ERC20("Corex Token", "CXT") ERC20Permit("Corex Token") {
        if (minter_ == address(0)) revert ZeroAddress();
        minter = minter_;
        emit MinterSet(minter_);
    }

    /// @notice Mints `amount` to `to`. Only the minter; never beyond MAX_SUPPLY.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        uint256 supply = totalSupply();
        if (amount > MAX_SUPPLY - supply) revert MaxSupplyExceeded(amount, MAX_SUPPLY - supply);
        _mint(to, amount);
    }
}

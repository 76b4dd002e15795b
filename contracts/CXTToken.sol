// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title Corex Network token (CXT)
/// @notice ERC-20 with EIP-2612 permit and ERC-5805 votes. Supply starts at zero: the only way to
/// create CXT is a reward claim through the ContributionLedger, which is set once as the sole minter.
/// There is no premint, no team reserve and no admin. Anyone may burn their own tokens (slashing burns
/// the slashed stake this way).
contract CXTToken is ERC20, ERC20Burnable, ERC20Permit, ERC20Votes {
    /// @notice Hard cap on the total supply (1 billion CXT). The ledger's emission schedule stays below it.
    uint256 public constant MAX_SUPPLY = 1_000_000_000 ether;

    /// @notice The only address allowed to mint (the ContributionLedger). Zero until set.
    address public minter;
    address private immutable _deployer;

    /// @notice The minter was set (happens exactly once).
    event MinterSet(address indexed minter);

    error NotMinter(address caller);
    error NotDeployer(address caller);
    error MinterAlreadySet(address minter);
    error ZeroAddress();
    error MaxSupplyExceeded(uint256 requested, uint256 available);

    constructor() ERC20("Corex Token", "CXT") ERC20Permit("Corex Token") {
        _deployer = msg.sender;
    }

    /// @notice Sets the minter. Callable once, by the deployer; afterwards nobody can change it.
    /// @dev A one-time setter instead of a role: the ledger's address depends on this token's address,
    /// and with no admin left afterwards no second minter can ever be added.
    function setMinter(address minter_) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender);
        if (minter != address(0)) revert MinterAlreadySet(minter);
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

    function _maxSupply() internal pure override returns (uint256) {
        return MAX_SUPPLY;
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

interface ITokenReceiver {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @dev TEST ONLY. An ERC-20 with an ERC-777-style receive hook: every transfer to a contract calls
/// `onTokenReceived` on it, handing control to the recipient in the middle of the sender's function.
/// Anyone can mint.
contract HookToken is ERC20, ERC20Burnable {
    constructor() ERC20("Hook Token", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from != address(0) && to != address(0) && to.code.length > 0) {
            // Like ERC-777 without the registry: recipients that don't implement the hook are skipped.
            (bool ok,) = to.call(abi.encodeCall(ITokenReceiver.onTokenReceived, (from, value)));
            ok;
        }
    }
}

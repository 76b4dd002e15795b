// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @dev BENCHMARK BASELINE ONLY (`npm run contracts:gas`). Uniswap's MerkleDistributor design: a
/// one-shot airdrop of a pre-funded token, one claimed-bit per leaf index, a transfer per claim. No
/// emission schedule, no cumulative amounts, no epochs, no work records. Its own token holds the supply.
contract MerkleDistributorBaseline is ERC20 {
    bytes32 public immutable merkleRoot;
    mapping(uint256 => uint256) private _claimedBitMap;

    error AlreadyClaimed();
    error InvalidProof();

    constructor(bytes32 merkleRoot_, uint256 supply) ERC20("Baseline", "BASE") {
        merkleRoot = merkleRoot_;
        _mint(address(this), supply);
    }

    /// @dev Leaf: StandardMerkleTree ["uint256", "address", "uint256"] of (index, account, amount).
    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        uint256 word = index / 256;
        uint256 bit = 1 << (index % 256);
        if (_claimedBitMap[word] & bit != 0) revert AlreadyClaimed();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert InvalidProof();
        _claimedBitMap[word] |= bit;
        _transfer(address(this), account, amount);
    }
}

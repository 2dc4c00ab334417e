#include "python_random.hpp"

#include <algorithm>
#include <vector>

namespace benchstore {

PythonRandom::PythonRandom(std::uint64_t seed) {
    // random_seed(): the absolute value's 32-bit words, least significant
    // first; zero is the single word 0.
    std::vector<std::uint32_t> key;
    for (std::uint64_t v = seed; v; v >>= 32) key.push_back(static_cast<std::uint32_t>(v));
    if (key.empty()) key.push_back(0);
    // init_genrand(19650218) then init_by_array(key).
    mt_[0] = 19650218u;
    for (int i = 1; i < 624; ++i) mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
    std::size_t i = 1, j = 0;
    for (std::size_t k = std::max<std::size_t>(624, key.size()); k; --k) {
        mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + key[j] + static_cast<std::uint32_t>(j);
        ++i;
        ++j;
        if (i >= 624) {
            mt_[0] = mt_[623];
            i = 1;
        }
        if (j >= key.size()) j = 0;
    }
    for (std::size_t k = 623; k; --k) {
        mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) - static_cast<std::uint32_t>(i);
        ++i;
        if (i >= 624) {
            mt_[0] = mt_[623];
            i = 1;
        }
    }
    mt_[0] = 0x80000000u;
}

std::uint32_t PythonRandom::next32() {
    if (index_ >= 624) {
        for (int k = 0; k < 624; ++k) {
            const std::uint32_t y = (mt_[k] & 0x80000000u) | (mt_[(k + 1) % 624] & 0x7fffffffu);
            mt_[k] = mt_[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
        }
        index_ = 0;
    }
    std::uint32_t y = mt_[index_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

std::uint32_t PythonRandom::getrandbits(int k) { return next32() >> (32 - k); }

std::uint32_t PythonRandom::randrange(std::uint32_t n) {
    int k = 0;
    while ((n >> k) != 0 && k < 32) ++k;  // n.bit_length()
    std::uint32_t r = getrandbits(k);
    while (r >= n) r = getrandbits(k);
    return r;
}

}  // namespace benchstore

// Python's random.Random (MT19937 seeded by init_by_array from an integer
// seed, randrange by rejection over getrandbits): the seed draws the bulk
// products' prices and stock with it, so both stores seed the same catalogue.
#pragma once

#include <array>
#include <cstdint>

namespace benchstore {

class PythonRandom {
public:
    explicit PythonRandom(std::uint64_t seed);
    // random.randrange(0, n) for n > 0.
    std::uint32_t randrange(std::uint32_t n);

private:
    std::uint32_t next32();
    std::uint32_t getrandbits(int k);
    std::array<std::uint32_t, 624> mt_{};
    int index_ = 624;
};

}  // namespace benchstore

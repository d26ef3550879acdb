// The object behind rewind/nn.h, shared by its exports (nn.cpp) and the network as a vector field
// (network_field.cpp).
#pragma once

#include <cstdint>
#include <map>

#include "nn/network.hpp"
#include "rewind/nn.h"

struct rwd_nn {
    rwd_context* ctx;
    rwd::network network;
    // One evaluator (buffers) per batch size used, kept until the network is destroyed: fields made from the
    // network point to theirs, and calls of the same batch size allocate nothing after the first.
    std::map<int64_t, rwd::network_evaluator> evaluators;
};

namespace rwd {

// The evaluator of batches of `batch` rows, made on first use; RWD_ERR_ARGUMENT for a batch out of range.
network_evaluator& evaluator_for(rwd_nn& nn, int64_t batch);

}  // namespace rwd

// The sums of Runge–Kutta steps, y += sum_k c_k x_k: terms are gathered (zero coefficients dropped) and added in
// one fused axpy_multi in the order they were gathered, so the forward, recomputed, reverse and tangent passes
// all sum in one fixed order.
#pragma once

#include <vector>

#include "vec/vec.hpp"

namespace rwd {

class linear_combination {
public:
    void gather(double c, const rwd_vec* x) {
        if (c == 0.0) return;
        coefficients_.push_back(c);
        terms_.push_back(x);
    }

    void apply(rwd_vec& y) {
        if (!terms_.empty())
            y.ops->axpy_multi(&y, static_cast<int32_t>(terms_.size()), coefficients_.data(), terms_.data());
        coefficients_.clear();
        terms_.clear();
    }

    // y += sum_{j < count} coefficient(j) x_j, in increasing j.
    template <class Coefficient>
    void combine(rwd_vec& y, Coefficient coefficient, const std::vector<vec_ptr>& x, int count) {
        for (int j = 0; j < count; ++j) gather(coefficient(j), x[static_cast<size_t>(j)].get());
        apply(y);
    }

private:
    std::vector<double> coefficients_;
    std::vector<const rwd_vec*> terms_;
};

}  // namespace rwd

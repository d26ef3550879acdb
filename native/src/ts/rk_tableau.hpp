// Butcher tableaus of Runge–Kutta methods: explicit (rk_tableaus.cpp) and diagonally implicit (dirk_tableaus.cpp).
#pragma once

#include <string>
#include <vector>

namespace rwd {

struct rk_tableau {
    std::string name;
    int order;
    int embedded_order;         // 0: no embedded solution
    std::vector<double> c;      // s nodes
    std::vector<double> a;      // s*s, row-major; strictly lower triangular (explicit), lower triangular (DIRK)
    std::vector<double> b;      // s weights of the propagated solution
    std::vector<double> b_err;  // s weights of the error estimate (b - b_embedded), empty without one

    int stages() const { return static_cast<int>(c.size()); }
    double a_at(int i, int j) const { return a[static_cast<size_t>(i * stages() + j)]; }
};

// Which stages a step's reverse pass needs (those that influence y_{n+1}, directly or through a later needed stage)
// and where the trajectory keeps them: kept[0] is always y_n, a needed stage that is y_n itself (an explicit first
// stage) shares slot 0, every other needed stage gets a slot of its own.
struct stage_layout {
    std::vector<bool> needed;
    std::vector<int> slot;  // -1: not kept
    int kept;               // vectors per step
};
stage_layout layout_stages(const rk_tableau& tableau);

const std::vector<rk_tableau>& rk_tableaus();
const rk_tableau& rk_tableau_named(const std::string& name);  // RWD_ERR_UNKNOWN_NAME if absent

// ESDIRK/SDIRK tableaus: trbdf2, kvaerno3, kvaerno4, kvaerno5, sdirk4.
const std::vector<rk_tableau>& dirk_tableaus();
const rk_tableau& dirk_tableau_named(const std::string& name);  // RWD_ERR_UNKNOWN_NAME if absent
// The θ-method y_{n+1} = y_n + h ((1 - θ) f(t_n, y_n) + θ f(t_{n+1}, y_{n+1})) as a two-stage tableau.
rk_tableau theta_tableau(const std::string& name, double theta);

}  // namespace rwd

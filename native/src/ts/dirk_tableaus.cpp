// Diagonally implicit Runge–Kutta tableaus (ESDIRK/SDIRK) and the θ-method.
// embedded_order is q with an error estimate of O(h^(q+1)): the smaller of the two solutions' orders.
#include <cmath>
#include <initializer_list>
#include <sstream>

#include "core/error.hpp"
#include "ts/rk_tableau.hpp"

namespace rwd {
namespace {

using lower_rows = std::vector<std::vector<double>>;  // row i of a lower-triangular A: a_i0 .. a_ii

// All these methods are stiffly accurate: b is the last row of A.
rk_tableau stiffly_accurate(std::string name, int order, int embedded_order, std::vector<double> c,
                            const lower_rows& rows, const std::vector<double>& b_embedded) {
    const size_t s = rows.size();
    std::vector<double> a(s * s, 0.0);
    for (size_t i = 0; i < s; ++i)
        for (size_t j = 0; j < rows[i].size(); ++j) a[i * s + j] = rows[i][j];
    const std::vector<double>& b = rows.back();
    std::vector<double> b_err(s);
    for (size_t i = 0; i < s; ++i) b_err[i] = b[i] - b_embedded[i];
    return {std::move(name), order, embedded_order, std::move(c), std::move(a), b, std::move(b_err)};
}

// Kværnø's embedded solution is the value of the penultimate stage: its row of A, padded with a zero.
std::vector<double> penultimate_stage(const lower_rows& rows) {
    std::vector<double> weights = rows[rows.size() - 2];
    weights.push_back(0.0);
    return weights;
}

// Hosea & Shampine, "Analysis and implementation of TR-BDF2", Appl. Numer. Math. 20 (1996) 21–37: a trapezoidal
// stage to t + γh, then BDF2 through t, t + γh, t + h, written as a 3-stage ESDIRK with a 3rd-order companion.
rk_tableau trbdf2() {
    const double gamma = 2.0 - std::sqrt(2.0);
    const double d = gamma / 2;
    const double w = std::sqrt(2.0) / 4;
    // embedded_order 2: the propagated solution is 2nd order, its 3rd-order companion only estimates its error.
    return stiffly_accurate("trbdf2", 2, 2, {0.0, gamma, 1.0}, {{0.0}, {d, d}, {w, w, d}},
                            {(1 - w) / 3, (3 * w + 1) / 3, d / 3});
}

// Kværnø, "Singly diagonally implicit Runge–Kutta methods with an explicit first stage", BIT 44 (2004) 489–502,
// ESDIRK 3(2), 4 stages. The a_ij are the paper's closed forms in γ (as in diffrax's kvaerno3.py), which meet the
// order conditions for any γ; γ is the root of 6γ³ − 18γ² + 9γ − 1 that makes the method L-stable, to full double
// precision (the paper rounds it to 0.4358665215).
rk_tableau kvaerno3() {
    const double g = 0.43586652150845899942;
    const lower_rows rows = {
        {0.0},
        {g, g},
        {(-4 * g * g + 6 * g - 1) / (4 * g), (-2 * g + 1) / (4 * g), g},
        {(6 * g - 1) / (12 * g), -1 / ((24 * g - 12) * g), (-6 * g * g + 6 * g - 1) / (6 * g - 3), g},
    };
    // embedded_order 2: the error estimate is that of the 2nd-order embedded solution.
    return stiffly_accurate("kvaerno3", 3, 2, {0.0, 2 * g, 1.0, 1.0}, rows, penultimate_stage(rows));
}

// Kværnø (2004), ESDIRK 4(3), 5 stages, the variant that propagates the 4th-order solution. Closed forms in γ as in
// diffrax's kvaerno4.py; γ is the A-stable root of 24γ⁴ − 96γ³ + 72γ² − 16γ + 1 (R(∞) = 0), which the paper rounds
// to 0.5728160625.
rk_tableau kvaerno4() {
    const double g = 0.57281606248213485541;
    const auto p = [g](std::initializer_list<double> coefficients) {  // Horner, highest power first
        double value = 0.0;
        for (double coefficient : coefficients) value = value * g + coefficient;
        return value;
    };
    const double q = p({12, -6, 1});
    const double r = p({12, -9, 2});
    const double u = p({3, -1});
    const lower_rows rows = {
        {0.0},
        {g, g},
        {p({144, -180, 81, -15, 1}) * g / (q * q), p({-36, 39, -15, 2}) * g / (q * q), g},
        {p({-144, 396, -330, 117, -18, 1}) / (12 * g * g * r), p({72, -126, 69, -15, 1}) / (12 * g * g * u),
         p({-6, 6, -1}) * q * q / (12 * g * g * r * u), g},
        {p({288, -312, 120, -18, 1}) / (48 * g * g * r), p({24, -12, 1}) / (48 * g * g * u),
         -q * q * q / (48 * g * g * u * r * p({6, -6, 1})), p({-24, 36, -12, 1}) / p({24, -24, 4}), g},
    };
    // embedded_order 3: the error estimate is that of the 3rd-order embedded solution.
    return stiffly_accurate("kvaerno4", 4, 3, {0.0, 2 * g, 2 * g * r / q, 1.0, 1.0}, rows, penultimate_stage(rows));
}

// Kværnø (2004), ESDIRK 5(4), 7 stages, γ = 0.26; the coefficients as published, copied from diffrax's kvaerno5.py
// (identical to OrdinaryDiffEq.jl's Kvaerno5Tableau).
rk_tableau kvaerno5() {
    const double g = 0.26;
    const lower_rows rows = {
        {0.0},
        {g, g},
        {0.13, 0.84033320996790809, g},
        {0.22371961478320505, 0.47675532319799699, -0.06470895363112615, g},
        {0.16648564323248321, 0.10450018841591720, 0.03631482272098715, -0.13090704451073998, g},
        {0.13855640231268224, 0.0, -0.04245337201752043, 0.02446657898003141, 0.61943039072480676, g},
        {0.13659751177640291, 0.0, -0.05496908796538376, -0.04118626728321046, 0.62993304899016403,
         0.06962479448202728, g},
    };
    // embedded_order 4: the error estimate is that of the 4th-order embedded solution.
    return stiffly_accurate("kvaerno5", 5, 4,
                            {0.0, 0.52, 1.230333209967908, 0.8957659843500759, 0.43639360985864756, 1.0, 1.0}, rows,
                            penultimate_stage(rows));
}

// Hairer & Wanner, Solving ODEs II, Section IV.6, Table 6.5 (the first coefficient set of their SDIRK4 code):
// L-stable SDIRK of order 4, γ = 1/4, every stage implicit, with an embedded 3rd-order solution.
rk_tableau sdirk4() {
    const double g = 0.25;
    // embedded_order 3: the error estimate is that of the 3rd-order embedded solution.
    return stiffly_accurate("sdirk4", 4, 3, {0.25, 0.75, 11.0 / 20, 0.5, 1.0},
                            {
                                {g},
                                {0.5, g},
                                {17.0 / 50, -1.0 / 25, g},
                                {371.0 / 1360, -137.0 / 2720, 15.0 / 544, g},
                                {25.0 / 24, -49.0 / 48, 125.0 / 16, -85.0 / 12, g},
                            },
                            {59.0 / 48, -17.0 / 96, 225.0 / 32, -85.0 / 12, 0.0});
}

}  // namespace

const std::vector<rk_tableau>& dirk_tableaus() {
    static const std::vector<rk_tableau> all = {trbdf2(), kvaerno3(), kvaerno4(), kvaerno5(), sdirk4()};
    return all;
}

const rk_tableau& dirk_tableau_named(const std::string& name) {
    std::ostringstream known;
    for (const auto& t : dirk_tableaus()) {
        if (t.name == name) return t;
        known << (known.tellp() > 0 ? ", " : "") << t.name;
    }
    fail(RWD_ERR_UNKNOWN_NAME, "unknown esdirk method '", name, "'; available: ", known.str());
}

rk_tableau theta_tableau(const std::string& name, double theta) {
    // No embedded solution: embedded_order 0 and no error weights.
    return {name, theta == 0.5 ? 2 : 1, 0, {0.0, 1.0}, {0.0, 0.0, 1 - theta, theta}, {1 - theta, theta}, {}};
}

}  // namespace rwd
